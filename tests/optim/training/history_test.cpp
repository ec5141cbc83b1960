#include <boost/test/unit_test.hpp>

#include <cmath>

#include <nlohmann/json.hpp>

#include "core/io/atomic_file.hpp"
#include "optim/training/history.hpp"
#include "tests/temp_dir.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(history_test)

BOOST_AUTO_TEST_CASE(logs_keep_their_order_and_replace_values) {
  Logs logs;
  logs.set("loss", 1.5);
  logs.set("accuracy", 0.5);
  logs.set("loss", 0.25);
  BOOST_TEST(logs.keys() == (std::vector<std::string>{"loss", "accuracy"}),
             boost::test_tools::per_element());
  BOOST_TEST(logs.at("loss") == 0.25);
  BOOST_TEST(logs.contains("accuracy"));
  BOOST_TEST(!logs.contains("val_loss"));
  require_error<ValueError>([&] { logs.at("val_loss", "EarlyStopping: monitor"); },
                            {"EarlyStopping: monitor", "[loss, accuracy]", "\"val_loss\""});
}

BOOST_AUTO_TEST_CASE(history_columns_fill_missing_values_with_nan) {
  History history;
  Logs first;
  first.set("loss", 2);
  history.append(0, first);
  Logs second;
  second.set("loss", 1);
  second.set("learning_rate", 0.1);
  history.append(1, second);
  history.append(2, first);
  BOOST_TEST(history.size() == 3u);
  BOOST_TEST(history.epochs() == (std::vector<std::size_t>{0, 1, 2}),
             boost::test_tools::per_element());
  BOOST_TEST(history["loss"] == (std::vector<double>{2, 1, 2}), boost::test_tools::per_element());
  const auto& rates = history["learning_rate"];
  BOOST_TEST(std::isnan(rates[0]));
  BOOST_TEST(rates[1] == 0.1);
  BOOST_TEST(std::isnan(rates[2]));
  BOOST_TEST(history.logs(1).keys() == (std::vector<std::string>{"loss", "learning_rate"}),
             boost::test_tools::per_element());
  BOOST_TEST(history.logs(0).keys() == (std::vector<std::string>{"loss"}),
             boost::test_tools::per_element());
  require_error<ValueError>([&] { history["accuracy"]; },
                            {"History", "[loss, learning_rate]", "\"accuracy\""});
  require_error<ValueError>([&] { history.logs(3); }, {"History::logs", "below 3", "3"});
}

BOOST_AUTO_TEST_CASE(csv_and_json_forms) {
  History history;
  Logs logs;
  logs.set("loss", 0.5);
  logs.set("val_loss", 0.75);
  history.append(0, logs);
  logs.set("loss", 0.1);
  logs.set("val_loss", std::nan(""));
  history.append(1, logs);
  BOOST_TEST(history.to_csv() == "epoch,loss,val_loss\n0,0.5,0.75\n1,0.1,nan\n");
  BOOST_TEST(history.to_csv(';') == "epoch;loss;val_loss\n0;0.5;0.75\n1;0.1;nan\n");
  const nlohmann::json expected =
      nlohmann::json::parse(R"({"epoch": [0, 1], "loss": [0.5, 0.1], "val_loss": [0.75, null]})");
  BOOST_TEST(history.to_json() == expected);
  BOOST_TEST(History().to_csv() == "epoch\n");

  testing::TempDir dir;
  history.save_csv(dir.file("h.csv"));
  history.save_json(dir.file("h.json"));
  BOOST_TEST(read_file(dir.file("h.csv")) == history.to_csv());
  BOOST_TEST(nlohmann::json::parse(read_file(dir.file("h.json"))) == expected);
  require_error<IoError>([&] { history.save_csv(dir.file("missing/h.csv")); }, {"missing/h.csv"});
}

BOOST_AUTO_TEST_SUITE_END()
