#pragma once
// A sequence of parallel phases with one barrier between consecutive phases, run by threads that
// stay alive for the whole sequence: the fused GRU's time loop is hundreds of short phases (one
// or two per time step), where a fork and join per phase, or per GEMM, would cost more than the
// work. Not a public header; core/parallel.hpp's loops are the ones for single passes.
//
// Every phase has the same fixed `items` (e.g. the GRU kernel's unit blocks); body(phase, item)
// must compute item's results from data that earlier phases completed and write only item's own
// outputs. Which thread runs an item never changes what it computes, so results are bitwise the
// same for any thread count. Each thread owns a fixed contiguous range of the items and runs
// them in every phase (its slice of the recurrent weights stays in its cache); a thread that is
// done takes unclaimed items of the others, so a thread that starts late or is descheduled
// delays nobody and can never deadlock the others.

#include <cstddef>
#include <functional>

namespace grutape::detail {

/// Runs body(phase, item) for every item of phases 0, 1, ..., phases - 1, each phase after the
/// previous one completed. Uses up to max_threads() threads, one when a phase is below
/// kPhaseParallelWork multiply-adds (`work_per_phase`).
void run_phases(std::size_t phases, std::size_t items, double work_per_phase,
                const std::function<void(std::size_t phase, std::size_t item)>& body);

/// Phases with less work than this run on the calling thread: a barrier between two threads
/// costs about as much as 10^5 multiply-adds on one.
constexpr double kPhaseParallelWork = 1e5;

}  // namespace grutape::detail
