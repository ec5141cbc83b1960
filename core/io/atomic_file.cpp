#include "core/io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <ostream>
#include <system_error>

#include "core/error.hpp"

namespace grutape {
namespace {

// The system's text for an errno value (thread-safe, unlike strerror).
std::string reason(int error) {
  return std::error_code(error, std::generic_category()).message();
}

IoError write_error(const std::string& path, int error, const std::string& step) {
  return IoError("write_file_atomically", "to write \"" + path + "\"",
                 reason(error) + " while " + step);
}

// "a/b.csv" -> "a", "b.csv" -> ".", "/b.csv" -> "/".
std::string directory_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string file_name_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A stream buffer over a file descriptor that remembers the first write error (errno) instead of
// losing it inside the ostream's state bits, so that the IoError can say why the write failed.
class FdBuffer : public std::streambuf {
 public:
  explicit FdBuffer(int fd) : fd_(fd) { setp(buffer_, buffer_ + sizeof buffer_); }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    if (error_ != 0) return false;
    const char* next = pbase();
    while (next < pptr()) {
      const ssize_t written = ::write(fd_, next, static_cast<std::size_t>(pptr() - next));
      if (written < 0) {
        if (errno == EINTR) continue;
        error_ = errno;
        return false;
      }
      next += written;
    }
    setp(buffer_, buffer_ + sizeof buffer_);
    return true;
  }

  int fd_;
  int error_ = 0;
  char buffer_[1 << 16];
};

// The temporary file next to the target: removed on destruction unless it was renamed.
class TempFile {
 public:
  TempFile(const std::string& path, const std::string& directory) {
    static std::atomic<unsigned long> counter{0};
    const std::string stem = directory + "/." + file_name_of(path) + ".tmp-" +
                             std::to_string(static_cast<long>(::getpid())) + "-";
    // O_EXCL makes the name ours alone; a leftover of a killed process only costs another try.
    for (int attempt = 0; attempt < 100; ++attempt) {
      name_ = stem + std::to_string(counter++);
      fd_ = ::open(name_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd_ >= 0 || errno != EEXIST) break;
    }
    if (fd_ < 0) {
      throw write_error(path, errno, "creating a temporary file in \"" + directory + "\"");
    }
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!renamed_) ::unlink(name_.c_str());
  }

  int fd() const { return fd_; }
  const std::string& name() const { return name_; }
  /// close(2) reports delayed write errors, so its result matters.
  int close() {
    const int result = ::close(fd_);
    fd_ = -1;
    return result;
  }
  void mark_renamed() { renamed_ = true; }

 private:
  std::string name_;
  int fd_ = -1;
  bool renamed_ = false;
};

void sync_directory(const std::string& path, const std::string& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw write_error(path, errno, "opening \"" + directory + "\" to sync the rename");
  const int result = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  // Some file systems cannot sync a directory (EINVAL); the rename is then as durable as they
  // allow and the write itself has succeeded.
  if (result != 0 && error != EINVAL) {
    throw write_error(path, error, "syncing the directory \"" + directory + "\" after the rename");
  }
}

}  // namespace

void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& writer) {
  if (path.empty()) throw IoError("write_file_atomically", "a file path", "an empty path");
  const std::string directory = directory_of(path);
  struct stat existing;
  const bool exists = ::stat(path.c_str(), &existing) == 0;
  if (exists && S_ISDIR(existing.st_mode)) {
    throw IoError("write_file_atomically", "a file path", "the directory \"" + path + "\"");
  }

  TempFile temp(path, directory);
  if (exists && ::fchmod(temp.fd(), existing.st_mode & 07777) != 0) {
    throw write_error(path, errno, "copying the permissions to \"" + temp.name() + "\"");
  }
  FdBuffer buffer(temp.fd());
  {
    std::ostream stream(&buffer);
    writer(stream);
    stream.flush();
  }
  if (buffer.error() != 0)
    throw write_error(path, buffer.error(), "writing \"" + temp.name() + "\"");
  if (::fsync(temp.fd()) != 0) throw write_error(path, errno, "syncing \"" + temp.name() + "\"");
  if (temp.close() != 0) throw write_error(path, errno, "closing \"" + temp.name() + "\"");
  if (::rename(temp.name().c_str(), path.c_str()) != 0) {
    throw write_error(path, errno, "renaming \"" + temp.name() + "\" over it");
  }
  temp.mark_renamed();
  sync_directory(path, directory);
}

void write_file_atomically(const std::string& path, const std::string& bytes) {
  write_file_atomically(path, [&](std::ostream& out) { out.write(bytes.data(), bytes.size()); });
}

std::string read_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw IoError("read_file", "a readable file \"" + path + "\"", reason(errno));
  std::string bytes;
  char chunk[1 << 16];
  for (;;) {
    const ssize_t count = ::read(fd, chunk, sizeof chunk);
    if (count < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd);
      throw IoError("read_file", "a readable file \"" + path + "\"", reason(error));
    }
    if (count == 0) break;
    bytes.append(chunk, static_cast<std::size_t>(count));
  }
  ::close(fd);
  return bytes;
}

}  // namespace grutape
