#include "bench/gru_bench_memory.hpp"

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>

namespace {

std::atomic<long long> live_bytes{0};
std::atomic<long long> peak_live_bytes{0};
std::atomic<bool> counted{false};

}  // namespace

namespace grutape::bench::detail {

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
  if (pointer != nullptr) uncount_bytes(malloc_usable_size(pointer));
}

void uncount_bytes(std::size_t bytes) {
  live_bytes.fetch_sub(static_cast<long long>(bytes), std::memory_order_relaxed);
}

}  // namespace grutape::bench::detail

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
