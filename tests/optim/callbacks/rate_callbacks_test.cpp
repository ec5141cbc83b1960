#include <boost/test/unit_test.hpp>

#include "optim/callbacks/rate_callbacks.hpp"
#include "optim/training/fit.hpp"
#include "tests/optim/fit_helpers.hpp"

using namespace grutape;
using testing::logs_of;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(rate_callbacks_test)

BOOST_AUTO_TEST_CASE(the_scheduler_sets_each_epochs_rate) {
  testing::TinyRun tiny;
  LearningRateScheduler scheduler(std::make_shared<StepDecay>(0.1, 0.5, 2));
  const std::vector<double> expected{0.1, 0.1, 0.05, 0.05, 0.025};
  for (std::size_t epoch = 0; epoch < expected.size(); ++epoch) {
    scheduler.on_epoch_begin(tiny.run, epoch);
    BOOST_TEST(tiny.optimizer.learning_rate() == expected[epoch]);
    Logs logs = logs_of("loss", 1);
    scheduler.on_epoch_end(tiny.run, epoch, logs);
    BOOST_TEST(logs.at("learning_rate") == expected[epoch]);
  }
  require_error<ValueError>([] { LearningRateScheduler(nullptr); },
                            {"LearningRateScheduler", "a schedule", "a null pointer"});
}

BOOST_AUTO_TEST_CASE(the_plateau_callback_reduces_the_rate) {
  testing::TinyRun tiny;
  tiny.optimizer.set_learning_rate(0.4);
  ReduceLrOnPlateau plateau("loss", ReduceOnPlateauOptions().patience(1).factor(0.5));
  plateau.on_train_begin(tiny.run);
  // loss: 1 (best), 1 (wait 1 -> reduce to 0.2), 0.5 (best), 0.6 (reduce to 0.1).
  const std::vector<double> losses{1, 1, 0.5, 0.6}, used{0.4, 0.4, 0.2, 0.2},
      after{0.4, 0.2, 0.2, 0.1};
  for (std::size_t epoch = 0; epoch < losses.size(); ++epoch) {
    Logs logs = logs_of("loss", losses[epoch]);
    plateau.on_epoch_end(tiny.run, epoch, logs);
    BOOST_TEST(logs.at("learning_rate") == used[epoch]);
    BOOST_TEST(tiny.optimizer.learning_rate() == after[epoch]);
  }
  BOOST_TEST(plateau.plateau().best() == 0.5);
  Logs logs = logs_of("loss", 1);
  require_error<ValueError>([&] { ReduceLrOnPlateau("val_loss").on_epoch_end(tiny.run, 0, logs); },
                            {"ReduceLrOnPlateau: monitor", "[loss]", "\"val_loss\""});
  require_error<ValueError>([] { ReduceLrOnPlateau("loss", ReduceOnPlateauOptions().factor(2)); },
                            {"factor", "2"});
  require_error<ValueError>([] { ReduceLrOnPlateau().plateau(); },
                            {"ReduceLrOnPlateau::plateau", "a started training run"});
}

BOOST_AUTO_TEST_CASE(fit_records_the_rates_used) {
  const auto data = testing::regression(4, 2, 6);
  Dense model(DenseOptions(1).seed(5));
  auto sgd = std::make_shared<Sgd>(SgdOptions().learning_rate(1));
  const History history = fit(model, data.x, data.y,
                              FitOptions()
                                  .optimizer(sgd)
                                  .epochs(3)
                                  .verbosity(Verbosity::quiet)
                                  .callbacks({std::make_shared<LearningRateScheduler>(
                                      std::make_shared<ExponentialDecay>(0.1, 0.5, 1))}));
  BOOST_TEST(history["learning_rate"] == (std::vector<double>{0.1, 0.05, 0.025}),
             boost::test_tools::per_element());
  BOOST_TEST(sgd->learning_rate() == 0.025);
}

BOOST_AUTO_TEST_SUITE_END()
