#pragma once
// FNV-1a, 64-bit: the checksum of the binary sections of model files and checkpoints.
//
//   h0 = 14695981039346656037;  h <- (h xor byte) * 1099511628211 (mod 2^64) for each byte
//
// Each step is a bijection of h for a given byte, so changing any one byte always changes the
// result; it is not a cryptographic hash and does not guard against deliberate edits.

#include <cstddef>
#include <cstdint>
#include <string>

namespace grutape {

/// The FNV-1a 64-bit hash of `size` bytes at `data`, continuing from `hash`.
std::uint64_t fnv1a_64(const void* data, std::size_t size,
                       std::uint64_t hash = 14695981039346656037ull);

/// `hash` as 16 lower-case hex digits.
std::string checksum_hex(std::uint64_t hash);

}  // namespace grutape
