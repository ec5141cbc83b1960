#include "core/detail/phases.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>

#include <tbb/task_group.h>

#include "core/parallel.hpp"

namespace grutape::detail {
namespace {

void spin_pause() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// One counter per cache line: the threads write them concurrently.
struct alignas(64) Counter {
  std::atomic<std::size_t> value{0};
};

// The claims and completions of a run. Counters only grow: in phase p the claims of range w are
// numbered p * length(w) ... (p + 1) * length(w) - 1, and phase p is complete when `done`
// reaches (p + 1) * items. No counter is ever reset, so a thread that falls behind cannot
// confuse one phase with another.
class Schedule {
 public:
  Schedule(std::size_t phases, std::size_t items, std::size_t workers,
           const std::function<void(std::size_t, std::size_t)>& body)
      : phases_(phases),
        items_(items),
        workers_(workers),
        claims_(std::make_unique<Counter[]>(workers)),
        body_(body) {}

  // Worker w: in every phase its own range first, then the others', then the barrier.
  void work(std::size_t w) {
    for (std::size_t phase = 0; phase < phases_; ++phase) {
      std::size_t completed = 0;
      for (std::size_t q = 0; q < workers_; ++q) completed += run_range((w + q) % workers_, phase);
      if (completed) done_.value.fetch_add(completed, std::memory_order_acq_rel);
      wait_for(phase);
    }
  }

 private:
  std::size_t begin(std::size_t w) const { return w * items_ / workers_; }

  // Claims and runs items of range w in `phase` until none is left; returns how many it ran.
  std::size_t run_range(std::size_t w, std::size_t phase) {
    const std::size_t first = begin(w), length = begin(w + 1) - first;
    const std::size_t end = (phase + 1) * length;
    std::atomic<std::size_t>& claims = claims_[w].value;
    std::size_t ran = 0;
    std::size_t claim = claims.load(std::memory_order_relaxed);
    while (claim < end) {
      if (claims.compare_exchange_weak(claim, claim + 1, std::memory_order_acq_rel)) {
        body_(phase, first + claim - phase * length);
        ++ran;
        ++claim;
      }
    }
    return ran;
  }

  void wait_for(std::size_t phase) {
    const std::size_t target = (phase + 1) * items_;
    for (std::size_t spins = 0; done_.value.load(std::memory_order_acquire) < target; ++spins) {
      // Spin briefly (a phase lasts microseconds), then yield: the other thread may have lost
      // its core.
      if (spins < 4096)
        spin_pause();
      else
        std::this_thread::yield();
    }
  }

  const std::size_t phases_, items_, workers_;
  std::unique_ptr<Counter[]> claims_;
  Counter done_;
  const std::function<void(std::size_t, std::size_t)>& body_;
};

}  // namespace

void run_phases(std::size_t phases, std::size_t items, double work_per_phase,
                const std::function<void(std::size_t phase, std::size_t item)>& body) {
  if (phases == 0 || items == 0) return;
  std::size_t workers = std::min(max_threads(), items);
  if (work_per_phase < kPhaseParallelWork) workers = 1;
  if (workers == 1) {
    for (std::size_t phase = 0; phase < phases; ++phase)
      for (std::size_t item = 0; item < items; ++item) body(phase, item);
    return;
  }
  Schedule schedule(phases, items, workers, body);
  tbb::task_group group;
  for (std::size_t w = 1; w < workers; ++w) group.run([&schedule, w] { schedule.work(w); });
  schedule.work(0);
  group.wait();
}

}  // namespace grutape::detail
