#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

#include "optim/callbacks/callback.hpp"
#include "tests/optim/fit_helpers.hpp"

using namespace grutape;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(callback_test)

BOOST_AUTO_TEST_CASE(monitor_modes_follow_the_name) {
  BOOST_TEST((resolve_monitor_mode(MonitorMode::automatic, "val_accuracy") == MonitorMode::max));
  BOOST_TEST((resolve_monitor_mode(MonitorMode::automatic, "acc") == MonitorMode::max));
  BOOST_TEST((resolve_monitor_mode(MonitorMode::automatic, "val_loss") == MonitorMode::min));
  BOOST_TEST((resolve_monitor_mode(MonitorMode::automatic, "mae") == MonitorMode::min));
  BOOST_TEST((resolve_monitor_mode(MonitorMode::max, "val_loss") == MonitorMode::max));
  const double inf = std::numeric_limits<double>::infinity();
  BOOST_TEST(monitor_worst(MonitorMode::min) == inf);
  BOOST_TEST(monitor_worst(MonitorMode::max) == -inf);
}

BOOST_AUTO_TEST_CASE(improvement_needs_more_than_min_delta) {
  BOOST_TEST(monitor_improves(0.5, 1.0, 0.0, MonitorMode::min));
  BOOST_TEST(!monitor_improves(1.0, 1.0, 0.0, MonitorMode::min));
  BOOST_TEST(!monitor_improves(0.95, 1.0, 0.1, MonitorMode::min));
  BOOST_TEST(monitor_improves(0.85, 1.0, 0.1, MonitorMode::min));
  BOOST_TEST(monitor_improves(0.7, 0.5, 0.1, MonitorMode::max));
  BOOST_TEST(!monitor_improves(0.55, 0.5, 0.1, MonitorMode::max));
  BOOST_TEST(!monitor_improves(std::nan(""), 1.0, 0.0, MonitorMode::min));
  BOOST_TEST(monitor_improves(1e300, monitor_worst(MonitorMode::min), 0.0, MonitorMode::min));
}

BOOST_AUTO_TEST_CASE(weights_are_copied_and_restored_as_new_tensors) {
  testing::TinyRun tiny;
  const std::vector<Tensor> saved = copy_weights(tiny.model);
  BOOST_REQUIRE(saved.size() == 2u);
  Value kernel = tiny.model.parameter("kernel");
  const Tensor old_kernel = kernel.value();
  kernel.mutable_value() = Tensor::full({2, 1}, 7.0, DType::float64);
  restore_weights(tiny.model, saved);
  BOOST_TEST(testing::bitwise_equal(tiny.model.parameter("kernel").value(), saved[0]));
  // The restored tensor is a copy: changing it leaves the saved one alone.
  BOOST_TEST(&tiny.model.parameter("kernel").value().array<double>() != &saved[0].array<double>());
  BOOST_TEST(testing::bitwise_equal(old_kernel, saved[0]));
  require_error<ValueError>([&] { restore_weights(tiny.model, {saved[0]}); },
                            {"restore_weights", "2 tensors", "1"});
  require_error<ShapeError>(
      [&] {
        restore_weights(tiny.model, {saved[1], saved[1]});
      },
      {"restore_weights \"kernel\"", "(2, 1)", "(1)"});
}

BOOST_AUTO_TEST_CASE(default_hooks_do_nothing) {
  testing::TinyRun tiny;
  Callback callback;
  Logs logs = testing::logs_of("loss", 1);
  callback.on_train_begin(tiny.run);
  callback.on_epoch_begin(tiny.run, 0);
  callback.on_batch_end(tiny.run, 0, logs);
  callback.on_epoch_end(tiny.run, 0, logs);
  callback.on_train_end(tiny.run, logs);
  BOOST_TEST(!tiny.run.stop_training);
  BOOST_TEST(logs.keys().size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
