// The counting allocator of bench/gru_bench (gru_bench_memory.hpp): the C allocator's entry points,
// each forwarding to glibc's own implementation and counting the block. Linked into the gru_bench
// program only, so that no other program that calls the benchmark (the grutape command line)
// pays a count on every allocation; there the benchmark reports no memory.

#include <malloc.h>

#include <unistd.h>

#include <cerrno>
#include <cstddef>

#include "bench/gru_bench_memory.hpp"

// glibc's implementations, which its public names call; they stay reachable under these names
// when a program defines its own malloc.
extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);
void __libc_free(void* pointer);
void* __libc_memalign(std::size_t alignment, std::size_t size);
}

using grutape::bench::detail::counted_block;
using grutape::bench::detail::uncount;

namespace {

bool power_of_two(std::size_t n) {
  return n != 0 && (n & (n - 1)) == 0;
}

}  // namespace

extern "C" {

void* malloc(std::size_t size) {
  return counted_block(__libc_malloc(size));
}

void* calloc(std::size_t count, std::size_t size) {
  return counted_block(__libc_calloc(count, size));
}

void* realloc(void* pointer, std::size_t size) {
  // The old block is uncounted before the call: afterwards it may be gone.
  const std::size_t old = pointer != nullptr ? malloc_usable_size(pointer) : 0;
  void* moved = __libc_realloc(pointer, size);
  if (moved == nullptr && size != 0) return nullptr;  // the old block stays, still counted
  grutape::bench::detail::uncount_bytes(old);
  return counted_block(moved);
}

// glibc's own reallocarray would call its realloc directly, past the counting one.
void* reallocarray(void* pointer, std::size_t count, std::size_t size) {
  std::size_t bytes = 0;
  if (__builtin_mul_overflow(count, size, &bytes)) {
    errno = ENOMEM;
    return nullptr;
  }
  return realloc(pointer, bytes);
}

void free(void* pointer) {
  uncount(pointer);
  __libc_free(pointer);
}

void* memalign(std::size_t alignment, std::size_t size) {
  return counted_block(__libc_memalign(alignment, size));
}

void* aligned_alloc(std::size_t alignment, std::size_t size) {
  return counted_block(__libc_memalign(alignment, size));
}

int posix_memalign(void** pointer, std::size_t alignment, std::size_t size) {
  if (!power_of_two(alignment) || alignment % sizeof(void*) != 0) return EINVAL;
  void* block = __libc_memalign(alignment, size);
  if (block == nullptr && size != 0) return ENOMEM;
  *pointer = counted_block(block);
  return 0;
}

void* valloc(std::size_t size) {
  return counted_block(__libc_memalign(static_cast<std::size_t>(sysconf(_SC_PAGESIZE)), size));
}

}  // extern "C"
