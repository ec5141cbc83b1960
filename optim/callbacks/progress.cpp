#include "optim/callbacks/progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>

namespace grutape {
namespace {

constexpr std::size_t kBarWidth = 20;
constexpr double kRedrawSeconds = 0.1;
// Carriage return to redraw the line; ESC [ K erases what a longer previous draw left behind.
constexpr const char* kRedraw = "\r";
constexpr const char* kEraseToEnd = "\x1b[K";

std::string format_seconds(double seconds, const char* format) {
  char text[64];
  std::snprintf(text, sizeof text, format, seconds);
  return text;
}

std::string epoch_label(std::size_t epoch, std::size_t epochs) {
  return "Epoch " + std::to_string(epoch + 1) + "/" + std::to_string(epochs);
}

std::string with_logs(std::string line, const Logs& logs) {
  return logs.empty() ? line : line + " - " + format_logs(logs);
}

}  // namespace

std::optional<ProgressStyle> progress_style(Verbosity verbosity, const std::ostream& out) {
  switch (verbosity) {
    case Verbosity::quiet:
      return std::nullopt;
    case Verbosity::progress_bar:
      return ProgressStyle::bar;
    case Verbosity::epoch_lines:
      return ProgressStyle::lines;
    default:
      return &out == &std::cout && ::isatty(STDOUT_FILENO) ? ProgressStyle::bar
                                                           : ProgressStyle::lines;
  }
}

std::string format_log_value(double value) {
  char text[64];
  const bool tiny = value != 0 && std::abs(value) < 1e-3;
  std::snprintf(text, sizeof text, tiny ? "%.4e" : "%.4f", value);
  return text;
}

std::string format_logs(const Logs& logs) {
  std::string text;
  for (const auto& [key, value] : logs.items()) {
    text += (text.empty() ? "" : " - ") + key + ": " + format_log_value(value);
  }
  return text;
}

std::string epoch_line(std::size_t epoch, std::size_t epochs, std::size_t steps, double seconds,
                       const Logs& logs) {
  return with_logs(epoch_label(epoch, epochs) + " - " + std::to_string(steps) + " steps - " +
                       format_seconds(seconds, "%.2fs"),
                   logs);
}

std::string progress_bar_line(std::size_t epoch, std::size_t epochs, std::size_t done,
                              std::size_t steps, double seconds, const Logs& logs) {
  const std::size_t filled = steps == 0 ? kBarWidth : std::min(kBarWidth, done * kBarWidth / steps);
  std::string bar(filled, '=');
  if (filled < kBarWidth) {
    if (filled > 0) bar.back() = '>';
    bar += std::string(kBarWidth - filled, '.');
  }
  const double left = done == 0 ? 0.0 : seconds / done * (steps - std::min(done, steps));
  return with_logs(epoch_label(epoch, epochs) + " [" + bar + "] " + std::to_string(done) + "/" +
                       std::to_string(steps) + " - ETA " + format_seconds(left, "%.1fs"),
                   logs);
}

ProgressPrinter::ProgressPrinter(std::ostream& out, ProgressStyle style)
    : out_(out), style_(style) {}

double ProgressPrinter::seconds_since(Clock::time_point start) const {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void ProgressPrinter::on_epoch_begin(TrainingRun&, std::size_t epoch) {
  epoch_ = epoch;
  epoch_start_ = Clock::now();
  drawn_ = false;
}

void ProgressPrinter::on_batch_end(TrainingRun& run, std::size_t step, const Logs& logs) {
  if (style_ != ProgressStyle::bar) return;
  const bool last = step + 1 >= run.steps;
  if (drawn_ && !last && seconds_since(last_draw_) < kRedrawSeconds) return;
  out_ << kRedraw
       << progress_bar_line(epoch_, run.epochs, step + 1, run.steps, seconds_since(epoch_start_),
                            logs)
       << kEraseToEnd << std::flush;
  last_draw_ = Clock::now();
  drawn_ = true;
}

void ProgressPrinter::on_epoch_end(TrainingRun& run, std::size_t epoch, Logs& logs) {
  const std::string line =
      epoch_line(epoch, run.epochs, run.steps, seconds_since(epoch_start_), logs);
  if (style_ == ProgressStyle::bar)
    out_ << kRedraw << line << kEraseToEnd;
  else
    out_ << line;
  out_ << '\n' << std::flush;
}

}  // namespace grutape
