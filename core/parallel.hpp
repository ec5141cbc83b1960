#pragma once
// Parallel loops over fixed blocks. The blocks do not depend on the number of threads, so every
// kernel built on them gives bitwise the same result with 1 thread or many.

#include <cstddef>
#include <functional>
#include <memory>

namespace grutape {

/// Kernels with fewer elements than this run on the calling thread: below it the cost of waking
/// a second thread outweighs the work. Measured by bench/elementwise_bench (docs/benchmarks.md):
/// split over two threads, add and exp first gain at 2^15 elements (1.07x, 1.21x) and lose at
/// 2^14 (0.83x, 0.96x).
constexpr std::size_t kParallelThreshold = std::size_t{1} << 15;

/// Calls body(begin, end) for the blocks [0, block), [block, 2*block), ... of [0, count), in
/// parallel when count * cost_per_item reaches kParallelThreshold.
void parallel_blocks(std::size_t count, std::size_t block,
                     const std::function<void(std::size_t, std::size_t)>& body,
                     std::size_t cost_per_item = 1);

/// The number of threads kernels may use now.
std::size_t max_threads();

/// Limits every parallel kernel to `threads` threads while it lives.
class ThreadLimit {
 public:
  explicit ThreadLimit(std::size_t threads);
  ~ThreadLimit();
  ThreadLimit(const ThreadLimit&) = delete;
  ThreadLimit& operator=(const ThreadLimit&) = delete;

 private:
  struct Control;
  std::unique_ptr<Control> control_;
};

}  // namespace grutape
