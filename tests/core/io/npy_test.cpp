#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

#include "core/io/atomic_file.hpp"
#include "core/io/npy.hpp"
#include "tests/temp_dir.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::bitwise_equal;
using testing::require_error;
using testing::TempDir;

namespace {

// Files written by numpy 1.24 (tests/data/npy/make_fixtures.py).
std::string fixture(const std::string& name) {
  return std::string(GRUTAPE_TEST_DATA) + "/npy/" + name;
}

std::vector<double> range(std::size_t count) {
  std::vector<double> values(count);
  for (std::size_t i = 0; i < count; ++i) values[i] = static_cast<double>(i);
  return values;
}

// The 128-byte version 1.0 header numpy writes for `dict` (magic, version, length, padding).
std::string numpy_header(const std::string& dict) {
  std::string header = dict;
  header.append(128 - 10 - dict.size() - 1, ' ');
  header += '\n';
  return std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size()) + '\0' + header;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(npy_test)

BOOST_AUTO_TEST_CASE(files_written_by_numpy_load_with_their_dtype_and_shape) {
  const Tensor f4 = load_npy(fixture("f4_2x3.npy"));
  BOOST_TEST(f4.dtype() == DType::float32);
  BOOST_TEST((f4.shape() == Shape{2, 3}));
  BOOST_TEST((f4.to_vector() == std::vector<double>{0, 0.125, 0.25, 0.375, 0.5, 0.625}));

  const Tensor f8 = load_npy(fixture("f8_vector.npy"));
  BOOST_TEST(f8.dtype() == DType::float64);
  BOOST_TEST((f8.to_vector() == std::vector<double>{0.1, -2.5, 1e-300}));

  const Tensor scalar = load_npy(fixture("f8_scalar.npy"));
  BOOST_TEST(scalar.rank() == 0u);
  BOOST_TEST(scalar.item() == 3.25);

  const Tensor empty = load_npy(fixture("f4_empty.npy"));
  BOOST_TEST((empty.shape() == Shape{0, 3}));
  BOOST_TEST(empty.dtype() == DType::float32);

  const Tensor version2 = load_npy(fixture("f8_version2.npy"));
  BOOST_TEST((version2.to_vector() == range(4)));

  const Tensor big_endian = load_npy(fixture("f8_big_endian.npy"));
  BOOST_TEST((big_endian.shape() == Shape{1, 2}));
  BOOST_TEST((big_endian.to_vector() == std::vector<double>{1.5, -0.25}));
}

BOOST_AUTO_TEST_CASE(integers_load_as_float64) {
  const Tensor i4 = load_npy(fixture("i4.npy"));
  BOOST_TEST(i4.dtype() == DType::float64);
  BOOST_TEST((i4.to_vector() == std::vector<double>{-3, 7, 2147483647.0, -2147483648.0}));
  const Tensor i8 = load_npy(fixture("i8.npy"));
  BOOST_TEST(
      (i8.to_vector() == std::vector<double>{9007199254740992.0, -5, 0, -9007199254740992.0}));
  require_error<IoError>([] { load_npy(fixture("i8_inexact.npy")); },
                         {"load_npy: expected int64 values within +-2^53", "i8_inexact.npy",
                          "got 9007199254740993 at element 1"});
}

BOOST_AUTO_TEST_CASE(fortran_order_holds_the_same_array) {
  // numpy.asfortranarray(arange(6).reshape(2, 3)): element (i, j) is 3 i + j whatever the order.
  const Tensor two = load_npy(fixture("f8_fortran.npy"));
  BOOST_TEST((two.shape() == Shape{2, 3}));
  BOOST_TEST((two.to_vector() == range(6)));
  const Tensor three = load_npy(fixture("f8_fortran_3d.npy"));
  BOOST_TEST((three.shape() == Shape{2, 3, 4}));
  BOOST_TEST((three.to_vector() == range(24)));
}

BOOST_AUTO_TEST_CASE(the_writer_produces_numpys_bytes) {
  const Tensor f4 =
      Tensor::from_values({2, 3}, {0, 0.125, 0.25, 0.375, 0.5, 0.625}, DType::float32);
  BOOST_TEST(format_npy(f4) == read_file(fixture("f4_2x3.npy")));
  const Tensor f8 = Tensor::from_values({3}, {0.1, -2.5, 1e-300}, DType::float64);
  BOOST_TEST(format_npy(f8) == read_file(fixture("f8_vector.npy")));
  BOOST_TEST(format_npy(Tensor::scalar(3.25, DType::float64)) ==
             read_file(fixture("f8_scalar.npy")));
  BOOST_TEST(format_npy(Tensor::zeros({0, 3})) == read_file(fixture("f4_empty.npy")));
}

BOOST_AUTO_TEST_CASE(written_files_read_back_bit_exact) {
  TempDir dir;
  for (DType dtype : {DType::float32, DType::float64}) {
    Tensor t = testing::random_tensor({3, 4, 5}, 7, -1e6, 1e6, dtype);
    t.visit([](auto& a) {
      using T = typename std::decay_t<decltype(a)>::value_type;
      a.data()[0] = std::numeric_limits<T>::quiet_NaN();
      a.data()[1] = std::numeric_limits<T>::infinity();
      a.data()[2] = std::numeric_limits<T>::denorm_min();
      a.data()[3] = static_cast<T>(-0.0);
    });
    const std::string path = dir.file("x.npy");
    save_npy(path, t);
    BOOST_TEST(bitwise_equal(load_npy(path), t));
  }
  BOOST_TEST((dir.entries() == std::vector<std::string>{"x.npy"}));
}

BOOST_AUTO_TEST_CASE(a_header_beyond_64_kib_is_written_as_version_2) {
  // 25000 axes of extent 1 make a shape tuple of 75000 characters.
  const Tensor t = Tensor::full(Shape(25000, 1), 2.5, DType::float64);
  const std::string bytes = format_npy(t);
  BOOST_TEST(static_cast<int>(bytes[6]) == 2);
  const std::size_t length = static_cast<unsigned char>(bytes[8]) |
                             static_cast<unsigned char>(bytes[9]) << 8 |
                             static_cast<unsigned char>(bytes[10]) << 16;
  BOOST_TEST((12 + length) % 64 == 0u);
  BOOST_TEST(bytes.size() == 12 + length + 8);
  const Tensor back = parse_npy(bytes);
  BOOST_TEST(back.rank() == 25000u);
  BOOST_TEST(back.item() == 2.5);
}

BOOST_AUTO_TEST_CASE(a_bad_magic_or_version_is_an_error_naming_the_file) {
  require_error<IoError>([] { parse_npy(std::string("PK\x03\x04\x14\x00\x00\x00", 8), "m.npz"); },
                         {"load_npy: expected the NPY magic string", "at the start of \"m.npz\"",
                          "got 8 bytes beginning \"PK\\x03\\x04\\x14\\x00\\x00\\x00\""});
  require_error<IoError>([] { parse_npy("", "e.npy"); }, {"\"e.npy\"", "got 0 bytes"});
  require_error<IoError>([] { parse_npy("\x93NUMPY", "v.npy"); },
                         {"a format version", "\"v.npy\"", "after 6 bytes"});
  std::string bytes = read_file(fixture("f8_vector.npy"));
  bytes[6] = 4;
  require_error<IoError>([&] { parse_npy(bytes, "v.npy"); },
                         {"NPY format version 1.0, 2.0 or 3.0 in \"v.npy\"", "got 4.0"});
}

BOOST_AUTO_TEST_CASE(truncated_files_name_both_byte_counts) {
  const std::string bytes = read_file(fixture("f8_vector.npy"));  // 128-byte header, 24 of data
  require_error<IoError>(
      [&] { parse_npy(bytes.substr(0, 128 + 10), "cut.npy"); },
      {"load_npy: expected 24 bytes of '<f8' data for shape (3) after the 128-byte header of "
       "\"cut.npy\"",
       "got 10 bytes (the file is truncated)"});
  require_error<IoError>([&] { parse_npy(bytes + "xx", "long.npy"); },
                         {"24 bytes of '<f8' data", "got 26 bytes (trailing bytes)"});
  require_error<IoError>([&] { parse_npy(bytes.substr(0, 60), "cut.npy"); },
                         {"a header of 118 bytes after byte 10 of \"cut.npy\"", "got 50 bytes"});
  require_error<IoError>([&] { parse_npy(bytes.substr(0, 9), "cut.npy"); },
                         {"10 bytes of magic, version and header length", "got 9 bytes"});
}

BOOST_AUTO_TEST_CASE(unsupported_dtypes_are_named) {
  require_error<IoError>(
      [] { load_npy(fixture("c16.npy")); },
      {"load_npy: expected dtype '<f4', '<f8', '<i4' or '<i8'", "c16.npy", "got '<c16'"});
  require_error<IoError>([] { load_npy(fixture("u1.npy")); }, {"got '|u1'"});
  require_error<IoError>([] { load_npy(fixture("structured.npy")); },
                         {"a plain dtype string", "structured.npy", "got \"[('a', '<f4')]"});
}

BOOST_AUTO_TEST_CASE(damaged_headers_say_where) {
  const std::string data(8, '\0');
  require_error<IoError>(
      [&] { parse_npy(numpy_header("{'descr': '<f8', 'shape': (1,), }") + data, "h.npy"); },
      {"the key 'fortran_order' in the header of \"h.npy\""});
  require_error<IoError>(
      [&] {
        parse_npy(numpy_header("{'descr' '<f8', 'fortran_order': False, 'shape': (1,), }") + data,
                  "h.npy");
      },
      {"expected ':' at character 9 of the header of \"h.npy\"", "got \"'<f8'"});
  require_error<IoError>(
      [&] {
        parse_npy(numpy_header("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (1,), }") + data,
                  "h.npy");
      },
      {"True or False at character 34", "got \"Maybe"});
  require_error<IoError>(
      [&] {
        parse_npy(numpy_header("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }"),
                  "h.npy");
      },
      {"a non-negative integer extent", "got \"-1,)"});
  require_error<IoError>(
      [&] {
        parse_npy(
            numpy_header("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}") + data,
            "h.npy");
      },
      {"only the keys 'descr', 'fortran_order' and 'shape', not 'x'"});
  // A corrupted extent so large that the data could not be addressed.
  require_error<IoError>(
      [&] {
        parse_npy(numpy_header("{'descr': '<f8', 'fortran_order': False, 'shape': "
                               "(4294967296, 4294967296), }"),
                  "h.npy");
      },
      {"a shape whose data fits in memory", "(4294967296, 4294967296)"});
  // Python 2 wrote extents as longs.
  const Tensor old = parse_npy(
      numpy_header("{'descr': '<f8', 'fortran_order': False, 'shape': (1L,), }") + data, "h.npy");
  BOOST_TEST((old.shape() == Shape{1}));
}

BOOST_AUTO_TEST_CASE(save_npy_is_atomic_and_names_the_path) {
  TempDir dir;
  const std::string path = dir.file("keep.npy");
  save_npy(path, Tensor::ones({2}));
  require_error<ValueError>([&] { save_npy(path, Tensor()); }, {"an undefined tensor"});
  BOOST_TEST(bitwise_equal(load_npy(path), Tensor::ones({2})));
  require_error<IoError>([&] { load_npy(dir.file("none.npy")); },
                         {"read_file", "none.npy", "No such file or directory"});
  BOOST_TEST((dir.entries() == std::vector<std::string>{"keep.npy"}));
}

BOOST_AUTO_TEST_SUITE_END()
