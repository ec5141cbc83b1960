// Elementwise throughput against memory bandwidth, with 1 and 2 threads, and the serial/parallel
// crossover behind kParallelThreshold (core/parallel.hpp). docs/benchmarks.md holds the results.
//
//   elementwise_bench [--quick] [--markdown FILE]
//
// Bandwidth counts the bytes a kernel must move: read + written (copy 2 x 4 bytes per float,
// add and triad 3 x 4, exp 2 x 4), as STREAM counts them. The grutape kernels allocate their result
// on every call, as library code does; the baselines write into buffers allocated once.

#include <cmath>
#include <cstring>
#include <random>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <xsimd/xsimd.hpp>

#include "bench/bench_common.hpp"
#include "core/detail/map_kernel.hpp"
#include "core/parallel.hpp"
#include "core/tensor_math.hpp"

namespace {

using namespace grutape;
using namespace grutape::bench;
using Array = Tensor::Array<float>;

constexpr std::size_t kBaselineBlock = 16384;

Tensor random_floats(std::size_t size, unsigned seed) {
  std::mt19937 engine(seed);
  std::uniform_real_distribution<float> uniform(-1, 1);
  Array array = Array::from_shape({size});
  for (float& x : array) x = uniform(engine);
  return Tensor(std::move(array));
}

// Runs body(begin, end) over [0, size) in blocks of kBaselineBlock, on `threads` threads.
void blocks(std::size_t size, int threads,
            const std::function<void(std::size_t, std::size_t)>& body) {
  if (threads == 1) {
    body(0, size);
    return;
  }
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, size, kBaselineBlock),
                    [&](const tbb::blocked_range<std::size_t>& r) { body(r.begin(), r.end()); });
}

double gbps(double bytes, double seconds) {
  return bytes / seconds * 1e-9;
}

Repeats repeats_for(std::size_t size) {
  return {size >= 10000000 ? 3 : 5, 100000, 0.05};
}

std::vector<std::size_t> sizes(bool quick) {
  if (quick) return {1000, 100000, 10000000};
  return {1000, 10000, 100000, 1000000, 3000000, 10000000, 100000000};
}

Table bandwidth_table(bool quick) {
  Table table("STREAM-like memory bandwidth baselines, GB/s (float32 buffers allocated once)",
              {"elements", "copy (memcpy) 1t", "copy (memcpy) 2t", "add c = a + b 1t",
               "add c = a + b 2t", "triad c = a + 3 b 1t", "triad c = a + 3 b 2t"});
  for (std::size_t n : sizes(quick)) {
    const Tensor a = random_floats(n, 1), b = random_floats(n, 2);
    const float* pa = a.array<float>().data();
    const float* pb = b.array<float>().data();
    std::vector<float> c(n, 0.0f);
    std::vector<std::string> row = {std::to_string(n)};
    for (int kind : {0, 1, 2}) {
      for (int threads : {1, 2}) {
        ThreadLimit limit(threads);
        const double t = median_seconds(
            [&] {
              blocks(n, threads, [&](std::size_t begin, std::size_t end) {
                if (kind == 0) {
                  std::memcpy(c.data() + begin, pa + begin, (end - begin) * sizeof(float));
                } else if (kind == 1) {
                  for (std::size_t i = begin; i < end; ++i) c[i] = pa[i] + pb[i];
                } else {
                  for (std::size_t i = begin; i < end; ++i) c[i] = pa[i] + 3.0f * pb[i];
                }
              });
            },
            repeats_for(n));
        row.push_back(fixed(gbps((kind == 0 ? 8.0 : 12.0) * n, t)));
      }
    }
    table.add(row);
    std::cout << "." << std::flush;
  }
  return table;
}

Table kernel_table(bool quick) {
  Table table(
      "grutape kernels, GB/s (a new result tensor per call) and exp in G elements/s",
      {"elements", "add 1t", "add 2t", "exp 1t", "exp 2t", "exp Gelem/s 1t", "exp Gelem/s 2t"});
  auto exp_op = [](auto v) { return xsimd::exp(v); };
  for (std::size_t n : sizes(quick)) {
    const Tensor a = random_floats(n, 1), b = random_floats(n, 2);
    std::vector<std::string> row = {std::to_string(n)};
    double exp_seconds[2];
    for (int threads : {1, 2}) {
      ThreadLimit limit(threads);
      row.push_back(fixed(gbps(12.0 * n, median_seconds([&] { add(a, b); }, repeats_for(n)))));
    }
    for (int threads : {1, 2}) {
      ThreadLimit limit(threads);
      exp_seconds[threads - 1] = median_seconds([&] { detail::map(a, exp_op); }, repeats_for(n));
      row.push_back(fixed(gbps(8.0 * n, exp_seconds[threads - 1])));
    }
    row.push_back(fixed(n / exp_seconds[0] * 1e-9, 2));
    row.push_back(fixed(n / exp_seconds[1] * 1e-9, 2));
    table.add(row);
    std::cout << "." << std::flush;
  }
  return table;
}

// The map kernel's work on a contiguous operand, run either on the calling thread or split into
// `parts` equal blocks (whole xsimd batches) on the TBB threads; the result is allocated per call
// as in detail::map.
template <std::size_t N, class Op>
Array split_map(const std::array<const float*, N>& in, std::size_t n, Op op, std::size_t parts) {
  Array out = Array::from_shape({n});
  constexpr std::size_t width = xsimd::batch<float>::size;
  const std::size_t part = (n / parts + width - 1) / width * width;
  std::array<bool, N> unit;
  unit.fill(true);
  auto run = [&](std::size_t p) {
    const std::size_t begin = std::min(n, p * part), end = std::min(n, begin + part);
    std::array<const float*, N> from = in;
    for (auto& x : from) x += begin;
    detail::map_row<float, N>(from, unit, out.data() + begin, end - begin, op);
  };
  if (parts == 1)
    run(0);
  else
    tbb::parallel_for(std::size_t{0}, parts, run);
  return out;
}

// Table 3: from which size a second thread pays, for the cheapest kernel (add, memory bound) and
// an expensive one (exp). Each size runs serially and split in max(2, n / 16384) blocks.
Table crossover_table(std::size_t& crossover_add, std::size_t& crossover_exp) {
  Table table("Serial against parallel (2 threads) map kernel, microseconds per call",
              {"elements", "add serial", "add parallel", "add speedup", "exp serial",
               "exp parallel", "exp speedup"});
  ThreadLimit limit(2);
  crossover_add = crossover_exp = 0;
  auto add_op = [](auto x, auto y) { return x + y; };
  auto exp_op = [](auto x) { return xsimd::exp(x); };
  for (std::size_t n = 1 << 10; n <= (1 << 20); n *= 2) {
    const Tensor a = random_floats(n, 1), b = random_floats(n, 2);
    const float* pa = a.array<float>().data();
    const float* pb = b.array<float>().data();
    const std::size_t parts = std::max<std::size_t>(2, n / 16384);
    const Repeats r{11, 100000, 0.1};
    const double add_serial = median_seconds([&] { split_map<2>({pa, pb}, n, add_op, 1); }, r);
    const double add_parallel = median_seconds(
        [&] {
          split_map<2>({pa, pb}, n, add_op, parts);
        },
        r);
    const double exp_serial = median_seconds([&] { split_map<1>({pa}, n, exp_op, 1); }, r);
    const double exp_parallel = median_seconds([&] { split_map<1>({pa}, n, exp_op, parts); }, r);
    // The crossover: the smallest size from which every larger one gains from the split.
    if (add_parallel < add_serial) {
      if (crossover_add == 0) crossover_add = n;
    } else {
      crossover_add = 0;
    }
    if (exp_parallel < exp_serial) {
      if (crossover_exp == 0) crossover_exp = n;
    } else {
      crossover_exp = 0;
    }
    table.add({std::to_string(n), fixed(add_serial * 1e6, 2), fixed(add_parallel * 1e6, 2),
               fixed(add_serial / add_parallel, 2), fixed(exp_serial * 1e6, 2),
               fixed(exp_parallel * 1e6, 2), fixed(exp_serial / exp_parallel, 2)});
    std::cout << "." << std::flush;
  }
  return table;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = has_flag(argc, argv, "--quick");
  const std::string markdown = option(argc, argv, "--markdown");
  std::vector<std::string> notes = {"machine: " + machine_description()};
  std::cout << notes[0] << "\n";
  OtherLoad load;
  const auto start = Clock::now();
  std::vector<Table> tables = {bandwidth_table(quick), kernel_table(quick)};
  std::size_t crossover_add = 0, crossover_exp = 0;
  tables.push_back(crossover_table(crossover_add, crossover_exp));
  auto size_text = [](std::size_t n) { return n ? std::to_string(n) : std::string("none"); };
  notes.push_back("measured crossover (parallel faster from here on): add " +
                  size_text(crossover_add) + " elements, exp " + size_text(crossover_exp) +
                  " elements; kParallelThreshold is " + std::to_string(kParallelThreshold));
  notes.push_back("other processes used " + fixed(load.percent()) +
                  "% of the machine during the run, which took " + fixed(seconds_since(start)) +
                  " s");
  std::cout << "\n";
  for (std::size_t i = 1; i < notes.size(); ++i) std::cout << notes[i] << "\n";
  for (const Table& table : tables) table.print(std::cout);
  if (!markdown.empty()) write_markdown(markdown, argc, argv, notes, tables);
  return 0;
}
