// A small helper of the command-line tests (tools/CMakeLists.txt), so that they need no Python:
//   cli_check gru-weights DIR LAYOUT     writes a seeded GRU(4) of input 3 in LAYOUT to DIR
//   cli_check same-arrays A B            exit 0 when the two array files hold equal values
//   cli_check rows FILE ROWS LOW HIGH    exit 0 when FILE holds ROWS rows of finite values whose
//                                        mean is in [LOW, HIGH]
// Each failure prints one line and exits 1.

#include <cmath>
#include <iostream>
#include <string>

#include "core/error.hpp"
#include "core/io/array_file.hpp"
#include "layers/gru/layouts/npy.hpp"

using namespace grutape;

namespace {

int gru_weights(const std::string& directory, const std::string& layout) {
  Gru gru(GruOptions(4).seed(3));
  gru.build({2, 5, 3}, DType::float64);
  export_gru_weights(directory, gru, gru_layout_from_name(layout));
  return 0;
}

int same_arrays(const std::string& a, const std::string& b) {
  const Tensor x = load_array(a), y = load_array(b);
  if (x.shape() != y.shape() || x.to_vector() != y.to_vector()) {
    std::cerr << "cli_check: " << a << " and " << b << " differ\n";
    return 1;
  }
  return 0;
}

int check_rows(const std::string& path, std::size_t rows, double low, double high) {
  const Tensor x = load_array(path);
  if (x.rank() == 0 || x.shape()[0] != rows) {
    std::cerr << "cli_check: " << path << ": expected " << rows << " rows, got shape "
              << shape_to_string(x.shape()) << "\n";
    return 1;
  }
  double sum = 0;
  for (double v : x.to_vector()) {
    if (!std::isfinite(v)) {
      std::cerr << "cli_check: " << path << ": a value that is not finite\n";
      return 1;
    }
    sum += v;
  }
  const double mean = sum / static_cast<double>(x.size());
  if (!(mean >= low && mean <= high)) {
    std::cerr << "cli_check: " << path << ": expected a mean in [" << low << ", " << high
              << "], got " << mean << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string command = argc > 1 ? argv[1] : "";
    if (command == "gru-weights" && argc == 4) return gru_weights(argv[2], argv[3]);
    if (command == "same-arrays" && argc == 4) return same_arrays(argv[2], argv[3]);
    if (command == "rows" && argc == 6) {
      return check_rows(argv[2], std::stoul(argv[3]), std::stod(argv[4]), std::stod(argv[5]));
    }
    std::cerr
        << "cli_check: usage: gru-weights DIR LAYOUT | same-arrays A B | rows FILE N LOW HIGH\n";
  } catch (const std::exception& error) {
    std::cerr << "cli_check: " << error.what() << "\n";
  }
  return 1;
}
