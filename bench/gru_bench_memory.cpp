#include "bench/gru_bench_memory.hpp"

#include <malloc.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>

// glibc's implementations, which its public names call; they stay reachable under these names
// when a program defines its own malloc.
extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);
void __libc_free(void* pointer);
void* __libc_memalign(std::size_t alignment, std::size_t size);
}

namespace {

std::atomic<long long> live_bytes{0};
std::atomic<long long> peak_live_bytes{0};
std::atomic<bool> counted{false};

void* counted_block(void* pointer) {
  if (pointer != nullptr) {
    counted.store(true, std::memory_order_relaxed);
    const auto size = static_cast<long long>(malloc_usable_size(pointer));
    const long long now = live_bytes.fetch_add(size, std::memory_order_relaxed) + size;
    long long peak = peak_live_bytes.load(std::memory_order_relaxed);
    while (now > peak &&
           !peak_live_bytes.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
    }
  }
  return pointer;
}

void uncount(void* pointer) {
  if (pointer != nullptr)
    live_bytes.fetch_sub(static_cast<long long>(malloc_usable_size(pointer)),
                         std::memory_order_relaxed);
}

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
  live_bytes.fetch_sub(static_cast<long long>(old), std::memory_order_relaxed);
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

namespace grutape::bench {

PeakMemory::PeakMemory() : start_(live_bytes.load()) {
  peak_live_bytes.store(start_);
}

std::size_t PeakMemory::peak_bytes() const {
  return static_cast<std::size_t>(std::max(0LL, peak_live_bytes.load() - start_));
}

bool heap_counting_active() {
  // Any allocation in this program goes through the counting malloc when it is linked in.
  void* volatile probe = std::malloc(1);
  std::free(probe);
  return counted.load();
}

}  // namespace grutape::bench
