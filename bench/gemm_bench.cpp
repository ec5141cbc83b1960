// GEMM on the GRU's shapes, in GF/s: the providers called directly with 1 and 2 threads of their
// own (and whether those threads change the result), grutape::gemm against the provider it calls,
// from which size splitting one GEMM over two threads pays, and GEMMs made inside TBB tasks.
// docs/gemm.md and docs/benchmarks.md hold the results.
//
//   gemm_bench [--quick] [--providers-only] [--without-blis] [--attempts N] [--markdown FILE]
//
// --providers-only measures only the first table (as for a second run under another
// OPENBLAS_CORETYPE); --without-blis leaves BLIS out of it. A row is measured again (up to
// --attempts runs, 3 by default) while other processes use more than 10% of the machine; the
// "others" column shows the share they took during the kept run.

#include <dlfcn.h>

#include <map>

#include <tbb/parallel_for.h>

#include "bench/bench_common.hpp"
#include "bench/gemm_providers.hpp"
#include "core/gemm.hpp"
#include "core/parallel.hpp"

namespace {

using namespace grutape;
using namespace grutape::bench;

template <class T>
void interface_gemm(const GemmShape& s, const T* a, const T* b, T* c) {
  gemm(s.ta, s.tb, s.m, s.n, s.k, T(1), a, s.lda(), b, s.ldb(), T(0), c, s.n);
}

int attempts = 3;

// Measures again while the machine is busy, up to `attempts` runs (bench_common.hpp).
template <class F>
double measure_again_when_busy(F&& measure) {
  return measure_quietly(measure, 10, attempts);
}

Repeats repeats_for(const GemmShape& s) {
  return {s.flops() > 2e9 ? 3 : 5, 200, 0.1};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::string percent(double ratio) {
  return (ratio >= 1 ? "+" : "") + fixed(100 * (ratio - 1)) + "%";
}

std::vector<std::string> shape_cells(const GemmShape& s) {
  return {std::to_string(s.m), std::to_string(s.k), std::to_string(s.n)};
}

// Each provider's sgemm with 1 and 2 of its own threads, and whether the two results are bitwise
// equal. A pause follows every 2-thread run, so that its pool is asleep before the next.
Table provider_table(const std::vector<GemmShape>& shapes, bool without_blis) {
  std::vector<Provider> list = providers();
  if (without_blis)
    list.erase(std::remove_if(list.begin(), list.end(),
                              [](const Provider& p) { return p.name == "BLIS"; }),
               list.end());
  std::vector<std::string> header = {"op", "M", "K", "N"};
  for (const auto& p : list) {
    header.push_back(p.name + " 1t");
    header.push_back(p.name + " 2t");
    header.push_back("same bits");
  }
  header.push_back("OpenBLAS dgemm 1t");
  header.push_back("OpenBLAS dgemm 2t");
  header.push_back("others");
  Table table(
      "GEMM providers called directly, GF/s: float32 (sgemm) unless named dgemm (1t/2t: their "
      "own threads; same bits: the 1t and 2t results are bitwise equal)",
      header);
  for (const GemmShape& s : shapes) {
    Operands<float> x(s);
    Operands<double> y(s);
    std::vector<std::string> row;
    const double others = measure_again_when_busy([&] {
      row = shape_cells(s);
      row.insert(row.begin(), s.op());
      for (const Provider& p : list) {
        std::uint64_t hash[2];
        for (int threads : {1, 2}) {
          p.set_threads(threads);
          const double t = median_seconds([&] { p.sgemm(s, x.a.data(), x.b.data(), x.c.data()); },
                                          repeats_for(s));
          row.push_back(fixed(s.flops() / t * 1e-9));
          hash[threads - 1] = bits_hash(x.c);
        }
        p.set_threads(1);
        settle();
        row.push_back(hash[0] == hash[1] ? "yes" : "NO");
      }
      for (int threads : {1, 2}) {
        set_direct_threads<double>(threads);
        const double t = median_seconds([&] { direct_gemm(s, y.a.data(), y.b.data(), y.c.data()); },
                                        repeats_for(s));
        row.push_back(fixed(s.flops() / t * 1e-9));
      }
      set_direct_threads<double>(1);
      settle();
    });
    row.push_back(fixed(others, 0) + "%");
    table.add(row);
    std::cout << "." << std::flush;
  }
  return table;
}

// grutape::gemm against its provider called directly. With 1 thread the two alternate call by
// call; with 2 threads each runs as a block (the provider on its own pool, gemm on TBB) with a
// pause after, so that neither pool spins while the other works.
template <class T>
void interface_rows(Table& table, const std::vector<GemmShape>& shapes, const char* dtype) {
  for (const GemmShape& s : shapes) {
    Operands<T> x(s);
    std::vector<T> c1(x.c.size()), c2(x.c.size());
    const Repeats r = repeats_for(s);
    double d1 = 0, i1 = 0, d2 = 0, i2 = 0;
    const double others = measure_again_when_busy([&] {
      std::vector<double> direct_1, interface_1;
      set_direct_threads<T>(1);
      {
        ThreadLimit limit(1);
        direct_gemm(s, x.a.data(), x.b.data(), x.c.data());
        interface_gemm(s, x.a.data(), x.b.data(), c1.data());
        double total = 0;
        while (int(direct_1.size()) < r.min_repeats ||
               (total < 2 * r.min_seconds && direct_1.size() < 100)) {
          auto start = Clock::now();
          direct_gemm(s, x.a.data(), x.b.data(), x.c.data());
          direct_1.push_back(seconds_since(start));
          start = Clock::now();
          interface_gemm(s, x.a.data(), x.b.data(), c1.data());
          interface_1.push_back(seconds_since(start));
          total += direct_1.back() + interface_1.back();
        }
      }
      d1 = median(direct_1);
      i1 = median(interface_1);
      set_direct_threads<T>(2);
      d2 = median_seconds([&] { direct_gemm(s, x.a.data(), x.b.data(), x.c.data()); }, r);
      set_direct_threads<T>(1);
      settle();
      ThreadLimit limit(2);
      i2 = median_seconds([&] { interface_gemm(s, x.a.data(), x.b.data(), c2.data()); }, r);
      settle();
    });
    const double g = s.flops() * 1e-9;
    std::vector<std::string> row = {dtype, s.op()};
    for (const auto& cell : shape_cells(s)) row.push_back(cell);
    for (const auto& cell :
         {fixed(g / d1), fixed(g / i1), percent(i1 / d1), fixed(g / d2), fixed(g / i2),
          percent(i2 / d2), std::string(bits_hash(c1) == bits_hash(c2) ? "yes" : "NO"),
          fixed(others, 0) + "%"})
      row.push_back(cell);
    table.add(row);
    std::cout << "." << std::flush;
  }
}

// Cutting one float32 GEMM into strips along the longer side of C (as gemm cuts it in two above
// kMinSplitWork, core/gemm.cpp), each strip one single-threaded provider call: what the cuts cost
// on one thread, and what two threads gain, against one call of the whole product on one thread.
Table split_table(const std::vector<GemmShape>& shapes) {
  Table table(
      "One float32 GEMM as one call against 2 or 4 strips (1t: strips one after another, "
      "time / one call; 2t: strips on 2 TBB threads, speedup over one call)",
      {"M", "K", "N", "op", "multiply-adds", "one call us", "2 strips 1t", "2 strips 2t",
       "4 strips 1t", "4 strips 2t", "others"});
  for (const GemmShape& s : shapes) {
    Operands<float> x(s);
    const bool by_columns = s.n >= s.m;
    auto strip_call = [&](std::size_t strip, std::size_t strips) {
      set_direct_threads<float>(1);
      GemmShape part = s;
      if (by_columns) {
        const std::size_t width = (s.n / strips + 15) / 16 * 16, begin = strip * width;
        if (begin >= s.n) return;
        part.n = std::min(width, s.n - begin);
        direct_gemm(part, x.a.data() + 0, x.b.data() + (s.tb ? begin * s.ldb() : begin),
                    x.c.data() + begin);
        return;
      }
      const std::size_t height = (s.m + strips - 1) / strips, begin = strip * height;
      part.m = std::min(height, s.m - begin);
      direct_gemm(part, x.a.data() + (s.ta ? begin : begin * s.lda()), x.b.data(),
                  x.c.data() + begin * s.n);
    };
    auto strips_serial = [&](std::size_t strips) {
      for (std::size_t i = 0; i < strips; ++i) strip_call(i, strips);
    };
    auto strips_parallel = [&](std::size_t strips) {
      tbb::parallel_for(std::size_t{0}, strips, [&](std::size_t i) { strip_call(i, strips); });
    };
    std::vector<std::string> row;
    const Repeats r{s.flops() > 1e8 ? 5 : 21, 100000, 0.05};
    const double others = measure_again_when_busy([&] {
      set_direct_threads<float>(1);
      ThreadLimit limit(2);
      const double one = median_seconds([&] { strip_call(0, 1); }, r);
      row = shape_cells(s);
      row.push_back(s.op());
      row.push_back(std::to_string(s.m * s.n * s.k));
      row.push_back(fixed(one * 1e6));
      for (std::size_t strips : {2, 4}) {
        row.push_back(fixed(median_seconds([&] { strips_serial(strips); }, r) / one, 2));
        row.push_back(fixed(one / median_seconds([&] { strips_parallel(strips); }, r), 2));
      }
    });
    row.push_back(fixed(others, 0) + "%");
    table.add(row);
    std::cout << "." << std::flush;
  }
  return table;
}

// A recurrent step whose batch of 64 is split over two TBB tasks, each multiplying its 32 rows by
// the recurrent kernel (H x 3H), as a fused engine would.
Table task_table(const std::vector<std::size_t>& units) {
  std::vector<std::string> header = {"H", "one gemm of 64 rows", "tasks: gemm",
                                     "tasks: gemm in GemmThreads(1)"};
#ifdef GRUTAPE_BENCH_GEMM_ONEDNN
  header.push_back("tasks: oneDNN, 2 OpenMP threads each");
#endif
  header.push_back("others");
  Table table("GEMM inside two TBB tasks (32 rows each, K = H, N = 3H), GF/s, 2 threads", header);
  ThreadLimit limit(2);
  for (std::size_t h : units) {
    const GemmShape half{32, 3 * h, h}, whole{64, 3 * h, h};
    Operands<float> x(whole);
    auto in_tasks = [&](const std::function<void(const float*, float*)>& body) {
      tbb::parallel_for(0, 2,
                        [&](int t) { body(x.a.data() + t * 32 * h, x.c.data() + t * 96 * h); });
    };
    const double g = whole.flops() * 1e-9;
    std::vector<std::string> row;
    const double others = measure_again_when_busy([&] {
      row = {std::to_string(h)};
      row.push_back(fixed(
          g / median_seconds([&] { interface_gemm(whole, x.a.data(), x.b.data(), x.c.data()); })));
      row.push_back(fixed(g / median_seconds([&] {
                            in_tasks([&](const float* a, float* c) {
                              interface_gemm(half, a, x.b.data(), c);
                            });
                          })));
      row.push_back(fixed(g / median_seconds([&] {
                            in_tasks([&](const float* a, float* c) {
                              GemmThreads serial(1);
                              interface_gemm(half, a, x.b.data(), c);
                            });
                          })));
#ifdef GRUTAPE_BENCH_GEMM_ONEDNN
      row.push_back(fixed(g / median_seconds([&] {
                            in_tasks([&](const float* a, float* c) {
                              omp_set_num_threads(2);
                              direct_gemm(half, a, x.b.data(), c);
                            });
                          })));
      settle();
#endif
    });
    row.push_back(fixed(others, 0) + "%");
    table.add(row);
    std::cout << "." << std::flush;
  }
  return table;
}

// The library file a symbol resolves to: OpenBLAS and BLIS both export cblas_sgemm, and the link
// order decides whose is called.
std::string library_of(void* symbol) {
  Dl_info info{};
  return dladdr(symbol, &info) && info.dli_fname ? info.dli_fname : "unknown";
}

std::vector<std::string> describe(const std::string& cblas_library) {
  std::vector<std::string> notes = {"machine: " + machine_description(),
                                    std::string("grutape::gemm providers: ") + gemm_provider(),
                                    std::string("OpenBLAS: ") + openblas_get_config() + ", core " +
                                        openblas_get_corename() + ", cblas_sgemm from " +
                                        cblas_library};
#ifdef GRUTAPE_BENCH_DNNL
  const dnnl_version_t* v = dnnl_version();
  notes.push_back("oneDNN: " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
                  std::to_string(v->patch) + ", OpenMP runtime, CPU ISA code " +
                  std::to_string(int(dnnl_get_effective_cpu_isa())) +
                  " (dnnl_cpu_isa_t; 231 = avx512_core_bf16)");
#endif
#ifdef GRUTAPE_BENCH_BLIS
  notes.push_back(std::string("BLIS: ") + bli_info_get_version_str() + ", OpenMP, configuration " +
                  bli_arch_string(bli_arch_query_id()));
#endif
  return notes;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = has_flag(argc, argv, "--quick");
  const bool providers_only = has_flag(argc, argv, "--providers-only");
  if (!option(argc, argv, "--attempts").empty())
    attempts = std::max(1, std::stoi(option(argc, argv, "--attempts")));
  const std::string markdown = option(argc, argv, "--markdown");
  const std::string cblas_library = library_of(reinterpret_cast<void*>(&cblas_sgemm));
  if (cblas_library.find("openblas") == std::string::npos) {
    std::cerr << "gemm_bench: cblas_sgemm resolves to " << cblas_library
              << ", not OpenBLAS; link OpenBLAS before BLIS\n";
    return 1;
  }
  std::vector<std::string> notes = describe(cblas_library);
  for (const auto& note : notes) std::cout << note << "\n";

  using Sizes = std::vector<std::size_t>;
  // The forward products X W (M = time * batch, or batch alone for one step) with K = units or
  // features and N = 3 units, then the GRU's backward products: dX = dG W^T (NT),
  // dW = X^T dG (TN, inner extent time * batch), and one step's dh = dG U^T (NT, batch rows).
  std::vector<GemmShape> shapes;
  if (quick) {
    for (std::size_t m : {1, 64}) shapes.push_back({m, 768, 256});
  } else {
    for (std::size_t k : {64, 256})
      for (std::size_t m : {1, 16, 64, 3200, 6400}) shapes.push_back({m, 3 * k, k});
    for (std::size_t m : {1, 16, 64, 3200}) shapes.push_back({m, 3072, 1024});
  }
  for (std::size_t h : quick ? Sizes{256} : Sizes{256, 1024}) {
    shapes.push_back({3200, h, 3 * h, false, true});
    shapes.push_back({h, 3 * h, 3200, true, false});
    shapes.push_back({64, h, 3 * h, false, true});
  }

  OtherLoad load;
  const auto start = Clock::now();
  std::vector<Table> tables = {provider_table(shapes, has_flag(argc, argv, "--without-blis"))};
  auto finish = [&] {
    notes.push_back("other processes used " + fixed(load.percent()) +
                    "% of the machine during the run, which took " + fixed(seconds_since(start)) +
                    " s");
    std::cout << "\n" << notes.back() << "\n";
    for (const Table& table : tables) table.print(std::cout);
    if (!markdown.empty()) write_markdown(markdown, argc, argv, notes, tables);
    return 0;
  };
  if (providers_only) return finish();
  const std::vector<GemmShape>& with_backward = shapes;
  Table interface(
      "grutape::gemm against its provider called directly, GF/s (overhead: extra "
      "time of gemm; 2t direct: the provider's own 2 threads, 2t gemm: its tiles on 2 "
      "TBB threads; same bits: gemm's 1t and 2t results are bitwise equal)",
      {"dtype", "op", "M", "K", "N", "1t direct", "1t gemm", "overhead", "2t direct", "2t gemm",
       "overhead", "same bits", "others"});
  interface_rows<float>(interface, with_backward, "float32");
  std::vector<GemmShape> double_shapes;
  for (const GemmShape& s : with_backward)
    if (s.k <= 3200 && s.n <= 3072 && s.m != 16) double_shapes.push_back(s);
  interface_rows<double>(interface, double_shapes, "float64");
  tables.push_back(interface);

  // Around kMinSplitWork (2^19 multiply-adds), then the GRU's shapes.
  const std::vector<GemmShape> split_shapes =
      quick ? std::vector<GemmShape>{{16, 768, 256}, {64, 256, 768, false, true}}
            : std::vector<GemmShape>{{16, 192, 64},
                                     {64, 192, 64},
                                     {16, 384, 128},
                                     {32, 384, 128},
                                     {64, 384, 128},
                                     {16, 768, 256},
                                     {1, 3072, 1024},
                                     {1024, 192, 64},
                                     {64, 768, 256},
                                     {64, 256, 768, false, true},
                                     {64, 3072, 1024},
                                     {3200, 768, 256},
                                     {3200, 256, 768, false, true},
                                     {256, 768, 3200, true, false},
                                     {3200, 3072, 1024},
                                     {1024, 3072, 3200, true, false}};
  tables.push_back(split_table(split_shapes));
  tables.push_back(task_table(quick ? Sizes{256} : Sizes{256, 512, 1024}));

  return finish();
}
