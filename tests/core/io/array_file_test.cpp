// Array files by extension: .npy and .csv written and read back, names of CSV headers, and the
// errors for another extension or a CSV of rank 3.

#include <boost/test/unit_test.hpp>

#include <fstream>

#include "core/io/array_file.hpp"
#include "tests/temp_dir.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(array_file_test)

BOOST_AUTO_TEST_CASE(format_from_the_extension) {
  BOOST_TEST((array_format("a/b.npy") == ArrayFormat::npy));
  BOOST_TEST((array_format("B.CSV") == ArrayFormat::csv));
  require_error<IoError>([] { array_format("x.txt"); },
                         {"array file \"x.txt\"", "a name ending in .npy or .csv"});
}

BOOST_AUTO_TEST_CASE(round_trips) {
  testing::TempDir dir;
  const Tensor table = Tensor::from_values({2, 3}, {1.5, -2, 3, 0.25, 5, 6e-9}, DType::float64);
  save_array(dir.file("t.npy"), table);
  save_array(dir.file("t.csv"), table);
  BOOST_TEST(testing::bitwise_equal(load_array(dir.file("t.npy")), table));
  BOOST_TEST(testing::bitwise_equal(load_array(dir.file("t.csv")), table));
  // Rank 1 becomes one CSV column.
  save_array(dir.file("v.csv"), Tensor::from_values({3}, {1, 2, 3}, DType::float64));
  BOOST_TEST(load_array(dir.file("v.csv")).shape() == (Shape{3, 1}));
  const Tensor cube = Tensor::zeros({2, 2, 2});
  save_array(dir.file("c.npy"), cube);
  BOOST_TEST(load_array(dir.file("c.npy")).shape() == (Shape{2, 2, 2}));
  require_error<ShapeError>([&] { save_array(dir.file("c.csv"), cube); },
                            {"c.csv", "rank 1 or 2 for a CSV file", "(2, 2, 2)"});
}

BOOST_AUTO_TEST_CASE(csv_header_names) {
  testing::TempDir dir;
  std::ofstream(dir.file("h.csv")) << "x,y\n1,2\n3,4\n";
  std::vector<std::string> names;
  const Tensor values = load_array(dir.file("h.csv"), {}, &names);
  BOOST_TEST((names == std::vector<std::string>{"x", "y"}));
  BOOST_TEST(values.shape() == (Shape{2, 2}));
  save_array(dir.file("n.npy"), values);
  load_array(dir.file("n.npy"), {}, &names);
  BOOST_TEST(names.empty());
}

BOOST_AUTO_TEST_SUITE_END()
