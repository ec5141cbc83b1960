#include <boost/test/unit_test.hpp>

#include "core/io/atomic_file.hpp"
#include "optim/callbacks/csv_logger.hpp"
#include "optim/training/fit.hpp"
#include "tests/optim/fit_helpers.hpp"
#include "tests/temp_dir.hpp"

using namespace grutape;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(csv_logger_test)

BOOST_AUTO_TEST_CASE(rewrites_the_file_after_every_epoch) {
  testing::TempDir dir;
  testing::TinyRun tiny;
  CsvLogger logger(dir.file("log.csv"));
  logger.on_train_begin(tiny.run);
  Logs logs;
  logs.set("loss", 0.5);
  logger.on_epoch_end(tiny.run, 0, logs);
  BOOST_TEST(read_file(dir.file("log.csv")) == "epoch,loss\n0,0.5\n");
  logs.set("loss", 0.25);
  logs.set("learning_rate", 0.125);
  logger.on_epoch_end(tiny.run, 1, logs);
  BOOST_TEST(read_file(dir.file("log.csv")) ==
             "epoch,loss,learning_rate\n0,0.5,nan\n1,0.25,0.125\n");
  // Only the file itself: the temporary files of the atomic writes are gone.
  BOOST_TEST(dir.entries() == std::vector<std::string>{"log.csv"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(append_keeps_the_existing_lines) {
  testing::TempDir dir;
  write_file_atomically(dir.file("log.csv"), "epoch;loss\n0;2");
  testing::TinyRun tiny;
  CsvLogger logger(dir.file("log.csv"), CsvLoggerOptions().append(true).delimiter(';'));
  logger.on_train_begin(tiny.run);
  Logs logs;
  logs.set("loss", 1.5);
  logger.on_epoch_end(tiny.run, 1, logs);
  BOOST_TEST(read_file(dir.file("log.csv")) == "epoch;loss\n0;2\n1;1.5\n");
  // Without append the file is replaced.
  CsvLogger fresh(dir.file("log.csv"));
  fresh.on_train_begin(tiny.run);
  fresh.on_epoch_end(tiny.run, 0, logs);
  BOOST_TEST(read_file(dir.file("log.csv")) == "epoch,loss\n0,1.5\n");
}

BOOST_AUTO_TEST_CASE(logs_a_fit_run) {
  testing::TempDir dir;
  const auto data = testing::regression(8, 2, 5);
  Dense model(DenseOptions(1).seed(4));
  const History history = fit(model, data.x, data.y,
                              FitOptions()
                                  .optimizer(std::make_shared<Sgd>())
                                  .epochs(2)
                                  .metrics({"mae"})
                                  .verbosity(Verbosity::quiet)
                                  .callbacks({std::make_shared<CsvLogger>(dir.file("fit.csv"))}));
  BOOST_TEST(read_file(dir.file("fit.csv")) == history.to_csv());
}

BOOST_AUTO_TEST_CASE(errors_name_the_path) {
  testing::TinyRun tiny;
  require_error<ValueError>([] { CsvLogger(""); }, {"CsvLogger", "a file path"});
  CsvLogger logger("/nonexistent-dir/log.csv");
  logger.on_train_begin(tiny.run);
  Logs logs = testing::logs_of("loss", 1);
  require_error<IoError>([&] { logger.on_epoch_end(tiny.run, 0, logs); },
                         {"/nonexistent-dir/log.csv"});
}

BOOST_AUTO_TEST_SUITE_END()
