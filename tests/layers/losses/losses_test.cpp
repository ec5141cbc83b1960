#include <boost/test/unit_test.hpp>

#include <cmath>

#include "autodiff/ops/reduce.hpp"
#include "layers/losses/losses.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::random_tensor;
using testing::require_error;
using Inputs = std::vector<Value>;
namespace tt = boost::test_tools;

namespace {

// Per-sample losses written out: the mean over the last axis of f(y, p) for (rows, width) data.
std::vector<double> per_row(const Tensor& y, const Tensor& p, std::size_t width,
                            const std::function<double(double, double)>& f) {
  std::vector<double> rows(y.size() / width, 0.0);
  for (std::size_t i = 0; i < y.size(); ++i) rows[i / width] += f(y.flat(i), p.flat(i)) / width;
  return rows;
}

double mean_of(const std::vector<double>& v) {
  double total = 0;
  for (double x : v) total += x;
  return total / v.size();
}

double huber_of(double y, double p, double delta) {
  const double e = std::abs(p - y);
  return e <= delta ? 0.5 * e * e : delta * (e - 0.5 * delta);
}

double bce_of(double y, double p) {
  return -(y * std::log(p) + (1 - y) * std::log(1 - p));
}

Tensor sigmoid_of(const Tensor& x) {
  std::vector<double> v;
  for (double value : x.to_vector()) v.push_back(1 / (1 + std::exp(-value)));
  return Tensor::from_values(x.shape(), v, DType::float64);
}

// Softmax along the last axis, written out.
Tensor softmax_of(const Tensor& x, std::size_t classes) {
  std::vector<double> v = x.to_vector();
  for (std::size_t row = 0; row < v.size() / classes; ++row) {
    double total = 0;
    for (std::size_t j = 0; j < classes; ++j) total += std::exp(v[row * classes + j]);
    for (std::size_t j = 0; j < classes; ++j)
      v[row * classes + j] = std::exp(v[row * classes + j]) / total;
  }
  return Tensor::from_values(x.shape(), v, DType::float64);
}

// -sum(y log softmax(x)) per row, written out.
std::vector<double> cce_of(const Tensor& y, const Tensor& x, std::size_t classes) {
  std::vector<double> rows(y.size() / classes);
  for (std::size_t row = 0; row < rows.size(); ++row) {
    double total = 0;
    for (std::size_t j = 0; j < classes; ++j) total += std::exp(x.flat(row * classes + j));
    for (std::size_t j = 0; j < classes; ++j) {
      rows[row] -= y.flat(row * classes + j) * (x.flat(row * classes + j) - std::log(total));
    }
  }
  return rows;
}

double value(const Value& v) {
  return v.value().item();
}

const Tensor one_hot =
    Tensor::from_values({3, 4}, {0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0}, DType::float64);
const Tensor class_ids = Tensor::from_values({3}, {1, 3, 0}, DType::float64);

}  // namespace

BOOST_AUTO_TEST_SUITE(losses_test)

BOOST_AUTO_TEST_CASE(regression_losses_match_closed_forms) {
  const Tensor y = random_tensor({4, 3}, 1), p = random_tensor({4, 3}, 2);
  const Value pred(p);
  const auto se = per_row(y, p, 3, [](double a, double b) { return (b - a) * (b - a); });
  const auto ae = per_row(y, p, 3, [](double a, double b) { return std::abs(b - a); });
  const auto hu = per_row(y, p, 3, [](double a, double b) { return huber_of(a, b, 0.5); });
  BOOST_TEST(value(losses::mean_squared_error(y, pred)) == mean_of(se), tt::tolerance(1e-14));
  BOOST_TEST(value(losses::mean_absolute_error(y, pred)) == mean_of(ae), tt::tolerance(1e-14));
  BOOST_TEST(value(losses::huber(y, pred, 0.5)) == mean_of(hu), tt::tolerance(1e-14));
  // Both branches of huber occur in this data.
  std::size_t beyond = 0;
  for (std::size_t i = 0; i < y.size(); ++i) beyond += std::abs(p.flat(i) - y.flat(i)) > 0.5;
  BOOST_TEST(beyond > 0u);
  BOOST_TEST(beyond < y.size());
  // sum and none
  const double sum_se = mean_of(se) * 4;
  BOOST_TEST(
      value(losses::mean_squared_error(y, pred, LossArgs().reduction(Reduction::sum))) == sum_se,
      tt::tolerance(1e-14));
  const Tensor none =
      losses::mean_squared_error(y, pred, LossArgs().reduction(Reduction::none)).value();
  BOOST_TEST((none.shape() == Shape{4}));
  for (std::size_t b = 0; b < 4; ++b) BOOST_TEST(none.flat(b) == se[b], tt::tolerance(1e-14));
  // Rank-1 predictions are one value per sample.
  const Tensor y1 = random_tensor({5}, 3), p1 = random_tensor({5}, 4);
  const auto se1 = per_row(y1, p1, 1, [](double a, double b) { return (b - a) * (b - a); });
  BOOST_TEST(value(losses::mean_squared_error(y1, Value(p1))) == mean_of(se1),
             tt::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(binary_crossentropy_from_probabilities) {
  const Tensor y = Tensor::from_values({2, 3}, {1, 0, 0.3, 0, 1, 1}, DType::float64);
  const Tensor p = random_tensor({2, 3}, 5, 0.05, 0.95);
  const auto expected = per_row(y, p, 3, bce_of);
  BOOST_TEST(value(losses::binary_crossentropy(y, Value(p))) == mean_of(expected),
             tt::tolerance(1e-14));
  // Probabilities of exactly 0 and 1 are clipped to eps and 1 - eps: the loss stays finite.
  const Tensor certain = Tensor::from_values({1, 2}, {0, 1}, DType::float64);
  const Tensor wrong = Tensor::from_values({1, 2}, {1, 0}, DType::float64);
  const double eps = 1e-7;
  const double clipped = (-std::log(eps) - std::log(1 - (1 - eps))) / 2;
  BOOST_TEST(value(losses::binary_crossentropy(wrong, Value(certain))) == clipped,
             tt::tolerance(1e-12));
  const Tensor right = losses::binary_crossentropy(certain, Value(certain)).value();
  BOOST_TEST(right.item() == -std::log(1 - eps), tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(binary_crossentropy_logits_and_probabilities_agree) {
  const Tensor y = Tensor::from_values({2, 4}, {1, 0, 0.25, 1, 0, 0, 1, 0.5}, DType::float64);
  const Tensor x = random_tensor({2, 4}, 6, -4, 4);
  const double from_logits = value(losses::binary_crossentropy(y, Value(x), true));
  const double from_probabilities = value(losses::binary_crossentropy(y, Value(sigmoid_of(x))));
  BOOST_TEST(from_logits == from_probabilities, tt::tolerance(1e-12));
  BOOST_TEST(from_logits == mean_of(per_row(y, sigmoid_of(x), 4, bce_of)), tt::tolerance(1e-12));
  // Extreme logits stay exact: softplus(1000) = 1000, softplus(-1000) = 0.
  const Tensor extreme = Tensor::from_values({1, 4}, {1000, -1000, 1000, -1000}, DType::float64);
  const Tensor targets = Tensor::from_values({1, 4}, {0, 1, 1, 0}, DType::float64);
  BOOST_TEST(value(losses::binary_crossentropy(targets, Value(extreme), true)) == 500.0);
}

BOOST_AUTO_TEST_CASE(categorical_crossentropy_forms_agree) {
  const Tensor x = random_tensor({3, 4}, 7, -3, 3);
  const Tensor soft =
      Tensor::from_values({3, 4}, {0.1, 0.6, 0.2, 0.1, 0, 0, 0.5, 0.5, 1, 0, 0, 0}, DType::float64);
  for (const Tensor& y : {one_hot, soft}) {
    const double expected = mean_of(cce_of(y, x, 4));
    BOOST_TEST(value(losses::categorical_crossentropy(y, Value(x), true)) == expected,
               tt::tolerance(1e-13));
    const Tensor p = softmax_of(x, 4);
    BOOST_TEST(value(losses::categorical_crossentropy(y, Value(p))) == expected,
               tt::tolerance(1e-13));
    // Probabilities are normalised first, as in Keras.
    const Tensor scaled = Tensor::from_values(
        {3, 4},
        [&] {
          std::vector<double> v = p.to_vector();
          for (double& e : v) e *= 3;
          return v;
        }(),
        DType::float64);
    BOOST_TEST(value(losses::categorical_crossentropy(y, Value(scaled))) == expected,
               tt::tolerance(1e-13));
  }
}

BOOST_AUTO_TEST_CASE(sparse_targets_equal_one_hot_targets) {
  const Tensor x = random_tensor({3, 4}, 8, -3, 3);
  const Tensor p = softmax_of(x, 4);
  const Tensor ids_column = class_ids.reshaped({3, 1});
  for (bool from_logits : {true, false}) {
    const Tensor& pred = from_logits ? x : p;
    const double dense = value(losses::categorical_crossentropy(one_hot, Value(pred), from_logits));
    BOOST_TEST(value(losses::sparse_categorical_crossentropy(class_ids, Value(pred),
                                                             from_logits)) == dense,
               tt::tolerance(1e-13));
    BOOST_TEST(value(losses::sparse_categorical_crossentropy(ids_column, Value(pred),
                                                             from_logits)) == dense,
               tt::tolerance(1e-13));
  }
  // Sequences: (batch, timesteps, classes) with ids (batch, timesteps).
  const Tensor seq = random_tensor({2, 3, 4}, 9, -2, 2);
  const Tensor ids = Tensor::from_values({2, 3}, {0, 3, 2, 1, 1, 0}, DType::float64);
  std::vector<double> hot(24, 0.0);
  for (std::size_t i = 0; i < 6; ++i) hot[i * 4 + static_cast<std::size_t>(ids.flat(i))] = 1;
  const Tensor y = Tensor::from_values({2, 3, 4}, hot, DType::float64);
  BOOST_TEST(value(losses::sparse_categorical_crossentropy(ids, Value(seq), true)) ==
                 mean_of(cce_of(y, seq, 4)),
             tt::tolerance(1e-13));
}

BOOST_AUTO_TEST_CASE(sample_weights_multiply_without_dividing) {
  const Tensor y = random_tensor({2, 3}, 10), p = random_tensor({2, 3}, 11);
  const auto se = per_row(y, p, 3, [](double a, double b) { return (b - a) * (b - a); });
  const Tensor w = Tensor::from_values({2}, {0.5, 2}, DType::float64);
  const double weighted = 0.5 * se[0] + 2 * se[1];
  BOOST_TEST(
      value(losses::mean_squared_error(y, Value(p), LossArgs().sample_weight(w))) == weighted / 2,
      tt::tolerance(1e-14));
  BOOST_TEST(value(losses::mean_squared_error(
                 y, Value(p), LossArgs().sample_weight(w).reduction(Reduction::sum))) == weighted,
             tt::tolerance(1e-14));
  // Per-step weights on a sequence, and per-sample weights broadcast over its steps.
  const Tensor ys = random_tensor({2, 3, 2}, 12), ps = random_tensor({2, 3, 2}, 13);
  const auto steps = per_row(ys, ps, 2, [](double a, double b) { return (b - a) * (b - a); });
  const Tensor step_w = Tensor::from_values({2, 3}, {1, 2, 3, 4, 5, 6}, DType::float64);
  double expected = 0;
  for (std::size_t i = 0; i < 6; ++i) expected += step_w.flat(i) * steps[i];
  BOOST_TEST(value(losses::mean_squared_error(ys, Value(ps), LossArgs().sample_weight(step_w))) ==
                 expected / 6,
             tt::tolerance(1e-14));
  expected = 0.5 * (steps[0] + steps[1] + steps[2]) + 2 * (steps[3] + steps[4] + steps[5]);
  BOOST_TEST(
      value(losses::mean_squared_error(ys, Value(ps), LossArgs().sample_weight(w))) == expected / 6,
      tt::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(masked_steps_contribute_nothing) {
  const Tensor y = random_tensor({2, 3, 2}, 14), p = random_tensor({2, 3, 2}, 15);
  const Tensor mask = Tensor::from_values({2, 3}, {1, 1, 0, 1, 0, 0}, DType::float64);
  const auto steps = per_row(y, p, 2, [](double a, double b) { return (b - a) * (b - a); });
  const double expected = (steps[0] + steps[1] + steps[3]) / 3;
  const LossArgs masked = LossArgs().mask(mask);
  BOOST_TEST(value(losses::mean_squared_error(y, Value(p), masked)) == expected,
             tt::tolerance(1e-14));
  // Whatever the masked steps hold, even NaN, the value is the same.
  std::vector<double> poisoned = p.to_vector();
  poisoned[4] = NAN;
  poisoned[11] = 1e300;
  const Tensor bad = Tensor::from_values({2, 3, 2}, poisoned, DType::float64);
  BOOST_TEST(value(losses::mean_squared_error(y, Value(bad), masked)) == expected,
             tt::tolerance(1e-14));
  // Masked steps get a zero gradient.
  Value leaf(p, true);
  losses::mean_squared_error(y, leaf, masked).backward();
  for (std::size_t i : {4, 5, 8, 9, 10, 11}) BOOST_TEST(leaf.grad().flat(i) == 0.0);
  BOOST_TEST(leaf.grad().flat(0) != 0.0);
  // With weights the mask still counts the valid steps only.
  const Tensor w = Tensor::from_values({2}, {0.5, 2}, DType::float64);
  BOOST_TEST(
      value(losses::mean_squared_error(y, Value(p), LossArgs().mask(mask).sample_weight(w))) ==
          (0.5 * steps[0] + 0.5 * steps[1] + 2 * steps[3]) / 3,
      tt::tolerance(1e-14));
  // none keeps the shape with zeros at masked steps.
  const Tensor none =
      losses::mean_squared_error(y, Value(p), LossArgs().mask(mask).reduction(Reduction::none))
          .value();
  BOOST_TEST((none.shape() == Shape{2, 3}));
  BOOST_TEST(none.flat(2) == 0.0);
  BOOST_TEST(none.flat(3) == steps[3], tt::tolerance(1e-14));
  // An empty batch has no valid entry either.
  const Tensor empty = Tensor::zeros({0, 2}, DType::float64);
  BOOST_TEST(value(losses::mean_squared_error(empty, Value(empty))) == 0.0);
  // No valid step: the loss is 0 and so is its gradient.
  Value all_masked(p, true);
  Value zero = losses::mean_squared_error(y, all_masked, LossArgs().mask(Tensor::zeros({2, 3})));
  BOOST_TEST(zero.value().item() == 0.0);
  zero.backward();
  for (std::size_t i = 0; i < 12; ++i) BOOST_TEST(all_masked.grad().flat(i) == 0.0);
}

BOOST_AUTO_TEST_CASE(gradients_of_every_loss) {
  const Tensor y = random_tensor({2, 3, 4}, 16, 0, 1);
  const Tensor mask = Tensor::from_values({2, 3}, {1, 1, 0, 1, 0, 1}, DType::float64);
  const Tensor w = Tensor::from_values({2}, {0.7, 1.9}, DType::float64);
  const Tensor ids = Tensor::from_values({2, 3}, {0, 3, 2, 1, 1, 0}, DType::float64);
  const std::vector<LossArgs> settings = {LossArgs(), LossArgs().reduction(Reduction::sum),
                                          LossArgs().reduction(Reduction::none),
                                          LossArgs().mask(mask).sample_weight(w)};
  const Tensor any = random_tensor({2, 3, 4}, 17, -2, 2);
  const Tensor probabilities = random_tensor({2, 3, 4}, 18, 0.05, 0.95);
  for (const LossArgs& args : settings) {
    auto check = [&](const std::string& name, const Tensor& at,
                     const std::function<Value(const Value&)>& loss) {
      BOOST_TEST_CONTEXT(name << " reduction " << reduction_name(args.reduction())) {
        testing::require_gradients([&](const Inputs& v) { return loss(v[0]); }, {at});
      }
    };
    check("mse", any, [&](const Value& p) { return losses::mean_squared_error(y, p, args); });
    check("mae", any, [&](const Value& p) { return losses::mean_absolute_error(y, p, args); });
    check("huber", any, [&](const Value& p) { return losses::huber(y, p, 0.7, args); });
    check("bce", probabilities,
          [&](const Value& p) { return losses::binary_crossentropy(y, p, false, args); });
    check("bce logits", any,
          [&](const Value& p) { return losses::binary_crossentropy(y, p, true, args); });
    check("cce", probabilities,
          [&](const Value& p) { return losses::categorical_crossentropy(y, p, false, args); });
    check("cce logits", any,
          [&](const Value& p) { return losses::categorical_crossentropy(y, p, true, args); });
    check("sparse", probabilities, [&](const Value& p) {
      return losses::sparse_categorical_crossentropy(ids, p, false, args);
    });
    check("sparse logits", any, [&](const Value& p) {
      return losses::sparse_categorical_crossentropy(ids, p, true, args);
    });
  }
}

BOOST_AUTO_TEST_CASE(targets_take_the_predictions_dtype_and_custom_losses_reduce) {
  const Tensor y = random_tensor({3, 2}, 19), p = random_tensor({3, 2}, 20);
  const Value single = losses::mean_squared_error(y, Value(p.to(DType::float32)));
  BOOST_TEST(single.dtype() == DType::float32);
  BOOST_TEST(single.value().item() == value(losses::mean_squared_error(y, Value(p))),
             tt::tolerance(1e-6));
  // A user's loss per sample, weighted and reduced like the built-in ones.
  const Value per_sample = sum(Value(p), {-1});
  const Tensor w = Tensor::from_values({3}, {1, 0, 2}, DType::float64);
  const double expected = (p.flat(0) + p.flat(1) + 2 * (p.flat(4) + p.flat(5))) / 3;
  BOOST_TEST(
      value(losses::reduce_loss(per_sample, LossArgs().sample_weight(w), "mine")) == expected,
      tt::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(errors_name_the_loss_and_the_shapes) {
  const Value p(Tensor::zeros({2, 3}, DType::float64));
  require_error<ShapeError>(
      [&] {
        losses::mean_squared_error(Tensor::zeros({2, 2}), p);
      },
      {"mean_squared_error", "targets of the predictions' shape (2, 3)", "got targets (2, 2)"});
  require_error<ShapeError>(
      [&] { losses::mean_absolute_error(Tensor::scalar(1.0), Value(Tensor::scalar(1.0))); },
      {"mean_absolute_error", "a batch axis", "got ()"});
  require_error<ShapeError>(
      [&] { losses::categorical_crossentropy(Tensor::zeros({3}), Value(Tensor::zeros({3}))); },
      {"categorical_crossentropy", "rank >= 2", "got (3)"});
  require_error<ValueError>(
      [&] {
        losses::huber(Tensor::zeros({2, 3}), p, 0.0);
      },
      {"huber", "a finite delta > 0", "got 0"});
  require_error<ValueError>(
      [&] {
        losses::sparse_categorical_crossentropy(Tensor::from_values({2}, {1, 3}), p);
      },
      {"sparse_categorical_crossentropy", "whole numbers in [0, 3)", "got 3 at [1]"});
  require_error<ShapeError>(
      [&] {
        losses::sparse_categorical_crossentropy(Tensor::zeros({2, 3}), p);
      },
      {"sparse_categorical_crossentropy", "class ids of shape (2) or (2, 1)",
       "got targets (2, 3)"});
  require_error<ShapeError>(
      [&] {
        losses::mean_squared_error(Tensor::zeros({2, 3}), p, LossArgs().mask(Tensor::ones({2, 3})));
      },
      {"mean_squared_error: mask", "a mask of shape (2)", "got (2, 3)"});
  require_error<ShapeError>(
      [&] {
        losses::binary_crossentropy(Tensor::zeros({2, 3}), p, false,
                                    LossArgs().sample_weight(Tensor::ones({3})));
      },
      {"binary_crossentropy: sample_weight", "leading axes of (2)", "got (3)"});
  require_error<ValueError>([] { reduction_from_name("avg"); },
                            {"reduction_from_name", "mean, sum or none", "\"avg\""});
  BOOST_TEST(reduction_name(reduction_from_name("sum")) == std::string("sum"));
}

BOOST_AUTO_TEST_SUITE_END()
