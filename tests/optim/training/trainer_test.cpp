#include <boost/test/unit_test.hpp>

#include <cmath>

#include "layers/basic/dense.hpp"
#include "layers/params/regularizers.hpp"
#include "optim/training/detail/trainer.hpp"
#include "tests/optim/fit_helpers.hpp"

using namespace grutape;
using testing::random_tensor;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(trainer_test)

BOOST_AUTO_TEST_CASE(accuracy_follows_the_loss) {
  BOOST_TEST(resolve_metric("accuracy", Loss("sparse_categorical_crossentropy")).name() ==
             "sparse_categorical_accuracy");
  BOOST_TEST(resolve_metric("acc", Loss("categorical_crossentropy")).name() ==
             "categorical_accuracy");
  const Metric binary = resolve_metric("accuracy", Loss("binary_crossentropy"));
  BOOST_TEST(binary.name() == "binary_accuracy");
  BOOST_TEST(binary.threshold() == 0.5);
  // On logits, sigmoid(x) > 0.5 exactly when x > 0.
  BOOST_TEST(
      resolve_metric("accuracy", Loss("binary_crossentropy").from_logits(true)).threshold() == 0.0);
  BOOST_TEST(resolve_metric("mae", Loss("mse")).name() == "mean_absolute_error");
  require_error<ValueError>([] { resolve_metric("accuracy", Loss("huber")); },
                            {"metric \"accuracy\"", "crossentropy", "loss huber"});
}

BOOST_AUTO_TEST_CASE(loss_means_weigh_batches_by_rows) {
  LossMean mean;
  BOOST_TEST(mean.result() == 0.0);
  mean.add(1, 2);
  mean.add(4, 1);
  BOOST_TEST(mean.result() == 2.0);
}

BOOST_AUTO_TEST_CASE(metric_sets_write_under_their_names) {
  MetricSet metrics({"mae", "rmse"}, Loss("mse"));
  const Tensor y = Tensor::from_values({2, 1}, {0, 0}, DType::float64);
  metrics.update(y, Tensor::from_values({2, 1}, {3, -4}, DType::float64), Tensor(), Tensor());
  Logs logs;
  metrics.write(logs, "val_");
  BOOST_TEST(logs.keys() == (std::vector<std::string>{"val_mae", "val_rmse"}),
             boost::test_tools::per_element());
  BOOST_TEST(logs.at("val_mae") == 3.5);
  BOOST_TEST(logs.at("val_rmse") == std::sqrt(12.5));
  metrics.reset();
  metrics.write(logs, "val_");
  BOOST_TEST(logs.at("val_mae") == 0.0);
}

BOOST_AUTO_TEST_CASE(batch_losses_add_the_regularization_terms) {
  Dense dense(DenseOptions(1)
                  .seed(1)
                  .kernel_regularizer({"l1", {{"l1", 0.5}}})
                  .activity_regularizer({"l2", {{"l2", 0.25}}}));
  const Tensor x = random_tensor({3, 2}, 1), y = random_tensor({3, 1}, 2);
  const BatchLoss result = batch_loss(dense, LabeledData{x, y, Tensor(), Tensor()}, Loss("mse"));
  const Tensor p = result.predictions.value();
  double mse = 0, activity = 0;
  for (std::size_t r = 0; r < 3; ++r) {
    mse += std::pow(p.flat(r) - y.flat(r), 2) / 3;
    activity += 0.25 * p.flat(r) * p.flat(r) / 3;
  }
  const Tensor w = dense.parameter("kernel").value();
  const double l1 = 0.5 * (std::abs(w.flat(0)) + std::abs(w.flat(1)));
  BOOST_TEST(result.total.value().item() == mse + activity + l1,
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(!result.mask.defined());
}

BOOST_AUTO_TEST_CASE(masked_targets_may_hold_anything) {
  // Per-step logits over 3 classes; padded steps hold NaN ids.
  Dense dense(DenseOptions(3).seed(2));
  const Tensor x = random_tensor({2, 3, 4}, 3);
  const Tensor mask = Tensor::from_values({2, 3}, {1, 1, 0, 1, 0, 0}, DType::float64);
  const Tensor padded =
      Tensor::from_values({2, 3}, {2, 1, std::nan(""), 0, 7, std::nan("")}, DType::float64);
  const Tensor zeros = Tensor::from_values({2, 3}, {2, 1, 0, 0, 0, 0}, DType::float64);
  const Loss loss = Loss("sparse_categorical_crossentropy").from_logits(true);
  const BatchLoss a = batch_loss(dense, LabeledData{x, padded, Tensor(), mask}, loss);
  const BatchLoss b = batch_loss(dense, LabeledData{x, zeros, Tensor(), mask}, loss);
  BOOST_TEST(a.total.value().item() == b.total.value().item());
  BOOST_TEST(testing::bitwise_equal(a.targets, zeros));
  // The batch's tensor itself is left alone.
  BOOST_TEST(std::isnan(padded.flat(2)));
}

BOOST_AUTO_TEST_CASE(the_model_dtype_is_its_parameters) {
  Dense dense(DenseOptions(1));
  BOOST_TEST(!model_dtype(dense).has_value());
  dense(Value(Tensor::zeros({1, 2}, DType::float32)));
  BOOST_TEST((*model_dtype(dense) == DType::float32));
}

BOOST_AUTO_TEST_SUITE_END()
