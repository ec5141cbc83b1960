#include "core/io/checksum.hpp"

namespace grutape {

std::uint64_t fnv1a_64(const void* data, std::size_t size, std::uint64_t hash) {
  constexpr std::uint64_t kPrime = 1099511628211ull;
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * kPrime;
  return hash;
}

std::string checksum_hex(std::uint64_t hash) {
  constexpr char kDigits[] = "0123456789abcdef";
  std::string text(16, '0');
  for (int i = 15; i >= 0; --i, hash >>= 4) text[static_cast<std::size_t>(i)] = kDigits[hash & 0xf];
  return text;
}

}  // namespace grutape
