#pragma once
// Peak heap memory of a piece of work, for every engine alike. gru_bench_memory.cpp replaces the
// C allocator's entry points (malloc, calloc, realloc, reallocarray, free, posix_memalign,
// aligned_alloc, memalign, valloc) in the program that links it: each forwards to glibc's own
// implementation and adds or subtracts the block's usable size (malloc_usable_size) to a live-bytes
// counter that keeps its maximum. C++'s operator new, xtensor's aligned allocator, oneDNN
// (posix_memalign) and PyTorch's CPU allocator (posix_memalign) all end there, so the same counter
// sees every engine. Not seen: memory a library maps itself (thread stacks, JIT code pages) and
// allocations made inside glibc by its internal calls (strdup, stdio buffers), which are small.

#include <cstddef>

namespace grutape::bench {

/// Records the peak of the live heap bytes from construction to peak_bytes(), above the live
/// bytes at construction.
class PeakMemory {
 public:
  PeakMemory();
  /// The highest live bytes seen since construction minus the live bytes at construction.
  std::size_t peak_bytes() const;

 private:
  long long start_;
};

/// Whether this program's allocator entry points are the counting ones (false would mean that
/// the linker kept the C library's: then memory is not reported).
bool heap_counting_active();

}  // namespace grutape::bench
