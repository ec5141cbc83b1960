#include <boost/test/unit_test.hpp>

#include "autodiff/tape.hpp"
#include "layers/basic/dense.hpp"
#include "layers/basic/dropout.hpp"
#include "layers/gru/gru.hpp"
#include "layers/models/sequential.hpp"
#include "optim/data/dataset.hpp"
#include "optim/optimizers/adam.hpp"
#include "optim/training/fit.hpp"
#include "tests/optim/fit_helpers.hpp"

using namespace grutape;
using testing::quiet_sgd;
using testing::random_tensor;

namespace {

std::shared_ptr<Sequential> gru_model() {
  auto model = std::make_shared<Sequential>();
  model->add(std::make_shared<Gru>(GruOptions(3).seed(1)))
      .add(std::make_shared<Dense>(DenseOptions(1).seed(2)));
  return model;
}

std::vector<Tensor> weights_of(const Layer& model) {
  return copy_weights(model);
}

bool same_weights(const Layer& a, const Layer& b) {
  const auto wa = weights_of(a), wb = weights_of(b);
  if (wa.size() != wb.size()) return false;
  for (std::size_t i = 0; i < wa.size(); ++i) {
    if (!testing::bitwise_equal(wa[i], wb[i])) return false;
  }
  return true;
}

// Records run.steps at the start of every epoch.
struct StepsRecorder : Callback {
  std::vector<std::size_t> steps;
  void on_epoch_begin(TrainingRun& run, std::size_t) override { steps.push_back(run.steps); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(fit_test)

BOOST_AUTO_TEST_CASE(matches_a_hand_written_sgd_loop) {
  const auto data = testing::regression(10, 3, 1);
  Dense model(DenseOptions(1).seed(3));
  model(Value(data.x));
  std::vector<double> w = model.parameter("kernel").value().to_vector();
  double b = model.parameter("bias").value().item();
  // Mini-batch SGD on L = mean over the batch of (x w + b - y)^2, batches of 4 in order:
  // dL/dw = 2 / B sum_r e_r x_r, dL/db = 2 / B sum_r e_r.
  std::vector<double> epoch_losses;
  for (int epoch = 0; epoch < 2; ++epoch) {
    double weighted = 0;
    for (std::size_t start = 0; start < 10; start += 4) {
      const std::size_t end = std::min<std::size_t>(10, start + 4), batch = end - start;
      std::vector<double> gw(3, 0.0);
      double gb = 0, loss = 0;
      for (std::size_t r = start; r < end; ++r) {
        double e = b - data.y.flat(r);
        for (std::size_t f = 0; f < 3; ++f) e += data.x.flat(r * 3 + f) * w[f];
        loss += e * e / batch;
        for (std::size_t f = 0; f < 3; ++f) gw[f] += 2 * e * data.x.flat(r * 3 + f) / batch;
        gb += 2 * e / batch;
      }
      for (std::size_t f = 0; f < 3; ++f) w[f] -= 0.1 * gw[f];
      b -= 0.1 * gb;
      weighted += loss * batch;
    }
    epoch_losses.push_back(weighted / 10);
  }
  const History history =
      fit(model, data.x, data.y, quiet_sgd(0.1).epochs(2).batch_size(4).shuffle(false));
  const std::vector<double> got = model.parameter("kernel").value().to_vector();
  for (std::size_t f = 0; f < 3; ++f)
    BOOST_TEST(got[f] == w[f], boost::test_tools::tolerance(1e-12));
  BOOST_TEST(model.parameter("bias").value().item() == b, boost::test_tools::tolerance(1e-12));
  BOOST_REQUIRE(history.size() == 2u);
  BOOST_TEST(history.keys() == std::vector<std::string>{"loss"}, boost::test_tools::per_element());
  for (std::size_t e = 0; e < 2; ++e) {
    BOOST_TEST(history["loss"][e] == epoch_losses[e], boost::test_tools::tolerance(1e-12));
  }
}

BOOST_AUTO_TEST_CASE(batch_size_lists_set_each_epochs_steps) {
  const auto data = testing::regression(8, 2, 2);
  Dense model(DenseOptions(1).seed(4));
  auto recorder = std::make_shared<StepsRecorder>();
  auto options = quiet_sgd(0.1).epochs(4).batch_sizes({2, 4, 3}).callbacks({recorder});
  fit(model, data.x, data.y, options);
  // 8 rows in batches of 2, 4, then 3 for every later epoch.
  BOOST_TEST(recorder->steps == (std::vector<std::size_t>{4, 2, 3, 3}),
             boost::test_tools::per_element());
  BOOST_TEST(options.optimizer()->step_count() == 12u);
}

BOOST_AUTO_TEST_CASE(rank_four_input_trains_as_its_batches) {
  const Tensor x = random_tensor({8, 3, 2}, 3);
  const Tensor y = random_tensor({8, 1}, 4);
  auto rows = gru_model(), batched = gru_model();
  const History by_rows =
      fit(*rows, x, y, quiet_sgd(0.2).epochs(2).batch_size(4).shuffle(false).metrics({"mae"}));
  // (number of batches, batch, timesteps, features): the batch size option does not apply.
  const History by_batches =
      fit(*batched, x.reshaped({2, 4, 3, 2}), y.reshaped({2, 4, 1}),
          quiet_sgd(0.2).epochs(2).batch_size(3).shuffle(false).metrics({"mae"}));
  BOOST_TEST(same_weights(*rows, *batched));
  BOOST_TEST(by_rows["loss"] == by_batches["loss"], boost::test_tools::per_element());
  BOOST_TEST(by_rows["mae"] == by_batches["mae"], boost::test_tools::per_element());
  // Predictions keep the batched form.
  const Tensor flat = predict(*rows, x, 4);
  const Tensor nested = predict(*rows, x.reshaped({2, 4, 3, 2}));
  BOOST_TEST((nested.shape() == Shape{2, 4, 1}));
  BOOST_TEST(testing::bitwise_equal(nested.reshaped({8, 1}), flat));
}

BOOST_AUTO_TEST_CASE(validation_split_and_validation_data) {
  const auto data = testing::regression(10, 2, 5);
  const std::vector<std::size_t> head{0, 1, 2, 3, 4, 5, 6}, tail{7, 8, 9};
  Dense split_model(DenseOptions(1).seed(6)), data_model(DenseOptions(1).seed(6));
  auto recorder = std::make_shared<StepsRecorder>();
  const History split =
      fit(split_model, data.x, data.y,
          quiet_sgd(0.1).epochs(2).batch_size(3).validation_split(0.3).metrics({"rmse"}).callbacks(
              {recorder}));
  // 7 training rows in batches of 3; the last 3 rows validate.
  BOOST_TEST(recorder->steps == (std::vector<std::size_t>{3, 3}), boost::test_tools::per_element());
  BOOST_TEST(split.keys() == (std::vector<std::string>{"loss", "rmse", "val_loss", "val_rmse"}),
             boost::test_tools::per_element());
  const Logs scores = evaluate(split_model, take_rows(data.x, tail), take_rows(data.y, tail),
                               EvaluateOptions().batch_size(3).metrics({"rmse"}));
  BOOST_TEST(split["val_loss"].back() == scores.at("loss"));
  BOOST_TEST(split["val_rmse"].back() == scores.at("rmse"));

  const History explicit_data =
      fit(data_model, take_rows(data.x, head), take_rows(data.y, head),
          quiet_sgd(0.1).epochs(2).batch_size(3).metrics({"rmse"}).validation_data(
              LabeledData{take_rows(data.x, tail), take_rows(data.y, tail), Tensor(), Tensor()}));
  BOOST_TEST(same_weights(split_model, data_model));
  BOOST_TEST(explicit_data["val_loss"] == split["val_loss"], boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(shuffling_is_reproducible_by_seed) {
  const auto data = testing::regression(12, 2, 7);
  Dense a(DenseOptions(1).seed(8)), b(DenseOptions(1).seed(8)), c(DenseOptions(1).seed(8)),
      unshuffled(DenseOptions(1).seed(8));
  fit(a, data.x, data.y, quiet_sgd(0.1).epochs(2).batch_size(5).seed(11));
  fit(b, data.x, data.y, quiet_sgd(0.1).epochs(2).batch_size(5).seed(11));
  fit(c, data.x, data.y, quiet_sgd(0.1).epochs(2).batch_size(5).seed(12));
  fit(unshuffled, data.x, data.y, quiet_sgd(0.1).epochs(2).batch_size(5).shuffle(false));
  BOOST_TEST(same_weights(a, b));
  BOOST_TEST(!same_weights(a, c));
  BOOST_TEST(!same_weights(a, unshuffled));
}

BOOST_AUTO_TEST_CASE(resuming_from_initial_epoch_repeats_the_run) {
  const auto data = testing::regression(9, 2, 8);
  Dense straight(DenseOptions(1).seed(9)), resumed(DenseOptions(1).seed(9));
  auto options = [](std::shared_ptr<Optimizer> adam) {
    return FitOptions().optimizer(adam).batch_size(4).seed(3).verbosity(Verbosity::quiet);
  };
  const History whole = fit(straight, data.x, data.y, options(std::make_shared<Adam>()).epochs(4));
  auto adam = std::make_shared<Adam>();
  fit(resumed, data.x, data.y, options(adam).epochs(2));
  const History rest = fit(resumed, data.x, data.y, options(adam).initial_epoch(2).epochs(4));
  BOOST_TEST(same_weights(straight, resumed));
  BOOST_TEST(rest.epochs() == (std::vector<std::size_t>{2, 3}), boost::test_tools::per_element());
  BOOST_TEST(rest["loss"][1] == whole["loss"][3]);
}

BOOST_AUTO_TEST_CASE(evaluate_and_predict) {
  Dense model(DenseOptions(1));
  model(Value(Tensor::zeros({1, 2}, DType::float64)));
  model.parameter("kernel").mutable_value() = Tensor::from_values({2, 1}, {1, 2}, DType::float64);
  model.parameter("bias").mutable_value() = Tensor::from_values({1}, {0.5}, DType::float64);
  const Tensor x = Tensor::from_values({3, 2}, {1, 0, 0, 1, 1, 1}, DType::float64);
  const Tensor y = Tensor::from_values({3, 1}, {1, 3, 3}, DType::float64);
  // Predictions 1.5, 2.5, 3.5: errors 0.5, -0.5, 0.5.
  const Logs scores =
      evaluate(model, x, y, EvaluateOptions().batch_size(2).metrics({"mae", "rmse"}));
  BOOST_TEST(scores.keys() == (std::vector<std::string>{"loss", "mae", "rmse"}),
             boost::test_tools::per_element());
  BOOST_TEST(scores.at("loss") == 0.25, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(scores.at("mae") == 0.5, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(scores.at("rmse") == 0.5, boost::test_tools::tolerance(1e-15));

  const std::size_t recorded = current_tape().size();
  const Tensor predicted = predict(model, x, 2);
  BOOST_TEST(current_tape().size() == recorded);
  BOOST_TEST(predicted.to_vector() == (std::vector<double>{1.5, 2.5, 3.5}),
             boost::test_tools::per_element());
  // float32 inputs are converted to the model's float64.
  BOOST_TEST(predict(model, x.to(DType::float32)).dtype() == DType::float64);
  BOOST_TEST((predict(model, Tensor::zeros({0, 2}, DType::float64)).shape() == Shape{0, 1}));
}

BOOST_AUTO_TEST_CASE(training_flags_are_set_during_fit_and_restored) {
  const auto data = testing::regression(6, 2, 10);
  auto dense = std::make_shared<Dense>(DenseOptions(1).seed(10));
  auto dropout = std::make_shared<Dropout>(DropoutOptions(0.5).seed(1));
  Sequential model;
  model.add(dense).add(dropout);
  model.set_training(false);
  dropout->set_training(true);
  struct Flags : Callback {
    std::shared_ptr<Layer> layer;
    std::vector<bool> seen;
    void on_batch_end(TrainingRun&, std::size_t, const Logs&) override {
      seen.push_back(layer->flags().training);
    }
  };
  auto flags = std::make_shared<Flags>();
  flags->layer = dense;
  fit(model, data.x, data.y, quiet_sgd(0.1).batch_size(6).callbacks({flags}));
  BOOST_TEST(flags->seen == std::vector<bool>{true}, boost::test_tools::per_element());
  BOOST_TEST(!model.flags().training);
  BOOST_TEST(!dense->flags().training);
  BOOST_TEST(dropout->flags().training);
}

BOOST_AUTO_TEST_SUITE_END()
