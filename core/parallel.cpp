#include "core/parallel.hpp"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include "core/error.hpp"

namespace grutape {

void parallel_blocks(std::size_t count, std::size_t block,
                     const std::function<void(std::size_t, std::size_t)>& body,
                     std::size_t cost_per_item) {
  if (count == 0) return;
  if (block == 0) block = 1;
  const std::size_t blocks = (count + block - 1) / block;
  auto run_block = [&](std::size_t b) { body(b * block, std::min(count, (b + 1) * block)); };
  if (blocks == 1 || count * cost_per_item < kParallelThreshold) {
    for (std::size_t b = 0; b < blocks; ++b) run_block(b);
    return;
  }
  tbb::parallel_for(std::size_t{0}, blocks, run_block);
}

std::size_t max_threads() {
  return tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
}

struct ThreadLimit::Control {
  explicit Control(std::size_t threads)
      : control(tbb::global_control::max_allowed_parallelism, threads) {}
  tbb::global_control control;
};

ThreadLimit::ThreadLimit(std::size_t threads) {
  if (threads == 0) throw ValueError("ThreadLimit", "at least 1 thread", "0");
  control_ = std::make_unique<Control>(threads);
}

ThreadLimit::~ThreadLimit() = default;

}  // namespace grutape
