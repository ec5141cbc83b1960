// prepare_data and DataPipeline: windows, columns, splits and normalisers checked against values
// computed here from the table's definition; the pipeline's JSON round trip; predicting-side
// reads of new files; errors naming the file and the column.

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/io/npy.hpp"
#include "optim/data/data_config.hpp"
#include "tests/temp_dir.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

namespace {

// A table "t,a,b" of 20 rows: t = r, a = 2 r + 1, b = r * r.
std::string write_table(const testing::TempDir& dir) {
  const std::string path = dir.file("table.csv");
  std::ofstream out(path);
  out << "t,a,b\n";
  for (int r = 0; r < 20; ++r) out << r << "," << 2 * r + 1 << "," << r * r << "\n";
  return path;
}

DataConfig config_of(const nlohmann::json& json, const std::string& base_dir) {
  return DataConfig::from_json(json, "data", base_dir);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(data_config_test)

BOOST_AUTO_TEST_CASE(table_rows_with_columns_and_a_consecutive_split) {
  testing::TempDir dir;
  write_table(dir);
  const DataConfig config = config_of({{"file", "table.csv"},
                                       {"target_columns", {"b"}},
                                       {"split", {{"train", 0.5}, {"validation", 0.25}}},
                                       {"dtype", "float64"}},
                                      dir.path());
  const PreparedData data = prepare_data(config);
  // Inputs default to every other column: t and a.
  BOOST_TEST(data.train.x.shape() == (Shape{10, 2}));
  BOOST_TEST(data.train.y.shape() == (Shape{10, 1}));
  BOOST_TEST(data.validation.x.shape() == (Shape{5, 2}));
  BOOST_TEST(data.test.x.shape() == (Shape{5, 2}));
  // The test set is the last rows: row 15 first.
  BOOST_TEST(data.test.x.flat(0) == 15.0);
  BOOST_TEST(data.test.x.flat(1) == 31.0);
  BOOST_TEST(data.test.y.flat(0) == 225.0);
  BOOST_TEST(data.pipeline.input_columns.size() == 2u);
  BOOST_TEST(data.pipeline.input_columns[1].name() == "a");
}

BOOST_AUTO_TEST_CASE(windows_normalised_with_statistics_of_the_training_rows) {
  testing::TempDir dir;
  write_table(dir);
  const DataConfig config = config_of({{"file", "table.csv"},
                                       {"input_columns", {"a"}},
                                       {"target_columns", {2}},
                                       {"window", {{"size", 3}, {"horizon", 2}}},
                                       {"normalize", "standard"},
                                       {"normalize_targets", true},
                                       {"split", {{"train", 0.5}, {"validation", 0}}},
                                       {"dtype", "float64"}},
                                      dir.path());
  const PreparedData data = prepare_data(config);
  // 20 rows, windows of 3 + 2: 16 samples, 8 for training, reading rows 0 .. 11.
  BOOST_TEST(data.train.x.shape() == (Shape{8, 3, 1}));
  BOOST_TEST(data.train.y.shape() == (Shape{8, 2}));
  BOOST_TEST(!data.validation.x.defined());
  BOOST_TEST(data.test.x.shape() == (Shape{8, 3, 1}));
  // Mean and population std of a = 2 r + 1 and b = r^2 over rows 0 .. 11.
  double mean_a = 0, mean_b = 0, var_a = 0, var_b = 0;
  for (int r = 0; r < 12; ++r) mean_a += (2 * r + 1) / 12.0, mean_b += r * r / 12.0;
  for (int r = 0; r < 12; ++r) {
    var_a += std::pow(2 * r + 1 - mean_a, 2) / 12.0;
    var_b += std::pow(r * r - mean_b, 2) / 12.0;
  }
  const double std_a = std::sqrt(var_a), std_b = std::sqrt(var_b);
  // Test sample 0 is window 8: inputs a at rows 8, 9, 10; targets b at rows 11, 12.
  BOOST_TEST(data.test.x.flat(0) == (17 - mean_a) / std_a, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(data.test.x.flat(2) == (21 - mean_a) / std_a, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(data.test.y.flat(1) == (144 - mean_b) / std_b, boost::test_tools::tolerance(1e-12));
  // The pipeline maps outputs back: both horizon steps use b's statistics.
  const Tensor back = data.pipeline.invert_targets(data.test.y);
  BOOST_TEST(back.flat(0) == 121.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(back.flat(1) == 144.0, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(pipeline_reads_new_files_as_training_did) {
  testing::TempDir dir;
  const std::string table = write_table(dir);
  const DataConfig config = config_of({{"file", "table.csv"},
                                       {"target_columns", {"a"}},
                                       {"window", {{"size", 4}}},
                                       {"normalize", "min_max"},
                                       {"dtype", "float64"}},
                                      dir.path());
  const DataPipeline pipeline =
      DataPipeline::from_json(prepare_data(config).pipeline.to_json(), "pipeline");
  // Input windows up to the series' end: 20 - 4 + 1 = 17, one more than training had.
  const Tensor x = pipeline.inputs_from_file(table);
  BOOST_TEST(x.shape() == (Shape{17, 4, 1}));
  // 16 windows, 13 for training, reading rows 0 .. 16: a from 1 to 33 maps onto [0, 1]. The
  // last window's last step is row 19, a = 39.
  BOOST_TEST(x.flat(16 * 4 + 3) == (39.0 - 1) / 32.0, boost::test_tools::tolerance(1e-12));
  const LabeledData labelled = pipeline.labeled_from_file(table);
  BOOST_TEST(labelled.x.shape() == (Shape{16, 4, 1}));
  BOOST_TEST(labelled.y.shape() == (Shape{16, 1}));
  // Targets are not normalised unless asked.
  BOOST_TEST(labelled.y.flat(0) == 9.0);
}

BOOST_AUTO_TEST_CASE(arrays_source) {
  testing::TempDir dir;
  save_npy(dir.file("x.npy"), Tensor::from_values({4, 2, 1}, {1, 2, 3, 4, 5, 6, 7, 8}));
  save_npy(dir.file("y.npy"), Tensor::from_values({4, 1}, {0, 1, 0, 1}));
  const DataConfig config = config_of(
      {{"inputs", "x.npy"}, {"targets", "y.npy"}, {"split", {{"train", 0.75}, {"validation", 0}}}},
      dir.path());
  const PreparedData data = prepare_data(config);
  BOOST_TEST(data.train.x.shape() == (Shape{3, 2, 1}));
  BOOST_TEST(data.test.y.flat(0) == 1.0);
  BOOST_TEST((data.train.x.dtype() == DType::float32));
  require_error<ValueError>([&] { data.pipeline.labeled_from_file(dir.file("x.npy")); },
                            {"a targets file"});
  save_npy(dir.file("y3.npy"), Tensor::from_values({3, 1}, {0, 1, 0}));
  require_error<ShapeError>(
      [&] {
        prepare_data(config_of({{"inputs", "x.npy"}, {"targets", "y3.npy"}}, dir.path()));
      },
      {"the same number of rows", "(4, 2, 1) and (3, 1)"});
}

BOOST_AUTO_TEST_CASE(errors_name_the_key_file_and_column) {
  testing::TempDir dir;
  write_table(dir);
  require_error<ValueError>(
      [&] {
        config_of({{"file", "t.csv"}, {"target_columns", {"b"}}, {"normalize", "z"}}, "");
      },
      {"data: key \"normalize\"", "\"none\", \"standard\", \"min_max\"", "\"z\""});
  require_error<ValueError>(
      [&] {
        config_of({{"file", "t.csv"}, {"target_columns", {true}}}, "");
      },
      {"data: key \"target_columns\"[0]", "a column name (string) or 0-based index"});
  require_error<ValueError>(
      [&] {
        prepare_data(config_of({{"file", "table.csv"}, {"target_columns", {"c"}}}, dir.path()));
      },
      {"table.csv", "a column among t, a, b", "\"c\""});
  require_error<ValueError>(
      [&] {
        prepare_data(config_of({{"file", "table.csv"}, {"target_columns", {3}}}, dir.path()));
      },
      {"a column index below 3", "index 3"});
  require_error<IoError>(
      [&] {
        prepare_data(config_of({{"file", "none.csv"}, {"target_columns", {0}}}, dir.path()));
      },
      {"none.csv"});
  require_error<ValueError>(
      [&] {
        prepare_data(
            config_of({{"file", "table.csv"}, {"target_columns", {0}}, {"split", {{"train", 0}}}},
                      dir.path()));
      },
      {"at least one training sample"});
}

BOOST_AUTO_TEST_CASE(config_paths) {
  BOOST_TEST(resolve_config_path("d.csv", "/a/b") == "/a/b/d.csv");
  BOOST_TEST(resolve_config_path("../d.csv", "/a/b") == "/a/d.csv");
  BOOST_TEST(resolve_config_path("/x/d.csv", "/a/b") == "/x/d.csv");
  BOOST_TEST(resolve_config_path(".", "/a/b") == "/a/b");
  BOOST_TEST(resolve_config_path("d.csv", "") == "d.csv");
}

BOOST_AUTO_TEST_SUITE_END()
