#include <boost/test/unit_test.hpp>

#include <cmath>

#include <nlohmann/json.hpp>

#include "layers/basic/dense.hpp"
#include "layers/losses/metrics.hpp"
#include "optim/training/fit.hpp"
#include "optim/training/train_config.hpp"
#include "tests/registry_checks.hpp"

using namespace grutape;
using testing::require_error;
namespace tt = boost::test_tools;

namespace {

// A program's own metric: per sample, the fraction of outputs within `tolerance` of the target.
MetricDefinition within_tolerance() {
  MetricDefinition definition;
  definition.parameters = {{"tolerance", 0.1}};
  definition.scores = [](const Tensor& y_true, const Tensor& y_pred,
                         const std::map<std::string, double>& parameters) {
    const std::size_t width = y_pred.shape().back(), rows = y_pred.size() / width;
    MetricScores scores{std::vector<double>(rows)};
    for (std::size_t i = 0; i < y_pred.size(); ++i) {
      const bool close = std::abs(y_pred.flat(i) - y_true.flat(i)) <= parameters.at("tolerance");
      scores.sums[i / width] += (close ? 1.0 : 0.0) / static_cast<double>(width);
    }
    return scores;
  };
  return definition;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(metrics_test)

BOOST_AUTO_TEST_CASE(binary_accuracy_counts_thresholded_matches) {
  const Tensor y = Tensor::from_values({2, 3}, {1, 0, 1, 0, 0, 1});
  const Tensor p = Tensor::from_values({2, 3}, {0.9, 0.2, 0.4, 0.6, 0.1, 0.5});
  // Default threshold 0.5 (strictly above): row 0 matches 2 of 3, row 1 matches 1 of 3.
  BOOST_TEST(metrics::binary_accuracy(y, p) == 0.5, tt::tolerance(1e-15));
  // Threshold 0.3: row 0 matches all 3, row 1 the 0.1 and the 0.5, not the 0.6.
  BOOST_TEST(metrics::binary_accuracy(y, p, 0.3) == (1.0 + 2.0 / 3) / 2, tt::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(categorical_and_sparse_accuracy) {
  const Tensor p =
      Tensor::from_values({4, 3}, {0.1, 0.7, 0.2, 0.5, 0.4, 0.1, 0.3, 0.3, 0.4, 0.6, 0.2, 0.2});
  const Tensor one_hot = Tensor::from_values({4, 3}, {0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1});
  // Predicted classes 1, 0, 2, 0 against 1, 1, 2, 2.
  BOOST_TEST(metrics::categorical_accuracy(one_hot, p) == 0.5);
  const Tensor ids = Tensor::from_values({4}, {1, 1, 2, 2});
  BOOST_TEST(metrics::sparse_categorical_accuracy(ids, p) == 0.5);
  BOOST_TEST(metrics::sparse_categorical_accuracy(ids.reshaped({4, 1}), p) == 0.5);
  // Ties go to the first maximum.
  const Tensor tie = Tensor::from_values({1, 3}, {0.4, 0.4, 0.2});
  BOOST_TEST(metrics::sparse_categorical_accuracy(Tensor::from_values({1}, {0}), tie) == 1.0);
  BOOST_TEST(metrics::sparse_categorical_accuracy(Tensor::from_values({1}, {1}), tie) == 0.0);
}

BOOST_AUTO_TEST_CASE(mae_and_rmse) {
  const Tensor y = Tensor::from_values({2, 2}, {1, 2, 3, 4});
  const Tensor p = Tensor::from_values({2, 2}, {1.5, 1, 3, 6});
  // |e| = 0.5, 1, 0, 2; e^2 = 0.25, 1, 0, 4.
  BOOST_TEST(metrics::mean_absolute_error(y, p) == 0.875);
  BOOST_TEST(metrics::root_mean_squared_error(y, p) == std::sqrt(5.25 / 4), tt::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(masks_leave_out_padding_steps) {
  // (batch 2, timesteps 3, classes 2); steps [0, 2] and [1, 1], [1, 2] are padding.
  const Tensor p =
      Tensor::from_values({2, 3, 2}, {0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.3, 0.7, 0.5, 0.5, 0.5, 0.5});
  const Tensor ids = Tensor::from_values({2, 3}, {0, 0, 1, 1, 0, 0});
  const Tensor mask = Tensor::from_values({2, 3}, {1, 1, 0, 1, 0, 0});
  // Valid steps predict 0, 1, 1 against 0, 0, 1.
  BOOST_TEST(metrics::sparse_categorical_accuracy(ids, p, mask) == 2.0 / 3, tt::tolerance(1e-15));
  const Tensor y = Tensor::zeros({2, 3, 2});
  // RMSE over the 6 valid elements: squares 0.81, 0.01, 0.04, 0.64, 0.09, 0.49.
  BOOST_TEST(metrics::root_mean_squared_error(y, p, mask) == std::sqrt(2.08 / 6),
             tt::tolerance(1e-7));
  // MAE per valid step: 0.5, 0.5, 0.5.
  BOOST_TEST(metrics::mean_absolute_error(y, p, mask) == 0.5, tt::tolerance(1e-7));
  BOOST_TEST(metrics::mean_absolute_error(y, p, Tensor::zeros({2, 3})) == 0.0);
}

BOOST_AUTO_TEST_CASE(streaming_over_batches) {
  Metric accuracy("binary_accuracy");
  BOOST_TEST(accuracy.result() == 0.0);
  accuracy.update(Tensor::from_values({2, 1}, {1, 0}), Tensor::from_values({2, 1}, {0.8, 0.9}));
  accuracy.update(Tensor::from_values({3, 1}, {1, 1, 0}),
                  Tensor::from_values({3, 1}, {0.7, 0.6, 0.1}));
  // 1 + 3 of 5 samples right.
  BOOST_TEST(accuracy.result() == 0.8, tt::tolerance(1e-15));
  accuracy.reset();
  BOOST_TEST(accuracy.result() == 0.0);
  accuracy.update(Tensor::from_values({1, 1}, {0}), Tensor::from_values({1, 1}, {0.9}));
  BOOST_TEST(accuracy.result() == 0.0);

  // RMSE over batches is the root of the pooled mean, not the mean of roots.
  Metric rmse("rmse");
  rmse.update(Tensor::from_values({1, 1}, {0}), Tensor::from_values({1, 1}, {3}));
  rmse.update(Tensor::from_values({1, 3}, {0, 0, 0}), Tensor::from_values({1, 3}, {1, 1, 1}));
  BOOST_TEST(rmse.result() == std::sqrt(12.0 / 4), tt::tolerance(1e-15));

  // Sample weights weigh samples.
  Metric mae("mae");
  mae.update(Tensor::from_values({2, 1}, {0, 0}), Tensor::from_values({2, 1}, {1, 4}), Tensor(),
             Tensor::from_values({2}, {3, 1}));
  BOOST_TEST(mae.result() == (3 * 1.0 + 1 * 4.0) / 4, tt::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(errors_and_json) {
  require_error<ValueError>([] { Metric("auc"); }, {"Metric", "binary_accuracy", "got \"auc\""});
  require_error<ValueError>([] { Metric("mae").threshold(0.3); },
                            {"Metric mean_absolute_error: threshold", "binary_accuracy"});
  require_error<ValueError>([] { Metric("binary_accuracy").threshold(NAN); },
                            {"a finite threshold", "got nan"});
  require_error<ShapeError>(
      [] {
        metrics::mean_absolute_error(Tensor::zeros({2, 3}), Tensor::zeros({2, 2}));
      },
      {"mean_absolute_error", "targets of the predictions' shape (2, 2)", "got targets (2, 3)"});
  require_error<ShapeError>(
      [] { metrics::categorical_accuracy(Tensor::zeros({3}), Tensor::zeros({3})); },
      {"categorical_accuracy", "rank >= 2", "got (3)"});
  require_error<ShapeError>(
      [] {
        metrics::sparse_categorical_accuracy(Tensor::zeros({2, 3}), Tensor::zeros({2, 3}));
      },
      {"sparse_categorical_accuracy", "class ids of shape (2) or (2, 1)", "got targets (2, 3)"});
  require_error<ShapeError>(
      [] {
        metrics::binary_accuracy(Tensor::zeros({2, 3, 1}), Tensor::zeros({2, 3, 1}), 0.5,
                                 Tensor::ones({2}));
      },
      {"binary_accuracy: mask", "a mask of shape (2, 3)", "got (2)"});
  require_error<ShapeError>(
      [] {
        Metric("rmse").update(Tensor::zeros({2, 3}), Tensor::zeros({2, 3}), Tensor(),
                              Tensor::ones({3}));
      },
      {"root_mean_squared_error: sample_weight", "got (3)"});

  const Metric metric = Metric("binary_accuracy").threshold(0.25);
  const nlohmann::json json = metric.to_json();
  BOOST_TEST(json.dump() == R"({"name":"binary_accuracy","threshold":0.25})");
  BOOST_TEST(Metric::from_json(json).threshold() == 0.25);
  BOOST_TEST(Metric::from_json({{"name", "rmse"}}).name() == "root_mean_squared_error");
  require_error<ValueError>(
      [] {
        Metric::from_json({{"name", "mae"}, {"threshold", 0.1}});
      },
      {"Metric::from_json", "threshold", "binary_accuracy"});
  require_error<ValueError>(
      [] {
        Metric::from_json({{"name", "mae"}, {"x", 0.1}});
      },
      {"unknown key \"x\""});
}

BOOST_AUTO_TEST_CASE(a_registered_metric_is_named_like_a_builtin) {
  register_metric("test_within", within_tolerance());
  const Tensor y = Tensor::from_values({4, 1}, {0, 1, 2, 3});
  const Tensor p = Tensor::from_values({4, 1}, {0.05, 1.5, 2.05, 2.0});
  Metric metric("test_within");
  metric.update(y, p);
  BOOST_TEST(metric.result() == 0.5);  // 0.05 off twice, 0.5 and 1 off once
  BOOST_TEST(metric.to_json() == nlohmann::json({{"name", "test_within"}, {"tolerance", 0.1}}));
  Metric loose = Metric::from_json({{"name", "test_within"}, {"tolerance", 0.6}});
  loose.update(y, p);
  BOOST_TEST(loose.result() == 0.75);
  require_error<ValueError>([] { Metric("mae").parameter("tolerance", 1); },
                            {"Metric mean_absolute_error: tolerance", "as test_within does"});
  require_error<ValueError>([] { Metric("test_within").parameter("tolerance", INFINITY); },
                            {"Metric test_within: tolerance", "a finite tolerance", "got inf"});

  // Named in fit's and evaluate's metrics, as training configs and model files name them.
  Dense dense(DenseOptions(1).kernel_initializer({"ones"}));
  const Tensor x = Tensor::from_values({4, 2}, {0, 0.05, 0.5, 1, 1, 1.05, 1, 1}, DType::float32);
  EvaluateOptions options = evaluate_options_from_json(
      {{"loss", "mean_squared_error"}, {"metrics", {"test_within"}}}, "metadata");
  const Logs logs = evaluate(dense, x, y.to(DType::float32), options);
  BOOST_TEST(logs.at("test_within") == 0.5, tt::tolerance(1e-12));

  const testing::RegistryKind<MetricDefinition> kind{
      "register_metric", "unregister_metric", register_metric,
      unregister_metric, metric_names,        [](const std::string& name) { Metric{name}; },
      "Metric"};
  testing::check_registry_rules(kind, "test_within", "binary_accuracy", within_tolerance());
}

BOOST_AUTO_TEST_SUITE_END()
