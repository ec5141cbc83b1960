#include <boost/test/unit_test.hpp>

#include "optim/callbacks/model_checkpoint.hpp"
#include "optim/training/fit.hpp"
#include "tests/optim/fit_helpers.hpp"

using namespace grutape;
using testing::logs_of;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(model_checkpoint_test)

BOOST_AUTO_TEST_CASE(paths_are_formatted_from_the_epoch_and_the_logs) {
  Logs logs;
  logs.set("loss", 0.5);
  logs.set("val_loss", 0.123456);
  BOOST_TEST(format_checkpoint_path("ckpt-{epoch}-{val_loss}.json", 2, logs) ==
             "ckpt-3-0.1235.json");
  BOOST_TEST(format_checkpoint_path("model.json", 0, logs) == "model.json");
  require_error<ValueError>([&] { format_checkpoint_path("m-{accuracy}.json", 0, logs); },
                            {"format_checkpoint_path", "[loss, val_loss]", "\"accuracy\""});
  require_error<ValueError>([&] { format_checkpoint_path("m-{epoch.json", 0, logs); },
                            {"format_checkpoint_path", "'}'", "m-{epoch.json"});
}

BOOST_AUTO_TEST_CASE(saves_every_epoch_or_only_the_best) {
  testing::TinyRun tiny;
  std::vector<std::string> saved;
  const ModelSaver saver = [&](const std::string& path) { saved.push_back(path); };
  ModelCheckpoint every("e{epoch}", saver);
  ModelCheckpoint best("b{epoch}", saver, ModelCheckpointOptions().save_best_only(true));
  ModelCheckpoint best_max("m{epoch}", saver,
                           ModelCheckpointOptions().monitor("val_accuracy").save_best_only(true));
  for (auto* callback : {&every, &best, &best_max}) callback->on_train_begin(tiny.run);
  const std::vector<double> losses{0.5, 0.7, 0.4, 0.4}, accuracies{0.5, 0.7, 0.4, 0.8};
  for (std::size_t epoch = 0; epoch < losses.size(); ++epoch) {
    Logs logs;
    logs.set("val_loss", losses[epoch]);
    logs.set("val_accuracy", accuracies[epoch]);
    for (auto* callback : {&every, &best, &best_max}) callback->on_epoch_end(tiny.run, epoch, logs);
  }
  const std::vector<std::string> expected{"e1", "b1", "m1", "e2", "m2", "e3", "b3", "e4", "m4"};
  BOOST_TEST(saved == expected, boost::test_tools::per_element());
  BOOST_TEST(*best.last_path() == "b3");
  BOOST_TEST(best.best() == 0.4);
}

BOOST_AUTO_TEST_CASE(saves_during_fit) {
  const auto data = testing::regression(6, 2, 4);
  Dense model(DenseOptions(1).seed(3));
  std::vector<std::pair<std::string, double>> saved;
  auto checkpoint = std::make_shared<ModelCheckpoint>("w{epoch}", [&](const std::string& path) {
    saved.emplace_back(path, model.parameter("bias").value().item());
  });
  fit(model, data.x, data.y,
      FitOptions()
          .optimizer(std::make_shared<Sgd>())
          .epochs(3)
          .verbosity(Verbosity::quiet)
          .callbacks({checkpoint}));
  BOOST_REQUIRE(saved.size() == 3u);
  BOOST_TEST(saved[2].first == "w3");
  // The saver runs on the epoch's final weights.
  BOOST_TEST(saved[2].second == model.parameter("bias").value().item());
}

BOOST_AUTO_TEST_CASE(errors) {
  testing::TinyRun tiny;
  require_error<ValueError>([] { ModelCheckpoint("", [](const std::string&) {}); },
                            {"ModelCheckpoint", "a path pattern"});
  require_error<ValueError>([] { ModelCheckpoint("p", ModelSaver()); },
                            {"ModelCheckpoint", "a saver function", "an empty function"});
  ModelCheckpoint best(
      "p", [](const std::string&) {}, ModelCheckpointOptions().save_best_only(true));
  Logs logs = logs_of("loss", 1);
  require_error<ValueError>([&] { best.on_epoch_end(tiny.run, 0, logs); },
                            {"ModelCheckpoint: monitor", "[loss]", "\"val_loss\""});
}

BOOST_AUTO_TEST_SUITE_END()
