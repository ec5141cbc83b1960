#include "core/io/npy.hpp"

#include <cstdint>
#include <cstring>
#include <limits>

#include <xtensor/xmanipulation.hpp>

#include "core/io/atomic_file.hpp"
#include "core/io/detail/npy_header.hpp"

namespace grutape {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;
// numpy pads the header so that the data starts on a multiple of 64 bytes.
constexpr std::size_t kAlignment = 64;

bool host_is_little_endian() {
  const std::uint16_t one = 1;
  unsigned char first;
  std::memcpy(&first, &one, 1);
  return first == 1;
}

// The element type a descr string names.
struct ElementType {
  char kind;  // 'f' or 'i'
  std::size_t size;
  bool swap;  // the file's byte order differs from the host's
};

ElementType element_type(const std::string& descr, const std::string& source) {
  const bool supported =
      descr.size() == 3 && (descr[0] == '<' || descr[0] == '>' || descr[0] == '=') &&
      (descr[1] == 'f' || descr[1] == 'i') && (descr[2] == '4' || descr[2] == '8');
  if (!supported) {
    throw IoError("load_npy",
                  "dtype '<f4', '<f8', '<i4' or '<i8' (or '>' big-endian) in \"" + source + "\"",
                  "'" + descr + "'");
  }
  const bool little = descr[0] == '<' || (descr[0] == '=' && host_is_little_endian());
  return {descr[1], static_cast<std::size_t>(descr[2] - '0'), little != host_is_little_endian()};
}

template <class Word>
Word load_word(const char* bytes, bool swap) {
  char buffer[sizeof(Word)];
  std::memcpy(buffer, bytes, sizeof buffer);
  if (swap) {
    for (std::size_t i = 0; i < sizeof buffer / 2; ++i) {
      std::swap(buffer[i], buffer[sizeof buffer - 1 - i]);
    }
  }
  Word word;
  std::memcpy(&word, buffer, sizeof word);
  return word;
}

// Converts `count` elements of File type at `data` into T, in file order.
template <class T, class File>
Tensor::Array<T> convert(const char* data, std::size_t count, const Shape& shape, bool swap,
                         const std::string& source) {
  Tensor::Array<T> array = Tensor::Array<T>::from_shape(shape);
  for (std::size_t i = 0; i < count; ++i) {
    const File value = load_word<File>(data + i * sizeof(File), swap);
    if constexpr (std::is_same_v<File, std::int64_t>) {
      // Beyond 2^53 float64 has gaps between integers: the value would change silently.
      constexpr std::int64_t kExact = std::int64_t{1} << 53;
      if (value > kExact || value < -kExact) {
        throw IoError("load_npy",
                      "int64 values within +-2^53 (exact in float64) in \"" + source + "\"",
                      std::to_string(value) + " at element " + std::to_string(i));
      }
    }
    array.data()[i] = static_cast<T>(value);
  }
  return array;
}

template <class T, class File>
Tensor read_array(const char* data, const Shape& shape, bool fortran_order, bool swap,
                  const std::string& source) {
  const std::size_t count = shape_size(shape);
  if (!fortran_order) return Tensor(convert<T, File>(data, count, shape, swap, source));
  // A Fortran-order array is the C-order array of the reversed shape, transposed.
  const Shape reversed(shape.rbegin(), shape.rend());
  const Tensor::Array<T> column_major = convert<T, File>(data, count, reversed, swap, source);
  return Tensor(Tensor::Array<T>(xt::transpose(column_major)));
}

std::uint32_t little_endian_length(const std::string& bytes, std::size_t offset,
                                   std::size_t width) {
  std::uint32_t length = 0;
  for (std::size_t i = 0; i < width; ++i) {
    length |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[offset + i])) << (8 * i);
  }
  return length;
}

}  // namespace

Tensor parse_npy(const std::string& bytes, const std::string& source) {
  if (bytes.size() < kMagicSize || bytes.compare(0, kMagicSize, kMagic) != 0) {
    throw IoError("load_npy",
                  "the NPY magic string \"\\x93NUMPY\" at the start of \"" + source + "\"",
                  std::to_string(bytes.size()) + " bytes beginning " +
                      detail::escaped(std::string_view(bytes).substr(0, 8)));
  }
  if (bytes.size() < kMagicSize + 2) {
    throw IoError("load_npy", "a format version after the magic string of \"" + source + "\"",
                  "the end of the file after " + std::to_string(bytes.size()) + " bytes");
  }
  const int major = static_cast<unsigned char>(bytes[6]);
  const int minor = static_cast<unsigned char>(bytes[7]);
  if (major < 1 || major > 3 || minor != 0) {
    throw IoError("load_npy", "NPY format version 1.0, 2.0 or 3.0 in \"" + source + "\"",
                  std::to_string(major) + "." + std::to_string(minor));
  }
  // Version 1.0 gives the header length in 2 bytes, later versions in 4.
  const std::size_t width = major == 1 ? 2 : 4;
  const std::size_t header_start = 8 + width;
  if (bytes.size() < header_start) {
    throw IoError("load_npy",
                  std::to_string(header_start) +
                      " bytes of magic, version and header length in \"" + source + "\"",
                  std::to_string(bytes.size()) + " bytes");
  }
  const std::size_t header_length = little_endian_length(bytes, 8, width);
  if (bytes.size() - header_start < header_length) {
    throw IoError("load_npy",
                  "a header of " + std::to_string(header_length) + " bytes after byte " +
                      std::to_string(header_start) + " of \"" + source + "\"",
                  std::to_string(bytes.size() - header_start) + " bytes");
  }
  const detail::NpyHeader header =
      detail::parse_npy_header(std::string_view(bytes).substr(header_start, header_length), source);
  const ElementType type = element_type(header.descr, source);

  std::size_t count = 1;
  for (std::size_t extent : header.shape) {
    if (extent != 0 && count > std::numeric_limits<std::size_t>::max() / type.size / extent) {
      throw IoError("load_npy", "a shape whose data fits in memory in \"" + source + "\"",
                    shape_to_string(header.shape));
    }
    count *= extent;
  }
  const std::size_t data_start = header_start + header_length;
  const std::size_t expected = count * type.size;
  const std::size_t available = bytes.size() - data_start;
  if (available != expected) {
    throw IoError("load_npy",
                  std::to_string(expected) + " bytes of '" + header.descr + "' data for shape " +
                      shape_to_string(header.shape) + " after the " + std::to_string(data_start) +
                      "-byte header of \"" + source + "\"",
                  std::to_string(available) + " bytes" +
                      (available < expected ? " (the file is truncated)" : " (trailing bytes)"));
  }
  const char* data = bytes.data() + data_start;
  const Shape& shape = header.shape;
  const bool fortran = header.fortran_order;
  if (type.kind == 'f' && type.size == 4) {
    return read_array<float, float>(data, shape, fortran, type.swap, source);
  }
  if (type.kind == 'f') return read_array<double, double>(data, shape, fortran, type.swap, source);
  if (type.size == 4) {
    return read_array<double, std::int32_t>(data, shape, fortran, type.swap, source);
  }
  return read_array<double, std::int64_t>(data, shape, fortran, type.swap, source);
}

Tensor load_npy(const std::string& path) {
  return parse_npy(read_file(path), path);
}

std::string format_npy(const Tensor& tensor) {
  const bool single = tensor.dtype() == DType::float32;
  std::string header = detail::format_npy_header(single ? "<f4" : "<f8", tensor.shape());
  // Magic, version, length field, header and its closing newline fill whole 64-byte blocks.
  // Version 1.0 unless the padded header outgrows its 2-byte length field.
  const auto padded_length = [&](std::size_t prefix) {
    return (prefix + header.size() + 1 + kAlignment - 1) / kAlignment * kAlignment - prefix;
  };
  const bool wide = padded_length(kMagicSize + 4) > std::numeric_limits<std::uint16_t>::max();
  const std::size_t prefix = kMagicSize + (wide ? 6 : 4);
  header.append(padded_length(prefix) - header.size() - 1, ' ');
  header += '\n';

  std::string bytes(kMagic, kMagicSize);
  bytes += static_cast<char>(wide ? 2 : 1);
  bytes += '\0';
  for (std::size_t i = 0; i < (wide ? 4u : 2u); ++i) {
    bytes += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  }
  bytes += header;
  const bool swap = !host_is_little_endian();
  tensor.visit([&](const auto& array) {
    using T = typename std::decay_t<decltype(array)>::value_type;
    const std::size_t start = bytes.size();
    bytes.resize(start + array.size() * sizeof(T));
    for (std::size_t i = 0; i < array.size(); ++i) {
      const T value = load_word<T>(reinterpret_cast<const char*>(array.data() + i), swap);
      std::memcpy(&bytes[start + i * sizeof(T)], &value, sizeof(T));
    }
  });
  return bytes;
}

void save_npy(const std::string& path, const Tensor& tensor) {
  write_file_atomically(path, format_npy(tensor));
}

}  // namespace grutape
