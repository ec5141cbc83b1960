#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <regex>
#include <sstream>

#include "optim/callbacks/progress.hpp"
#include "optim/training/fit.hpp"
#include "tests/optim/fit_helpers.hpp"

using namespace grutape;

namespace {

Logs two_entries() {
  Logs logs;
  logs.set("loss", 0.123456);
  logs.set("accuracy", 0.95);
  return logs;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(progress_test)

BOOST_AUTO_TEST_CASE(values_print_with_four_decimals) {
  BOOST_TEST(format_log_value(0.123456) == "0.1235");
  BOOST_TEST(format_log_value(12.5) == "12.5000");
  BOOST_TEST(format_log_value(0) == "0.0000");
  BOOST_TEST(format_log_value(-2.5e-5) == "-2.5000e-05");
  BOOST_TEST(format_log_value(0.001) == "0.0010");
  BOOST_TEST(format_logs(two_entries()) == "loss: 0.1235 - accuracy: 0.9500");
  BOOST_TEST(format_logs(Logs()) == "");
}

BOOST_AUTO_TEST_CASE(epoch_lines_and_bars) {
  BOOST_TEST(epoch_line(2, 10, 45, 2.314, two_entries()) ==
             "Epoch 3/10 - 45 steps - 2.31s - loss: 0.1235 - accuracy: 0.9500");
  BOOST_TEST(epoch_line(0, 1, 1, 0, Logs()) == "Epoch 1/1 - 1 steps - 0.00s");
  // 21 of 45 steps in 2.1 s: 0.1 s a step, 24 steps left.
  BOOST_TEST(progress_bar_line(2, 10, 21, 45, 2.1, two_entries()) ==
             "Epoch 3/10 [========>...........] 21/45 - ETA 2.4s - loss: 0.1235 - accuracy: "
             "0.9500");
  BOOST_TEST(progress_bar_line(0, 2, 4, 4, 1.0, Logs()) ==
             "Epoch 1/2 [====================] 4/4 - ETA 0.0s");
  BOOST_TEST(progress_bar_line(0, 2, 0, 4, 0.0, Logs()) ==
             "Epoch 1/2 [....................] 0/4 - ETA 0.0s");
}

BOOST_AUTO_TEST_CASE(styles_follow_the_verbosity_and_the_stream) {
  std::ostringstream out;
  BOOST_TEST(!progress_style(Verbosity::quiet, out).has_value());
  BOOST_TEST((*progress_style(Verbosity::automatic, out) == ProgressStyle::lines));
  BOOST_TEST((*progress_style(Verbosity::progress_bar, out) == ProgressStyle::bar));
  BOOST_TEST((*progress_style(Verbosity::epoch_lines, std::cout) == ProgressStyle::lines));
}

BOOST_AUTO_TEST_CASE(the_bar_redraws_in_place) {
  testing::TinyRun tiny(2);
  std::ostringstream out;
  ProgressPrinter printer(out, ProgressStyle::bar);
  tiny.run.steps = 2;
  printer.on_epoch_begin(tiny.run, 0);
  printer.on_batch_end(tiny.run, 0, testing::logs_of("loss", 1));
  printer.on_batch_end(tiny.run, 1, testing::logs_of("loss", 0.5));
  Logs logs = testing::logs_of("loss", 0.5);
  printer.on_epoch_end(tiny.run, 0, logs);
  const std::string text = out.str();
  // The first draw is always made, the last step always drawn, then the final line.
  BOOST_TEST(text.find("\rEpoch 1/2 [") == 0u);
  BOOST_TEST(text.find("] 2/2 - ETA 0.0s - loss: 0.5000\x1b[K") != std::string::npos);
  const std::regex final_line(
      "\rEpoch 1/2 - 2 steps - [0-9]+\\.[0-9]{2}s - loss: 0\\.5000\x1b\\[K\n$");
  BOOST_TEST(std::regex_search(text, final_line), text);
  BOOST_TEST(std::count(text.begin(), text.end(), '\n') == 1);
}

BOOST_AUTO_TEST_CASE(fit_prints_one_line_per_epoch_to_a_stream) {
  const auto data = testing::regression(10, 2, 7);
  Dense model(DenseOptions(1).seed(6));
  std::ostringstream out;
  const History history = fit(model, data.x, data.y,
                              FitOptions()
                                  .optimizer(std::make_shared<Sgd>())
                                  .epochs(3)
                                  .batch_size(4)
                                  .validation_split(0.2)
                                  .metrics({"mae"})
                                  .output(&out));
  const auto lines = lines_of(out.str());
  BOOST_REQUIRE(lines.size() == 3u);
  const std::regex line(
      "Epoch ([0-9]+)/3 - 2 steps - [0-9]+\\.[0-9]{2}s - loss: ([0-9.]+) - mae: [0-9.]+ - "
      "val_loss: [0-9.]+ - val_mae: ([0-9.]+)");
  for (std::size_t epoch = 0; epoch < 3; ++epoch) {
    std::smatch match;
    BOOST_REQUIRE_MESSAGE(std::regex_match(lines[epoch], match, line), lines[epoch]);
    BOOST_TEST(match[1].str() == std::to_string(epoch + 1));
    BOOST_TEST(match[2].str() == format_log_value(history["loss"][epoch]));
    BOOST_TEST(match[3].str() == format_log_value(history["val_mae"][epoch]));
  }
  BOOST_TEST(out.str().find('\r') == std::string::npos);

  std::ostringstream silent;
  fit(model, data.x, data.y,
      FitOptions().optimizer(std::make_shared<Sgd>()).verbosity(Verbosity::quiet).output(&silent));
  BOOST_TEST(silent.str().empty());
}

BOOST_AUTO_TEST_SUITE_END()
