#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstring>
#include <limits>

#include "core/io/atomic_file.hpp"
#include "core/io/csv.hpp"
#include "tests/temp_dir.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::bitwise_equal;
using testing::require_error;
using testing::TempDir;

namespace {

const std::string kExamples = std::string(GRUTAPE_TEST_DATA) + "/../../examples/data";

std::vector<double> values_of(const CsvTable& table) {
  return table.values.to_vector();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(csv_test)

BOOST_AUTO_TEST_CASE(a_quoted_header_is_detected_and_blank_trailing_lines_ignored) {
  const CsvTable table = parse_csv("\"YEAR\",\"SUNACTIVITY\"\n1700,5\n1701,11.5\n\n  \n\n");
  BOOST_TEST((table.values.shape() == Shape{2, 2}));
  BOOST_TEST(table.values.dtype() == DType::float64);
  BOOST_TEST((table.names == std::vector<std::string>{"YEAR", "SUNACTIVITY"}));
  BOOST_TEST((values_of(table) == std::vector<double>{1700, 5, 1701, 11.5}));
}

BOOST_AUTO_TEST_CASE(a_file_of_numbers_has_no_header_unless_told) {
  const std::string text = "1,2\n3,4\n";
  const CsvTable detected = parse_csv(text);
  BOOST_TEST((detected.values.shape() == Shape{2, 2}));
  BOOST_TEST(detected.names.empty());
  const CsvTable told = parse_csv(text, CsvOptions().header(CsvHeader::present));
  BOOST_TEST((told.names == std::vector<std::string>{"1", "2"}));
  BOOST_TEST((values_of(told) == std::vector<double>{3, 4}));
  // A missing value on the first line does not make it a header.
  require_error<IoError>([&] { parse_csv("1,,3\n4,5,6\n", {}, "gap.csv"); },
                         {"a number at \"gap.csv\" line 1, column index 1", "an empty cell"});
  const CsvTable unnamed_index = parse_csv(",a\n0,1.5\n1,2.5\n", CsvOptions().columns({"a"}));
  BOOST_TEST((values_of(unnamed_index) == std::vector<double>{1.5, 2.5}));
  // A header alone is a table of no rows.
  const CsvTable empty = parse_csv("a,b\n");
  BOOST_TEST((empty.values.shape() == Shape{0, 2}));
}

BOOST_AUTO_TEST_CASE(columns_are_chosen_by_name_or_index_in_the_order_given) {
  const std::string text = "date,x,y,z\n2020-01-01,1,2,3\n2020-01-02,4,5,6\n";
  const CsvTable by_name = parse_csv(text, CsvOptions().columns({"z", "x"}));
  BOOST_TEST((by_name.names == std::vector<std::string>{"z", "x"}));
  BOOST_TEST((values_of(by_name) == std::vector<double>{3, 1, 6, 4}));
  const CsvTable by_index = parse_csv(text, CsvOptions().columns({2, 2, 1}));
  BOOST_TEST((by_index.names == std::vector<std::string>{"y", "y", "x"}));
  BOOST_TEST((values_of(by_index) == std::vector<double>{2, 2, 1, 5, 5, 4}));
  const CsvTable mixed = parse_csv(text, CsvOptions().columns({std::size_t{3}, "y"}));
  BOOST_TEST((values_of(mixed) == std::vector<double>{3, 2, 6, 5}));
}

BOOST_AUTO_TEST_CASE(delimiters_quotes_line_ends_and_number_forms) {
  const CsvTable semicolons = parse_csv("a;b\n1.5;-2\n", CsvOptions().delimiter(';'));
  BOOST_TEST((values_of(semicolons) == std::vector<double>{1.5, -2}));
  const CsvTable tabs = parse_csv("a\tb\n 1 \t 2\n", CsvOptions().delimiter('\t'));
  BOOST_TEST((values_of(tabs) == std::vector<double>{1, 2}));
  // Byte order mark, CRLF ends, quoted cells with a delimiter and a doubled quote inside.
  const CsvTable windows =
      parse_csv("\xEF\xBB\xBF\"a,1\", \"say \"\"hi\"\"\" \r\n \"7\" ,+8e-1\r\n");
  BOOST_TEST((windows.names == std::vector<std::string>{"a,1", "say \"hi\""}));
  BOOST_TEST((values_of(windows) == std::vector<double>{7, 0.8}));
  const CsvTable special = parse_csv("nan,inf,-inf,1e-310,.5,5.,-0\n", CsvOptions());
  const std::vector<double> v = values_of(special);
  BOOST_TEST(std::isnan(v[0]));
  BOOST_TEST(v[1] == std::numeric_limits<double>::infinity());
  BOOST_TEST(v[2] == -std::numeric_limits<double>::infinity());
  BOOST_TEST(v[3] == 1e-310);
  BOOST_TEST(v[4] == 0.5);
  BOOST_TEST(v[5] == 5.0);
  BOOST_TEST(std::signbit(v[6]));
  // The last line needs no line end.
  BOOST_TEST((parse_csv("1\n2").values.shape() == Shape{2, 1}));
}

BOOST_AUTO_TEST_CASE(float32_cells_are_rounded_once) {
  // Just above the midpoint 1 + 2^-24 between the floats 1 and 1 + 2^-23: read directly as a
  // float it rounds up; through a double it would first become the midpoint, then round to even
  // (down to 1).
  const CsvTable table =
      parse_csv("0.1,1.00000005960464477539062501\n", CsvOptions().dtype(DType::float32));
  BOOST_TEST(table.values.dtype() == DType::float32);
  BOOST_TEST(table.values.array<float>()(0, 0) == 0.1f);
  BOOST_TEST(table.values.array<float>()(0, 1) == std::nextafter(1.0f, 2.0f));
}

BOOST_AUTO_TEST_CASE(a_malformed_row_names_file_line_and_column) {
  const std::string header = "\"YEAR\",\"SUNACTIVITY\"\n1700,5\n";
  require_error<IoError>(
      [&] { parse_csv(header + "1701,11,3\n", {}, "sun.csv"); },
      {"load_csv: expected 2 cells per row (as on line 1)",
       "got 3 cells at \"sun.csv\" line 3; column index 2 is extra: \"1701,11,3\""});
  require_error<IoError>([&] { parse_csv(header + "1701,11\n1702\n", {}, "sun.csv"); },
                         {"got 1 cell at \"sun.csv\" line 4",
                          "column \"SUNACTIVITY\" (index 1) is missing: \"1702\""});
  require_error<IoError>(
      [&] { parse_csv("1,2\n3,4\n\n5,6\n", {}, "gap.csv"); },
      {"2 cells per row (as on line 1) at \"gap.csv\" line 3", "got an empty line"});
  // Line numbers count every physical line, CRLF or not.
  require_error<IoError>([&] { parse_csv("1,2\r\n3,4\r\n5\r\n", {}, "crlf.csv"); },
                         {"\"crlf.csv\" line 3", "column index 1 is missing: \"5\""});
}

BOOST_AUTO_TEST_CASE(a_non_numeric_cell_names_file_line_column_and_text) {
  const std::string text = "YEAR,SUNACTIVITY\n1700,5\n1701,n/a\n";
  require_error<IoError>(
      [&] { parse_csv(text, {}, "sun.csv"); },
      {"load_csv: expected a number at \"sun.csv\" line 3, column \"SUNACTIVITY\" (index 1)",
       "got \"n/a\""});
  require_error<IoError>([&] { parse_csv("1,2\n3, \n", {}, "blank.csv"); },
                         {"a number at \"blank.csv\" line 2, column index 1", "an empty cell"});
  require_error<IoError>([&] { parse_csv("1,2\n3,4x\n", {}, "x.csv"); },
                         {"\"x.csv\" line 2, column index 1", "got \"4x\""});
  require_error<IoError>(
      [&] { parse_csv("1,2\n3,1e999\n", {}, "big.csv"); },
      {"a number in the float64 range at \"big.csv\" line 2, column index 1", "\"1e999\""});
  require_error<IoError>(
      [&] { parse_csv("1,1e39\n", CsvOptions().dtype(DType::float32), "f.csv"); },
      {"a number in the float32 range at \"f.csv\" line 1, column index 1", "\"1e39\""});
  // With the header declared absent, the header's text is a non-numeric cell on line 1.
  require_error<IoError>([&] { parse_csv(text, CsvOptions().header(CsvHeader::absent), "s.csv"); },
                         {"\"s.csv\" line 1, column index 0", "got \"YEAR\""});
  // Only the chosen columns need numbers.
  BOOST_TEST((values_of(parse_csv(text, CsvOptions().columns({"YEAR"}))) ==
              std::vector<double>{1700, 1701}));
}

BOOST_AUTO_TEST_CASE(a_missing_column_names_file_and_the_columns_there_are) {
  const std::string text = "\"YEAR\",\"SUNACTIVITY\"\n1700,5\n";
  require_error<IoError>(
      [&] { parse_csv(text, CsvOptions().columns({"SUNSPOTS"}), "sun.csv"); },
      {"expected a column named \"SUNSPOTS\" in the header at \"sun.csv\" line 1",
       "got the columns \"YEAR\", \"SUNACTIVITY\""});
  require_error<IoError>(
      [&] { parse_csv(text, CsvOptions().columns({5}), "sun.csv"); },
      {"a column index below 2 (the cells of \"sun.csv\" line 1)", "got index 5"});
  require_error<IoError>(
      [&] { parse_csv("1,2\n", CsvOptions().columns({"x"}), "n.csv"); },
      {"a header line naming column \"x\" at \"n.csv\" line 1", "got a line of numbers: \"1,2\""});
  require_error<IoError>(
      [&] {
        parse_csv("x,y\n1,2\n", CsvOptions().header(CsvHeader::absent).columns({"x"}), "n.csv");
      },
      {"naming column \"x\"", "CsvOptions::header(CsvHeader::absent)"});
  require_error<IoError>([&] { parse_csv("a,b,a\n1,2,3\n", CsvOptions().columns({"a"}), "d.csv"); },
                         {"one column named \"a\"", "index 0 and index 2"});
  require_error<ValueError>([&] { parse_csv(text, CsvOptions().columns({-1})); },
                            {"load_csv: expected column indices >= 0", "index -1"});
}

BOOST_AUTO_TEST_CASE(quoting_errors_and_empty_files) {
  require_error<IoError>([] { parse_csv("a,b\n1,\"2\n", {}, "q.csv"); },
                         {"a closing quote at \"q.csv\" line 2, column \"b\" (index 1)",
                          "the end of the line: \"1,\"2\""});
  require_error<IoError>([] { parse_csv("\"a\"x,b\n", {}, "q.csv"); },
                         {"the delimiter ',' after the closing quote at \"q.csv\" line 1, column "
                          "index 0",
                          "'x'"});
  require_error<IoError>([] { parse_csv("", {}, "e.csv"); },
                         {"a header or a row of numbers in \"e.csv\"", "an empty file"});
  require_error<IoError>([] { parse_csv("\n \n", {}, "e.csv"); }, {"an empty file"});
  require_error<IoError>([] { parse_csv("\n1,2\n", {}, "e.csv"); },
                         {"\"e.csv\" line 1", "an empty line"});
  require_error<ValueError>([] { parse_csv("1\n", CsvOptions().delimiter('"')); },
                            {"load_csv", "delimiter code 34"});
}

BOOST_AUTO_TEST_CASE(load_csv_names_the_path_in_its_errors) {
  TempDir dir;
  const std::string path = dir.file("data.csv");
  write_file_atomically(path, std::string("a,b\n1,2\n3,x\n"));
  require_error<IoError>([&] { load_csv(path); },
                         {"\"" + path + "\" line 3, column \"b\" (index 1)", "got \"x\""});
  require_error<IoError>([&] { load_csv(dir.file("missing.csv")); },
                         {"read_file", "missing.csv", "No such file or directory"});
}

BOOST_AUTO_TEST_CASE(written_tables_read_back_bit_exact) {
  TempDir dir;
  const double inf = std::numeric_limits<double>::infinity();
  for (DType dtype : {DType::float64, DType::float32}) {
    Tensor table = testing::random_tensor({5, 3}, 11, -1e3, 1e3, dtype);
    table.visit([&](auto& a) {
      using T = typename std::decay_t<decltype(a)>::value_type;
      a(0, 0) = std::numeric_limits<T>::quiet_NaN();
      a(0, 1) = static_cast<T>(inf);
      a(0, 2) = static_cast<T>(-inf);
      a(1, 0) = static_cast<T>(-0.0);
      a(1, 1) = std::numeric_limits<T>::denorm_min();
      a(1, 2) = std::numeric_limits<T>::max();
      a(2, 0) = static_cast<T>(0.1);
    });
    const std::string path = dir.file("table.csv");
    save_csv(path, table, CsvWriteOptions().header({"plain", "with,comma", " quoted \"q\""}));
    const CsvTable back = load_csv_table(path, CsvOptions().dtype(dtype));
    BOOST_TEST((back.names == std::vector<std::string>{"plain", "with,comma", " quoted \"q\""}));
    BOOST_TEST(back.values.dtype() == dtype);
    BOOST_TEST((back.values.shape() == Shape{5, 3}));
    // NaN is not equal to itself: compare it apart, then the rest bit for bit.
    BOOST_TEST(std::isnan(back.values.flat(0)));
    Tensor expected = table.clone(), got = back.values.clone();
    expected.visit([](auto& a) { a(0, 0) = 0; });
    got.visit([](auto& a) { a(0, 0) = 0; });
    BOOST_TEST(bitwise_equal(got, expected));
  }
  BOOST_TEST((dir.entries() == std::vector<std::string>{"table.csv"}));
}

BOOST_AUTO_TEST_CASE(the_written_text_is_plain_csv) {
  const Tensor table = Tensor::from_values({2, 2}, {1, 0.5, -2, 1e-7}, DType::float64);
  BOOST_TEST(format_csv(table) == "1,0.5\n-2,1e-07\n");
  BOOST_TEST(format_csv(table, CsvWriteOptions().header({"a", "b"}).delimiter(';')) ==
             "a;b\n1;0.5\n-2;1e-07\n");
  require_error<ShapeError>(
      [] {
        format_csv(Tensor::zeros({2, 2, 2}));
      },
      {"save_csv: expected a table of rank 2", "shape (2, 2, 2)"});
  require_error<ValueError>([&] { format_csv(table, CsvWriteOptions().header({"only"})); },
                            {"save_csv: expected a header of 2 names", "got 1 names"});
}

BOOST_AUTO_TEST_CASE(the_example_data_sets_load) {
  const CsvTable digits = load_csv_table(kExamples + "/digits.csv");
  BOOST_TEST((digits.values.shape() == Shape{1797, 65}));
  BOOST_TEST(digits.names.empty());
  // Independent totals of the file, counted by a separate CSV reader.
  const auto& d = digits.values.array<double>();
  double labels = 0, pixels = 0;
  for (std::size_t r = 0; r < 1797; ++r) {
    labels += d(r, 64);
    for (std::size_t c = 0; c < 64; ++c) pixels += d(r, c);
  }
  BOOST_TEST(labels == 8070);
  BOOST_TEST(pixels == 561718);
  BOOST_TEST(d(0, 2) == 5);
  BOOST_TEST(d(0, 3) == 13);
  BOOST_TEST(d(1796, 64) == 8);

  const CsvTable sunspots = load_csv_table(kExamples + "/sunspots.csv");
  BOOST_TEST((sunspots.values.shape() == Shape{309, 2}));
  BOOST_TEST((sunspots.names == std::vector<std::string>{"YEAR", "SUNACTIVITY"}));
  const auto& s = sunspots.values.array<double>();
  BOOST_TEST(s(0, 0) == 1700);
  BOOST_TEST(s(0, 1) == 5);
  BOOST_TEST(s(308, 0) == 2008);
  BOOST_TEST(s(308, 1) == 2.9);
  double activity = 0;
  for (std::size_t r = 0; r < 309; ++r) activity += s(r, 1);
  BOOST_TEST(activity == 15373.4, boost::test_tools::tolerance(1e-12));
  const Tensor one = load_csv(kExamples + "/sunspots.csv",
                              CsvOptions().columns({"SUNACTIVITY"}).dtype(DType::float32));
  BOOST_TEST((one.shape() == Shape{309, 1}));
  BOOST_TEST(one.array<float>()(308, 0) == 2.9f);
}

BOOST_AUTO_TEST_SUITE_END()
