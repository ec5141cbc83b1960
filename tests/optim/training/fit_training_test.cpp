#include <boost/test/unit_test.hpp>

#include <cmath>

#include "autodiff/ops/reduce.hpp"
#include "layers/basic/dense.hpp"
#include "layers/basic/masking.hpp"
#include "layers/gru/gru.hpp"
#include "layers/models/sequential.hpp"
#include "optim/data/dataset.hpp"
#include "optim/training/fit.hpp"
#include "tests/optim/fit_helpers.hpp"

using namespace grutape;
using testing::quiet_sgd;
using testing::random_tensor;
using testing::require_error;

namespace {

// Class ids 0..2 of 12 samples and their one-hot rows.
struct Classes {
  Tensor ids, one_hot;
};

Classes classes() {
  std::vector<double> ids, one_hot;
  for (std::size_t r = 0; r < 12; ++r) {
    const std::size_t id = (r * 7) % 3;
    ids.push_back(static_cast<double>(id));
    for (std::size_t c = 0; c < 3; ++c) one_hot.push_back(c == id ? 1.0 : 0.0);
  }
  return {Tensor::from_values({12}, ids, DType::float64),
          Tensor::from_values({12, 3}, one_hot, DType::float64)};
}

// The gradients of `model`'s parameters for the MSE of one batch, computed apart from fit.
std::vector<Tensor> mse_gradients(Layer& model, const Tensor& x, const Tensor& y) {
  for (auto& [_, p] : model.named_parameters()) p.zero_grad();
  Loss("mse")(y, model(Value(x))).backward();
  std::vector<Tensor> grads;
  for (auto& [_, p] : model.named_parameters()) {
    grads.push_back(p.grad().clone());
    p.zero_grad();
  }
  return grads;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fit_training_test)

BOOST_AUTO_TEST_CASE(regularization_terms_are_part_of_the_loss) {
  const auto data = testing::regression(6, 2, 20);
  Dense model(DenseOptions(1).seed(1).kernel_regularizer({"l2", {{"l2", 0.1}}}));
  // A zero learning rate keeps the weights, so the loss has a closed form.
  const History history = fit(
      model, data.x, data.y,
      quiet_sgd(0).batch_size(6).validation_data(LabeledData{data.x, data.y, Tensor(), Tensor()}));
  const Tensor w = model.parameter("kernel").value();
  const double b = model.parameter("bias").value().item();
  double mse = 0;
  for (std::size_t r = 0; r < 6; ++r) {
    const double e =
        data.x.flat(2 * r) * w.flat(0) + data.x.flat(2 * r + 1) * w.flat(1) + b - data.y.flat(r);
    mse += e * e / 6;
  }
  const double expected = mse + 0.1 * (w.flat(0) * w.flat(0) + w.flat(1) * w.flat(1));
  BOOST_TEST(history["loss"][0] == expected, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(history["val_loss"][0] == expected, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(class_ids_and_one_hot_targets_train_alike) {
  const Classes targets = classes();
  const Tensor x = random_tensor({12, 4}, 21);
  Dense sparse(DenseOptions(3).seed(2)), dense(DenseOptions(3).seed(2));
  const History a = fit(sparse, x, targets.ids,
                        quiet_sgd(0.5)
                            .epochs(3)
                            .batch_size(4)
                            .metrics({"accuracy"})
                            .loss(Loss("sparse_categorical_crossentropy").from_logits(true)));
  const History b = fit(dense, x, targets.one_hot,
                        quiet_sgd(0.5).epochs(3).batch_size(4).metrics({"acc"}).loss(
                            Loss("categorical_crossentropy").from_logits(true)));
  const auto wa = copy_weights(sparse), wb = copy_weights(dense);
  for (std::size_t i = 0; i < wa.size(); ++i)
    BOOST_TEST(testing::max_abs_diff(wa[i], wb[i]) < 1e-12);
  BOOST_TEST(a["accuracy"] == b["acc"], boost::test_tools::per_element());
  // The reported accuracy is the share of argmax predictions that hit the id.
  const Tensor logits = predict(sparse, x);
  double hits = 0;
  for (std::size_t r = 0; r < 12; ++r) {
    std::size_t best = 0;
    for (std::size_t c = 1; c < 3; ++c) {
      if (logits.flat(r * 3 + c) > logits.flat(r * 3 + best)) best = c;
    }
    hits += best == targets.ids.flat(r) ? 1 : 0;
  }
  const Logs scores = evaluate(sparse, x, targets.ids,
                               EvaluateOptions()
                                   .loss(Loss("sparse_categorical_crossentropy").from_logits(true))
                                   .metrics({"accuracy"}));
  BOOST_TEST(scores.at("accuracy") == hits / 12, boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(masks_keep_padding_out_of_the_loss) {
  auto make = [] {
    auto model = std::make_shared<Sequential>();
    model->add(std::make_shared<Gru>(GruOptions(3).seed(3).return_sequences(true)))
        .add(std::make_shared<Dense>(DenseOptions(1).seed(4)));
    return model;
  };
  const Tensor x = random_tensor({4, 5, 2}, 22);
  std::vector<double> mask_values(20, 1.0), with_nan, with_zero;
  const Tensor y = random_tensor({4, 5, 1}, 23);
  for (std::size_t i = 0; i < 20; ++i) {
    if (i % 5 >= 3 + i / 5 % 2) mask_values[i] = 0;  // the last steps of each sample are padding
    with_nan.push_back(mask_values[i] ? y.flat(i) : std::nan(""));
    with_zero.push_back(mask_values[i] ? y.flat(i) : 0.0);
  }
  const Tensor mask = Tensor::from_values({4, 5}, mask_values, DType::float64);
  auto a = make(), b = make();
  const History nan_targets = fit(
      *a, LabeledData{x, Tensor::from_values({4, 5, 1}, with_nan, DType::float64), Tensor(), mask},
      quiet_sgd(0.1).epochs(2).batch_size(2).shuffle(false));
  fit(*b, LabeledData{x, Tensor::from_values({4, 5, 1}, with_zero, DType::float64), Tensor(), mask},
      quiet_sgd(0.1).epochs(2).batch_size(2).shuffle(false));
  BOOST_TEST(std::isfinite(nan_targets["loss"][1]));
  BOOST_TEST(testing::bitwise_equal(copy_weights(*a)[0], copy_weights(*b)[0]));

  // Without a mask argument, the model's own mask (Masking) keeps the NaN targets out.
  std::vector<double> padded_x = x.to_vector();
  for (std::size_t i = 0; i < 20; ++i) {
    if (!mask_values[i]) padded_x[2 * i] = padded_x[2 * i + 1] = 0;
  }
  auto masked = std::make_shared<Sequential>();
  masked->add(std::make_shared<Masking>(0.0))
      .add(std::make_shared<Gru>(GruOptions(3).seed(3).return_sequences(true)))
      .add(std::make_shared<Dense>(DenseOptions(1).seed(4)));
  const History own_mask = fit(*masked, Tensor::from_values({4, 5, 2}, padded_x, DType::float64),
                               Tensor::from_values({4, 5, 1}, with_nan, DType::float64),
                               quiet_sgd(0.1).epochs(2).batch_size(2).metrics({"mae"}));
  BOOST_TEST(std::isfinite(own_mask["loss"][1]));
  BOOST_TEST(std::isfinite(own_mask["mae"][1]));
}

BOOST_AUTO_TEST_CASE(gradients_are_clipped_before_the_step) {
  const auto data = testing::regression(5, 2, 24);
  {
    Dense model(DenseOptions(1).seed(5));
    const auto grads = mse_gradients(model, data.x, data.y);
    const auto before = copy_weights(model);
    fit(model, data.x, data.y, quiet_sgd(1).batch_size(5).shuffle(false).clip_value(1e-3));
    const auto after = copy_weights(model);
    for (std::size_t t = 0; t < before.size(); ++t) {
      for (std::size_t i = 0; i < before[t].size(); ++i) {
        const double clipped = std::max(-1e-3, std::min(1e-3, grads[t].flat(i)));
        BOOST_TEST(after[t].flat(i) == before[t].flat(i) - clipped,
                   boost::test_tools::tolerance(1e-15));
      }
    }
  }
  {
    Dense model(DenseOptions(1).seed(5));
    const auto grads = mse_gradients(model, data.x, data.y);
    const auto before = copy_weights(model);
    double norm = 0;
    for (const Tensor& g : grads) {
      for (double v : g.to_vector()) norm += v * v;
    }
    norm = std::sqrt(norm);
    BOOST_REQUIRE(norm > 0.01);
    fit(model, data.x, data.y, quiet_sgd(1).batch_size(5).shuffle(false).global_clip_norm(0.01));
    const auto after = copy_weights(model);
    for (std::size_t t = 0; t < before.size(); ++t) {
      for (std::size_t i = 0; i < before[t].size(); ++i) {
        BOOST_TEST(after[t].flat(i) == before[t].flat(i) - grads[t].flat(i) * 0.01 / norm,
                   boost::test_tools::tolerance(1e-13));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(errors_name_the_option_or_the_data) {
  const auto data = testing::regression(4, 2, 25);
  Dense model(DenseOptions(1));
  auto check = [&](const FitOptions& options, const std::vector<std::string>& fragments) {
    require_error<ValueError>([&] { fit(model, data.x, data.y, options); }, fragments);
  };
  check(FitOptions(), {"FitOptions: optimizer", "an optimizer", "none"});
  check(quiet_sgd(1).batch_sizes({}), {"FitOptions: batch_sizes", "at least one size"});
  check(quiet_sgd(1).batch_sizes({4, 0}), {"FitOptions: batch_sizes", "sizes >= 1", "0"});
  check(quiet_sgd(1).validation_split(1), {"FitOptions", "validation_split", "in [0, 1)", "1"});
  check(quiet_sgd(1).validation_split(0.5).validation_data(LabeledData{data.x, data.y, {}, {}}),
        {"FitOptions", "validation_split or validation_data", "both"});
  check(quiet_sgd(1).loss(Loss("mse").reduction(Reduction::none)),
        {"FitOptions: loss", "reduction mean or sum", "reduction none"});
  check(quiet_sgd(1).metrics({"accuracy"}),
        {"metric \"accuracy\"", "crossentropy", "loss mean_squared_error"});
  check(quiet_sgd(1).metrics({"f1"}), {"f1"});
  check(quiet_sgd(1).clip_norm(-1), {"FitOptions", "clip_norm", "> 0", "-1"});
  check(quiet_sgd(1).verbosity(Verbosity::automatic).output(nullptr),
        {"FitOptions: output", "a null pointer"});
  check(quiet_sgd(1).callbacks({nullptr}), {"FitOptions: callbacks", "a null pointer"});
  require_error<ShapeError>(
      [&] {
        fit(model, data.x, take_rows(data.y, {0, 1}), quiet_sgd(1));
      },
      {"fit", "targets y whose leading extents are x's (4)", "(2, 1)"});
  require_error<ValueError>(
      [&] {
        fit(model, Tensor::zeros({0, 2}, DType::float64), Tensor::zeros({0, 1}), quiet_sgd(1));
      },
      {"fit", "at least one training sample", "none"});
  require_error<ValueError>(
      [&] {
        evaluate(model, data.x, data.y,
                 EvaluateOptions().loss(Loss("mse").reduction(Reduction::none)));
      },
      {"evaluate: loss", "reduction mean or sum", "reduction none"});
  require_error<ValueError>([&] { predict(model, data.x, 0); },
                            {"predict", "batch_size >= 1", "batch_size = 0"});
  require_error<ShapeError>([&] { predict(model, Tensor::scalar(1)); },
                            {"predict", "x (samples, ...)", "()"});
}

BOOST_AUTO_TEST_SUITE_END()
