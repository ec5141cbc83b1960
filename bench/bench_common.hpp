#pragma once
// What the benchmark programs share: timing by the median of repeats, a table printed as text or
// markdown, the machine's description, and how busy the other processes kept the machine.

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace grutape::bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// How many times to repeat a measurement: at least `min_repeats`, and until `min_seconds` of
/// timed work, at most `max_repeats`.
struct Repeats {
  int min_repeats = 5;
  int max_repeats = 200;
  double min_seconds = 0.1;
};

/// The median wall time of f() in seconds, after one untimed call.
template <class F>
double median_seconds(F&& f, const Repeats& repeats = {}) {
  f();
  std::vector<double> times;
  double total = 0;
  while (static_cast<int>(times.size()) < repeats.min_repeats ||
         (total < repeats.min_seconds && static_cast<int>(times.size()) < repeats.max_repeats)) {
    const auto start = Clock::now();
    f();
    times.push_back(seconds_since(start));
    total += times.back();
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

/// Lets idle worker threads of thread pools (OpenMP, OpenBLAS, TBB) stop spinning before the next
/// measurement, so that one measurement's pool does not steal a core from the next one's.
inline void settle() {
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
}

inline std::string fixed(double value, int digits = 1) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

/// A table printed aligned on a terminal and as a markdown table, whose first `left_columns`
/// columns are left-aligned in markdown and the rest right-aligned.
class Table {
 public:
  Table(std::string title, std::vector<std::string> header, std::size_t left_columns = 3)
      : title_(std::move(title)), header_(std::move(header)), left_columns_(left_columns) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }

  void print(std::ostream& out) const {
    std::vector<std::size_t> width(header_.size());
    for (std::size_t c = 0; c < header_.size(); ++c) width[c] = header_[c].size();
    for (const auto& row : rows_)
      for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
    auto line = [&](const std::vector<std::string>& cells) {
      for (std::size_t c = 0; c < cells.size(); ++c)
        out << (c ? "  " : "") << std::string(width[c] - cells[c].size(), ' ') << cells[c];
      out << "\n";
    };
    out << "\n" << title_ << "\n";
    line(header_);
    for (const auto& row : rows_) line(row);
    out.flush();
  }

  void markdown(std::ostream& out) const {
    out << "\n**" << title_ << "**\n\n|";
    for (const auto& h : header_) out << " " << h << " |";
    out << "\n|";
    for (std::size_t c = 0; c < header_.size(); ++c)
      out << (c < left_columns_ ? " --- |" : " ---: |");
    out << "\n";
    for (const auto& row : rows_) {
      out << "|";
      for (const auto& cell : row) out << " " << cell << " |";
      out << "\n";
    }
  }

 private:
  std::string title_;
  std::vector<std::string> header_;
  std::size_t left_columns_;
  std::vector<std::vector<std::string>> rows_;
};

/// "AMD EPYC, 2 cores" from /proc/cpuinfo.
inline std::string machine_description() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line, model = "unknown CPU";
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  }
  return model + ", " + std::to_string(std::thread::hardware_concurrency()) + " cores";
}

/// Measures the CPU time that other processes used while it lived, as a share of the machine:
/// benchmarks on a shared machine report it next to their numbers.
class OtherLoad {
 public:
  OtherLoad() : busy_start_(busy_seconds()), own_start_(own_seconds()), wall_(Clock::now()) {}

  /// Percent of all cores' time used by other processes since construction.
  double percent() const {
    const double others = (busy_seconds() - busy_start_) - (own_seconds() - own_start_);
    const double capacity = seconds_since(wall_) * std::thread::hardware_concurrency();
    return std::max(0.0, 100.0 * others / capacity);
  }

 private:
  static double busy_seconds() {
    std::ifstream stat("/proc/stat");
    std::string cpu;
    long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
    stat >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
    return static_cast<double>(user + nice + system + irq + softirq + steal) /
           static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  static double own_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto to_seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec * 1e-6; };
    return to_seconds(usage.ru_utime) + to_seconds(usage.ru_stime);
  }

  double busy_start_, own_start_;
  Clock::time_point wall_;
};

/// Runs `measure` (which keeps its own results) again while other processes used more than
/// `limit` percent of the machine during it, up to `attempts` runs in all; returns the other load
/// seen by the last run, which tables show next to the numbers it produced.
template <class F>
double measure_quietly(F&& measure, double limit = 10, int attempts = 3) {
  double others = 0;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    OtherLoad load;
    measure();
    others = load.percent();
    if (others <= limit) break;
  }
  return others;
}

/// The value after `flag` on the command line, or "" when absent.
inline std::string option(int argc, char** argv, const std::string& flag) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == flag) return argv[i + 1];
  return "";
}

/// Writes the command line, the notes as a list and the tables to `path` as markdown.
inline void write_markdown(const std::string& path, int argc, char** argv,
                           const std::vector<std::string>& notes,
                           const std::vector<Table>& tables) {
  std::ofstream out(path);
  out << "```\n";
  for (int i = 0; i < argc; ++i) out << (i ? " " : "") << argv[i];
  out << "\n```\n\n";
  for (const auto& note : notes) out << "- " << note << "\n";
  for (const Table& table : tables) table.markdown(out);
}

inline bool has_flag(int argc, char** argv, const std::string& flag) {
  for (int i = 1; i < argc; ++i)
    if (argv[i] == flag) return true;
  return false;
}

}  // namespace grutape::bench
