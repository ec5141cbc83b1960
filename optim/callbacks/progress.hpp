#pragma once
// What fit() prints while it trains. On a terminal, one progress bar per epoch redrawn in place
// (carriage return, then erase to the end of the line) as batches finish:
//
//   Epoch 3/10 [=========>..........] 21/45 - ETA 1.2s - loss: 0.1235 - accuracy: 0.9500
//
// and finished with the epoch's full line. Elsewhere (a file, a pipe, a std::ostringstream), one
// line per epoch:
//
//   Epoch 3/10 - 45 steps - 2.31s - loss: 0.1235 - accuracy: 0.9500 - val_loss: 0.2000
//
// Numbers print with 4 decimals, or as 1.2346e-05 when smaller than 0.001 in magnitude.

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>

#include "optim/callbacks/callback.hpp"

namespace grutape {

/// How much fit() prints: nothing; the bar on a terminal and lines elsewhere; always the bar;
/// always one line per epoch.
enum class Verbosity { quiet, automatic, progress_bar, epoch_lines };

/// The two displays.
enum class ProgressStyle { bar, lines };

/// The display `verbosity` selects for `out`: none for quiet; for automatic, the bar when `out`
/// is std::cout and standard output is a terminal, else lines.
std::optional<ProgressStyle> progress_style(Verbosity verbosity, const std::ostream& out);

/// "0.1235", or "1.2346e-05" below 0.001 in magnitude (but not for 0).
std::string format_log_value(double value);

/// "loss: 0.1235 - accuracy: 0.9500": every entry, in order.
std::string format_logs(const Logs& logs);

/// "Epoch 3/10 - 45 steps - 2.31s - loss: ..." (epoch from 0, printed from 1).
std::string epoch_line(std::size_t epoch, std::size_t epochs, std::size_t steps, double seconds,
                       const Logs& logs);

/// "Epoch 3/10 [====>.....] 21/45 - ETA 1.2s - loss: ...": a 20-character bar after `done`
/// of `steps` steps in `seconds`, the time left estimated from the mean time per step.
std::string progress_bar_line(std::size_t epoch, std::size_t epochs, std::size_t done,
                              std::size_t steps, double seconds, const Logs& logs);

/// The callback that prints; fit() adds it last.
class ProgressPrinter : public Callback {
 public:
  /// Writes: the first process of a data-parallel run alone runs it.
  bool leader_only() const override { return true; }
  /// Prints to `out` (which must outlive training) in `style`.
  ProgressPrinter(std::ostream& out, ProgressStyle style);

  void on_epoch_begin(TrainingRun& run, std::size_t epoch) override;
  /// Redraws the bar, at most every 0.1 s and always after the last step.
  void on_batch_end(TrainingRun& run, std::size_t step, const Logs& logs) override;
  void on_epoch_end(TrainingRun& run, std::size_t epoch, Logs& logs) override;

 private:
  using Clock = std::chrono::steady_clock;
  double seconds_since(Clock::time_point start) const;

  std::ostream& out_;
  ProgressStyle style_;
  std::size_t epoch_ = 0;
  Clock::time_point epoch_start_;
  Clock::time_point last_draw_;
  bool drawn_ = false;
};

}  // namespace grutape
