#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <ostream>
#include <system_error>

#include "core/io/atomic_file.hpp"
#include "tests/file_size_limit.hpp"
#include "tests/temp_dir.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::FileSizeLimit;
using testing::require_error;
using testing::TempDir;

namespace {

std::string reason(int error) {
  return std::error_code(error, std::generic_category()).message();
}

// A directory this process cannot create files in, with the reason the system gives: a
// read-only directory, or for root, whom permission bits do not stop, /sys.
std::pair<std::string, std::string> unwritable_directory(const TempDir& dir) {
  const std::string locked = dir.file("locked");
  ::mkdir(locked.c_str(), 0555);
  for (const std::string& candidate : {locked, std::string("/sys"), std::string("/proc")}) {
    const std::string probe = candidate + "/probe";
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) return {candidate, reason(errno)};
    ::close(fd);
    ::unlink(probe.c_str());
  }
  return {"", ""};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(atomic_file_test)

BOOST_AUTO_TEST_CASE(writes_replace_the_whole_file) {
  TempDir dir;
  const std::string path = dir.file("model.json");
  const std::string binary("a\0b\xff\n", 5);
  write_file_atomically(path, binary);
  BOOST_TEST(read_file(path) == binary);
  write_file_atomically(path, [](std::ostream& out) { out << "x = " << 42 << '\n'; });
  BOOST_TEST(read_file(path) == "x = 42\n");
  write_file_atomically(path, std::string());
  BOOST_TEST(read_file(path).empty());
  // Larger than the write buffer, so that it reaches the file in several writes.
  std::string large(300000, '\0');
  for (std::size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>(i * 7 % 251);
  write_file_atomically(path, large);
  BOOST_TEST(read_file(path) == large);
  BOOST_TEST((dir.entries() == std::vector<std::string>{"model.json"}));
}

BOOST_AUTO_TEST_CASE(a_relative_path_writes_in_the_working_directory) {
  TempDir dir;
  const std::string previous = std::filesystem::current_path().string();
  std::filesystem::current_path(dir.path());
  write_file_atomically("plain.txt", std::string("here"));
  std::filesystem::current_path(previous);
  BOOST_TEST(read_file(dir.file("plain.txt")) == "here");
  BOOST_TEST((dir.entries() == std::vector<std::string>{"plain.txt"}));
}

BOOST_AUTO_TEST_CASE(the_old_file_survives_a_writer_that_throws_midway) {
  TempDir dir;
  const std::string path = dir.file("weights.bin");
  write_file_atomically(path, std::string("old contents"));
  BOOST_CHECK_THROW(write_file_atomically(path,
                                          [](std::ostream& out) {
                                            // Past the buffer: part of it is already on disk.
                                            out << std::string(200000, 'n');
                                            throw std::runtime_error("writer failed midway");
                                          }),
                    std::runtime_error);
  BOOST_TEST(read_file(path) == "old contents");
  BOOST_TEST((dir.entries() == std::vector<std::string>{"weights.bin"}));
  // A writer that fails before any file existed leaves nothing at all.
  BOOST_CHECK_THROW(write_file_atomically(dir.file("new.bin"),
                                          [](std::ostream&) { throw IoError("inner failure"); }),
                    IoError);
  BOOST_TEST((dir.entries() == std::vector<std::string>{"weights.bin"}));
}

BOOST_AUTO_TEST_CASE(a_failing_write_names_the_path_and_the_reason_and_keeps_the_old_file) {
  TempDir dir;
  const std::string path = dir.file("big.csv");
  write_file_atomically(path, std::string("old"));
  {
    FileSizeLimit limit(4096);
    require_error<IoError>([&] { write_file_atomically(path, std::string(100000, 'x')); },
                           {"write_file_atomically", path, reason(EFBIG), "while writing"});
  }
  BOOST_TEST(read_file(path) == "old");
  BOOST_TEST((dir.entries() == std::vector<std::string>{"big.csv"}));
}

BOOST_AUTO_TEST_CASE(an_unwritable_directory_is_an_error_naming_path_and_reason) {
  TempDir dir;
  const auto [directory, why] = unwritable_directory(dir);
  BOOST_REQUIRE(!directory.empty());
  const std::string path = directory + "/model.json";
  require_error<IoError>([&] { write_file_atomically(path, std::string("{}")); },
                         {"write_file_atomically: expected to write \"" + path + "\"", "got " + why,
                          "creating a temporary file in \"" + directory + "\""});
  const std::string missing = dir.file("no/such/dir/out.npy");
  require_error<IoError>([&] { write_file_atomically(missing, std::string("x")); },
                         {missing, reason(ENOENT), "creating a temporary file"});
  require_error<IoError>([&] { write_file_atomically(dir.path(), std::string("x")); },
                         {"expected a file path", "the directory \"" + dir.path() + "\""});
  require_error<IoError>([&] { write_file_atomically("", std::string("x")); }, {"an empty path"});
}

BOOST_AUTO_TEST_CASE(an_existing_file_keeps_its_permissions) {
  TempDir dir;
  const std::string path = dir.file("private.json");
  write_file_atomically(path, std::string("1"));
  ::chmod(path.c_str(), 0640);
  write_file_atomically(path, std::string("2"));
  struct stat info;
  BOOST_REQUIRE(::stat(path.c_str(), &info) == 0);
  BOOST_TEST((info.st_mode & 07777) == 0640u);
  BOOST_TEST(read_file(path) == "2");
}

BOOST_AUTO_TEST_CASE(reading_names_the_path_and_the_reason) {
  TempDir dir;
  const std::string missing = dir.file("absent.csv");
  require_error<IoError>(
      [&] { read_file(missing); },
      {"read_file: expected a readable file \"" + missing + "\"", "got " + reason(ENOENT)});
  require_error<IoError>([&] { read_file(dir.path()); }, {dir.path(), reason(EISDIR)});
}

BOOST_AUTO_TEST_SUITE_END()
