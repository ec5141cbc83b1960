#include <boost/test/unit_test.hpp>

#include "optim/callbacks/early_stopping.hpp"
#include "optim/training/fit.hpp"
#include "tests/optim/fit_helpers.hpp"

using namespace grutape;
using testing::logs_of;
using testing::require_error;

namespace {

// Feeds `values` of `key` epoch by epoch until the callback stops the run; returns the epochs run.
std::size_t drive(EarlyStopping& stopping, testing::TinyRun& tiny, const std::string& key,
                  const std::vector<double>& values) {
  stopping.on_train_begin(tiny.run);
  std::size_t epoch = 0;
  for (; epoch < values.size() && !tiny.run.stop_training; ++epoch) {
    Logs logs = logs_of(key, values[epoch]);
    stopping.on_epoch_end(tiny.run, epoch, logs);
  }
  stopping.on_train_end(tiny.run, Logs());
  return epoch;
}

// Overwrites logs["score"] with a scripted value per epoch.
class Script : public Callback {
 public:
  explicit Script(std::vector<double> values) : values_(std::move(values)) {}
  void on_epoch_end(TrainingRun&, std::size_t epoch, Logs& logs) override {
    logs.set("score", values_.at(epoch));
  }

 private:
  std::vector<double> values_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(early_stopping_test)

BOOST_AUTO_TEST_CASE(stops_after_patience_epochs_without_improvement) {
  testing::TinyRun tiny;
  EarlyStopping stopping(EarlyStoppingOptions().patience(2));
  // Best at epoch 1; epochs 2 and 3 do not improve: stop at 3.
  BOOST_TEST(drive(stopping, tiny, "val_loss", {1.0, 0.9, 0.95, 0.96, 0.5}) == 4u);
  BOOST_REQUIRE(stopping.stopped_epoch().has_value());
  BOOST_TEST(*stopping.stopped_epoch() == 3u);
  BOOST_TEST(*stopping.best_epoch() == 1u);
  BOOST_TEST(stopping.best() == 0.9);
}

BOOST_AUTO_TEST_CASE(patience_zero_stops_at_the_first_setback) {
  testing::TinyRun tiny;
  EarlyStopping stopping;
  BOOST_TEST(drive(stopping, tiny, "val_loss", {1.0, 0.8, 0.8, 0.1}) == 3u);
  BOOST_TEST(*stopping.stopped_epoch() == 2u);
}

BOOST_AUTO_TEST_CASE(min_delta_and_max_mode) {
  {
    testing::TinyRun tiny;
    EarlyStopping stopping(EarlyStoppingOptions().monitor("loss").min_delta(0.1).patience(1));
    // 0.95 is not 0.1 below 1.0.
    BOOST_TEST(drive(stopping, tiny, "loss", {1.0, 0.95, 0.5}) == 2u);
  }
  {
    testing::TinyRun tiny;
    // "val_accuracy" is watched in max mode.
    EarlyStopping stopping(EarlyStoppingOptions().monitor("val_accuracy"));
    BOOST_TEST(drive(stopping, tiny, "val_accuracy", {0.5, 0.6, 0.55, 0.9}) == 3u);
    BOOST_TEST(stopping.best() == 0.6);
  }
  {
    testing::TinyRun tiny;
    EarlyStopping stopping(EarlyStoppingOptions().monitor("val_loss").mode(MonitorMode::max));
    BOOST_TEST(drive(stopping, tiny, "val_loss", {0.5, 0.4, 0.9}) == 2u);
  }
}

BOOST_AUTO_TEST_CASE(a_baseline_must_be_beaten_for_the_wait_to_restart) {
  testing::TinyRun tiny;
  EarlyStopping stopping(EarlyStoppingOptions().patience(2).baseline(0.5));
  // Improves at 0 but misses the baseline (wait 1); fails at 1 (wait 2): stop.
  BOOST_TEST(drive(stopping, tiny, "val_loss", {0.9, 0.95, 0.1}) == 2u);
  testing::TinyRun other;
  EarlyStopping beaten(EarlyStoppingOptions().patience(2).baseline(0.5));
  BOOST_TEST(drive(beaten, other, "val_loss", {0.4, 0.45, 0.46, 0.47}) == 3u);
}

BOOST_AUTO_TEST_CASE(start_from_epoch_ignores_the_warm_up) {
  testing::TinyRun tiny;
  EarlyStopping stopping(EarlyStoppingOptions().start_from_epoch(2));
  BOOST_TEST(drive(stopping, tiny, "val_loss", {1.0, 2.0, 3.0, 2.5, 2.7}) == 5u);
  BOOST_TEST(*stopping.stopped_epoch() == 4u);
  BOOST_TEST(*stopping.best_epoch() == 3u);
}

BOOST_AUTO_TEST_CASE(restores_the_best_epochs_weights) {
  testing::TinyRun tiny;
  EarlyStopping stopping(EarlyStoppingOptions().patience(1).restore_best_weights(true));
  stopping.on_train_begin(tiny.run);
  const std::vector<double> values{0.5, 0.3, 0.4};
  for (std::size_t epoch = 0; epoch < values.size(); ++epoch) {
    // The weights of epoch e are all e + 1.
    Value kernel = tiny.model.parameter("kernel");
    kernel.mutable_value() = Tensor::full({2, 1}, epoch + 1.0, DType::float64);
    Logs logs = logs_of("val_loss", values[epoch]);
    stopping.on_epoch_end(tiny.run, epoch, logs);
  }
  BOOST_TEST(tiny.run.stop_training);
  stopping.on_train_end(tiny.run, Logs());
  BOOST_TEST(tiny.model.parameter("kernel").value().to_vector() == (std::vector<double>{2, 2}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(fit_stops_and_records_the_epochs_run) {
  const auto data = testing::regression(8, 2, 3);
  Dense model(DenseOptions(1).seed(2));
  auto stopping = std::make_shared<EarlyStopping>(
      EarlyStoppingOptions().monitor("score").patience(1).restore_best_weights(true));
  std::vector<Tensor> weights_after_epoch;
  struct Recorder : Callback {
    std::vector<Tensor>* weights;
    void on_epoch_end(TrainingRun& run, std::size_t, Logs&) override {
      weights->push_back(run.model.parameter("kernel").value().clone());
    }
  };
  auto recorder = std::make_shared<Recorder>();
  recorder->weights = &weights_after_epoch;
  const History history = fit(
      model, data.x, data.y,
      FitOptions()
          .optimizer(std::make_shared<Sgd>(SgdOptions().learning_rate(0.1)))
          .epochs(10)
          .batch_size(4)
          .verbosity(Verbosity::quiet)
          .callbacks({std::make_shared<Script>(std::vector<double>{3, 1, 2, 2, 0, 0, 0, 0, 0, 0}),
                      recorder, stopping}));
  BOOST_TEST(history.size() == 3u);
  BOOST_TEST(history["score"] == (std::vector<double>{3, 1, 2}), boost::test_tools::per_element());
  BOOST_TEST(*stopping.get()->stopped_epoch() == 2u);
  BOOST_REQUIRE(weights_after_epoch.size() == 3u);
  BOOST_TEST(testing::bitwise_equal(model.parameter("kernel").value(), weights_after_epoch[1]));
}

BOOST_AUTO_TEST_CASE(errors_name_the_monitor) {
  testing::TinyRun tiny;
  EarlyStopping stopping;
  Logs logs = logs_of("loss", 1);
  require_error<ValueError>([&] { stopping.on_epoch_end(tiny.run, 0, logs); },
                            {"EarlyStopping: monitor", "[loss]", "\"val_loss\""});
  require_error<ValueError>([] { EarlyStopping(EarlyStoppingOptions().min_delta(-1)); },
                            {"EarlyStopping", "min_delta", "-1"});
  require_error<ValueError>([] { EarlyStopping(EarlyStoppingOptions().monitor("")); },
                            {"EarlyStopping", "a monitor name"});
}

BOOST_AUTO_TEST_SUITE_END()
