#pragma once
// Peak heap memory of a piece of work, for every engine alike. gru_bench_malloc.cpp, linked into
// the gru_bench program only, replaces the C allocator's entry points (malloc, calloc, realloc,
// reallocarray, free, posix_memalign, aligned_alloc, memalign, valloc): each forwards to glibc's
// own implementation and adds or subtracts the block's usable size (malloc_usable_size) to a
// live-bytes counter that keeps its maximum (gru_bench_memory.cpp). C++'s operator new, xtensor's
// aligned allocator, oneDNN (posix_memalign) and PyTorch's CPU allocator (posix_memalign) all end
// there, so the same counter sees every engine. Not seen: memory a library maps itself (thread
// stacks, JIT code pages) and allocations made inside glibc by its internal calls (strdup, stdio
// buffers), which are small.

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

/// Whether this program's allocator entry points are the counting ones (false in a program
/// without gru_bench_malloc.cpp: then memory is not reported).
bool heap_counting_active();

namespace detail {
/// Counts a block the C library returned (null passes through uncounted); returns it.
void* counted_block(void* pointer);
/// Uncounts a block about to be freed (null: nothing).
void uncount(void* pointer);
/// Uncounts `bytes` of a block that realloc released.
void uncount_bytes(std::size_t bytes);
}  // namespace detail

}  // namespace grutape::bench
