#include "core/io/detail/npy_header.hpp"

#include <limits>

#include "core/error.hpp"

namespace grutape::detail {
namespace {

class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  NpyHeader parse() {
    NpyHeader header;
    bool has_descr = false, has_order = false, has_shape = false;
    skip_spaces();
    expect('{');
    for (;;) {
      skip_spaces();
      if (at('}')) break;
      const std::size_t key_start = pos_;
      const std::string key = string_literal("a key in quotes or '}'");
      skip_spaces();
      expect(':');
      skip_spaces();
      if (key == "descr") {
        if (at('[')) fail("a plain dtype string (grutape reads no structured dtypes)");
        header.descr = string_literal("a dtype string in quotes");
        has_descr = true;
      } else if (key == "fortran_order") {
        header.fortran_order = boolean();
        has_order = true;
      } else if (key == "shape") {
        header.shape = tuple();
        has_shape = true;
      } else {
        pos_ = key_start;
        fail("only the keys 'descr', 'fortran_order' and 'shape', not '" + key + "'");
      }
      skip_spaces();
      if (!at(',')) break;
      ++pos_;
    }
    skip_spaces();
    expect('}');
    skip_spaces();
    if (pos_ != text_.size()) fail("the end of the header after '}'");
    if (!has_descr) missing("descr");
    if (!has_order) missing("fortran_order");
    if (!has_shape) missing("shape");
    return header;
  }

 private:
  bool at(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  void skip_spaces() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n')) ++pos_;
  }

  void expect(char c) {
    if (!at(c)) fail(std::string("'") + c + "'");
    ++pos_;
  }

  [[noreturn]] void fail(const std::string& expected) const {
    const std::string got =
        pos_ < text_.size() ? escaped(text_.substr(pos_)) : std::string("the end of the header");
    throw IoError("load_npy",
                  expected + " at character " + std::to_string(pos_) + " of the header of \"" +
                      source_ + "\"",
                  got);
  }

  [[noreturn]] void missing(const std::string& key) const {
    throw IoError("load_npy", "the key '" + key + "' in the header of \"" + source_ + "\"",
                  escaped(text_));
  }

  // A Python string without escapes, in single or double quotes: dtype strings and keys.
  std::string string_literal(const std::string& what) {
    if (!at('\'') && !at('"')) fail(what);
    const char quote = text_[pos_];
    const std::size_t end = text_.find(quote, pos_ + 1);
    if (end == std::string_view::npos) fail("a closing " + std::string(1, quote));
    std::string value(text_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end + 1;
    return value;
  }

  bool boolean() {
    if (text_.substr(pos_, 4) == "True") {
      pos_ += 4;
      return true;
    }
    if (text_.substr(pos_, 5) == "False") {
      pos_ += 5;
      return false;
    }
    fail("True or False");
  }

  // A tuple of non-negative integers: (), (5,), (3, 4). Python 2 wrote longs as 3L.
  Shape tuple() {
    Shape shape;
    expect('(');
    for (;;) {
      skip_spaces();
      if (at(')')) break;
      shape.push_back(integer());
      if (at('L')) ++pos_;
      skip_spaces();
      if (!at(',')) break;
      ++pos_;
    }
    skip_spaces();
    expect(')');
    return shape;
  }

  std::size_t integer() {
    if (pos_ >= text_.size() || text_[pos_] < '0' || text_[pos_] > '9') {
      fail("a non-negative integer extent");
    }
    std::size_t value = 0;
    const std::size_t limit = std::numeric_limits<std::size_t>::max();
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      const auto digit = static_cast<std::size_t>(text_[pos_] - '0');
      if (value > (limit - digit) / 10) fail("an extent that fits in 64 bits");
      value = value * 10 + digit;
      ++pos_;
    }
    return value;
  }

  std::string_view text_;
  const std::string& source_;
  std::size_t pos_ = 0;
};

}  // namespace

NpyHeader parse_npy_header(std::string_view text, const std::string& source) {
  return HeaderParser(text, source).parse();
}

std::string format_npy_header(const std::string& descr, const Shape& shape) {
  std::string tuple = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    tuple += (i ? ", " : "") + std::to_string(shape[i]);
  }
  tuple += shape.size() == 1 ? ",)" : ")";
  return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple + ", }";
}

std::string escaped(std::string_view bytes) {
  constexpr std::size_t kLimit = 40;
  constexpr char kHex[] = "0123456789abcdef";
  std::string text = "\"";
  for (std::size_t i = 0; i < bytes.size() && i < kLimit; ++i) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    if (byte >= 0x20 && byte < 0x7f && byte != '"' && byte != '\\') {
      text += static_cast<char>(byte);
    } else {
      text += "\\x";
      text += kHex[byte >> 4];
      text += kHex[byte & 0xf];
    }
  }
  return text + (bytes.size() > kLimit ? "...\"" : "\"");
}

}  // namespace grutape::detail
