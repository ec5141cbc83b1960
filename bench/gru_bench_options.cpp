#include "bench/gru_bench_options.hpp"

#include <sstream>
#include <thread>

#include "core/error.hpp"

namespace grutape::bench {
namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> items;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, separator)) items.push_back(item);
  return items;
}

// A whole number of digits only, else a ValueError naming the flag.
unsigned long long whole(const std::string& flag, const std::string& text) {
  std::size_t used = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (text.empty() || used != text.size() ||
      text.find_first_not_of("0123456789") != std::string::npos)
    throw ValueError("gru_bench " + flag, "a whole number", "'" + text + "'");
  return value;
}

// A positive integer, else a ValueError naming the flag.
std::size_t positive(const std::string& flag, const std::string& text) {
  const unsigned long long value = whole(flag, text);
  if (value == 0) throw ValueError("gru_bench " + flag, "a positive integer", "'" + text + "'");
  return static_cast<std::size_t>(value);
}

// "3" (the third standard shape) or "50x16x512x512" (T x B x I x H).
GruShape shape_of(const std::string& item) {
  const std::vector<std::string> parts = split(item, 'x');
  if (parts.size() == 1) {
    const std::size_t index = positive("--shapes", item);
    if (index > standard_gru_shapes().size()) {
      throw ValueError("gru_bench --shapes",
                       "a shape number from 1 to " + std::to_string(standard_gru_shapes().size()) +
                           " or TxBxIxH",
                       "'" + item + "'");
    }
    return standard_gru_shapes()[index - 1];
  }
  if (parts.size() != 4)
    throw ValueError("gru_bench --shapes", "a shape number or TxBxIxH", "'" + item + "'");
  return {positive("--shapes", parts[0]), positive("--shapes", parts[1]),
          positive("--shapes", parts[2]), positive("--shapes", parts[3])};
}

std::vector<GruEngineKind> engines_of(const std::string& text) {
  std::vector<bool> wanted(all_gru_engines().size(), false);
  for (const std::string& item : split(text, ',')) {
    bool known = false;
    for (std::size_t i = 0; i < all_gru_engines().size(); ++i) {
      if (item == gru_engine_id(all_gru_engines()[i])) wanted[i] = known = true;
    }
    if (!known) {
      throw ValueError("gru_bench --engines",
                       "composite, fused, onednn_gru, onednn_lbr_gru or pytorch", "'" + item + "'");
    }
  }
  std::vector<GruEngineKind> engines;
  for (std::size_t i = 0; i < wanted.size(); ++i)
    if (wanted[i]) engines.push_back(all_gru_engines()[i]);
  return engines;
}

}  // namespace

const std::vector<GruShape>& standard_gru_shapes() {
  static const std::vector<GruShape> shapes = {
      {100, 1, 256, 256},  {100, 1, 512, 512},   {50, 16, 512, 512}, {50, 64, 512, 512},
      {100, 64, 128, 256}, {50, 64, 1024, 1024}, {300, 20, 800, 800}};
  return shapes;
}

GruBenchOptions parse_gru_bench_options(int argc, char** argv) {
  GruBenchOptions options;
  GruBenchConfig& config = options.config;
  config.shapes = standard_gru_shapes();
  config.engines = all_gru_engines();
  config.threads = std::max(1u, std::thread::hardware_concurrency());
  bool quick = false, repeats_given = false, shapes_given = false;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw ValueError("gru_bench " + flag, "a value after it", "none");
      return argv[++i];
    };
    if (flag == "--help" || flag == "-h") {
      options.help = true;
    } else if (flag == "--quick") {
      quick = true;
    } else if (flag == "--no-scaling") {
      config.scaling = false;
    } else if (flag == "--shapes") {
      config.shapes.clear();
      for (const std::string& item : split(value(), ',')) config.shapes.push_back(shape_of(item));
      shapes_given = true;
    } else if (flag == "--engines") {
      config.engines = engines_of(value());
    } else if (flag == "--repeats") {
      config.repeats = static_cast<int>(positive(flag, value()));
      repeats_given = true;
    } else if (flag == "--threads") {
      config.threads = positive(flag, value());
    } else if (flag == "--seed") {
      config.seed = whole(flag, value());
    } else if (flag == "--json") {
      options.json = value();
    } else if (flag == "--markdown") {
      options.markdown = value();
    } else if (flag == "--svg") {
      options.svg = value();
    } else {
      throw ValueError("gru_bench", "an option of --help", "'" + flag + "'");
    }
  }
  if (quick) {
    // Two tiny shapes, one of them batch 16 so that the thread scaling runs too.
    if (!shapes_given) config.shapes = {{8, 1, 16, 16}, {6, 16, 32, 32}};
    if (!repeats_given) config.repeats = 1;
  }
  return options;
}

std::string gru_bench_usage() {
  std::ostringstream out;
  out << "gru_bench: grutape's GRU engines (composite, fused) beside oneDNN's GRU and LBR-GRU\n"
         "and PyTorch's nn.GRU, float32: inference and forward + backward time (median), GF/s\n"
         "(F = 2 B T 3H (I + H) per forward, 3F per forward + backward), peak training memory,\n"
         "and the 1 vs 2 thread scaling of training at batch >= 16.\n\n"
         "Options:\n"
         "  --shapes LIST      shapes by number or as TxBxIxH, comma-separated (default all):\n";
  for (std::size_t i = 0; i < standard_gru_shapes().size(); ++i)
    out << "                       " << i + 1 << ": " << standard_gru_shapes()[i].text() << "\n";
  out << "  --engines LIST     of composite, fused, onednn_gru, onednn_lbr_gru, pytorch (default "
         "all)\n"
         "  --repeats N        timed calls per measurement after one untimed call (default 5)\n"
         "  --threads N        threads of the main tables (default: the machine's)\n"
         "  --seed S           seed of inputs and weights (default 1)\n"
         "  --no-scaling       skip the 1 vs 2 thread measurements\n"
         "  --quick            two tiny shapes, one repeat: a smoke run\n"
         "  --json FILE        write every result as JSON\n"
         "  --markdown FILE    rewrite the gru_bench section of FILE (between the lines\n"
         "                     <!-- gru_bench:begin --> and <!-- gru_bench:end -->)\n"
         "  --svg FILE         write a bar chart of forward + backward GF/s\n"
         "  --help             this text\n";
  return out.str();
}

}  // namespace grutape::bench
