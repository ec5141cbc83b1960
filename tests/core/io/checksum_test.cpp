// FNV-1a 64 against the published test vectors, continuation, and single-byte sensitivity.
#include <boost/test/unit_test.hpp>

#include <string>

#include "core/io/checksum.hpp"

using namespace grutape;

BOOST_AUTO_TEST_SUITE(checksum_test)

BOOST_AUTO_TEST_CASE(published_vectors) {
  // From the FNV reference test suite (Fowler, Noll, Vo).
  BOOST_TEST(fnv1a_64("", 0) == 0xcbf29ce484222325ull);
  BOOST_TEST(fnv1a_64("a", 1) == 0xaf63dc4c8601ec8cull);
  BOOST_TEST(fnv1a_64("foobar", 6) == 0x85944171f73967e8ull);
}

BOOST_AUTO_TEST_CASE(hashing_continues_across_pieces) {
  const std::string text = "grutape model weights";
  BOOST_TEST(fnv1a_64(text.data() + 7, text.size() - 7, fnv1a_64(text.data(), 7)) ==
             fnv1a_64(text.data(), text.size()));
}

BOOST_AUTO_TEST_CASE(every_single_byte_change_changes_the_hash) {
  std::string bytes(64, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 37);
  const std::uint64_t original = fnv1a_64(bytes.data(), bytes.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (int value = 0; value < 256; ++value) {
      if (static_cast<char>(value) == bytes[i]) continue;
      std::string changed = bytes;
      changed[i] = static_cast<char>(value);
      BOOST_TEST(fnv1a_64(changed.data(), changed.size()) != original);
    }
  }
}

BOOST_AUTO_TEST_CASE(hex_text) {
  BOOST_TEST(checksum_hex(0xcbf29ce484222325ull) == "cbf29ce484222325");
  BOOST_TEST(checksum_hex(0x1ull) == "0000000000000001");
}

BOOST_AUTO_TEST_SUITE_END()
