#include "layers/onnx/detail/activation_table.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"

namespace grutape::onnx_detail {
namespace {

// SELU's constants as autodiff/ops/activation.hpp uses them (Keras', PyTorch's).
constexpr double selu_alpha = 1.6732632423543772848170429916717;
constexpr double selu_scale = 1.0507009873554804934193349852946;

struct TableRow {
  const char* name;
  const char* gru_string;  // nullptr: not a GRU activation in ONNX
  const char* node_op;     // nullptr: no operator of its own
  std::optional<double> alpha;
  std::optional<double> beta;
};

// hard_sigmoid is clip((x + k) / 2k, 0, 1), so HardSigmoid's alpha is 1 / 2k and beta 0.5.
const std::vector<TableRow>& table() {
  static const std::vector<TableRow> rows = {
      {"sigmoid", "Sigmoid", "Sigmoid", {}, {}},
      {"tanh", "Tanh", "Tanh", {}, {}},
      {"hard_sigmoid", "HardSigmoid", "HardSigmoid", 1.0 / 5.0, 0.5},
      {"hard_sigmoid_keras3", "HardSigmoid", "HardSigmoid", 1.0 / 6.0, 0.5},
      {"softsign", "Softsign", "Softsign", {}, {}},
      {"relu", "Relu", "Relu", {}, {}},
      {"elu", "Elu", "Elu", 1.0, {}},
      {"selu", nullptr, "Selu", selu_alpha, selu_scale},
      {"softplus", "Softplus", "Softplus", {}, {}},
      {"linear", "Affine", "Identity", 1.0, 0.0},
      {"softmax", nullptr, "Softmax", {}, {}},
      {"log_softmax", nullptr, "LogSoftmax", {}, {}},
  };
  return rows;
}

const char* op_of(const TableRow& row, ActivationUse use) {
  return use == ActivationUse::gru ? row.gru_string : row.node_op;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string expressible(ActivationUse use) {
  std::string names;
  for (const TableRow& row : table()) {
    if (op_of(row, use) != nullptr) names += (names.empty() ? "" : ", ") + std::string(row.name);
  }
  return names;
}

// ONNX's defaults where a node leaves alpha or beta out.
std::optional<double> default_alpha(const std::string& op) {
  if (op == "hardsigmoid") return 0.2;
  if (op == "elu" || op == "affine") return 1.0;
  if (op == "selu") return selu_alpha;
  return std::nullopt;
}

std::optional<double> default_beta(const std::string& op) {
  if (op == "hardsigmoid") return 0.5;
  if (op == "affine") return 0.0;
  if (op == "selu") return selu_scale;
  return std::nullopt;
}

// Attributes are float32 in ONNX: compare at that precision.
bool same_parameter(std::optional<double> given, std::optional<double> wanted) {
  if (!wanted) return true;
  return given && std::fabs(*given - *wanted) <= 1e-6 * std::max(1.0, std::fabs(*wanted));
}

std::string parameters_text(const OnnxActivation& activation) {
  std::string text = activation.op;
  if (activation.alpha) text += " alpha " + format_number(*activation.alpha);
  if (activation.beta) text += " beta " + format_number(*activation.beta);
  return text;
}

}  // namespace

OnnxActivation onnx_activation(const std::string& name, ActivationUse use,
                               const std::string& where) {
  for (const TableRow& row : table()) {
    if (row.name == name && op_of(row, use) != nullptr) {
      return {op_of(row, use), row.alpha, row.beta};
    }
  }
  throw ValueError(where, "an activation ONNX can express here (" + expressible(use) + ")",
                   double_quoted(name));
}

std::optional<std::string> activation_from_onnx(const OnnxActivation& activation,
                                                ActivationUse use, const std::string& where) {
  const std::string op = lower(activation.op);
  const std::optional<double> alpha = activation.alpha ? activation.alpha : default_alpha(op);
  const std::optional<double> beta = activation.beta ? activation.beta : default_beta(op);
  bool known_op = false;
  for (const TableRow& row : table()) {
    const char* row_op = op_of(row, use);
    if (row_op == nullptr || lower(row_op) != op) continue;
    known_op = true;
    if (same_parameter(alpha, row.alpha) && same_parameter(beta, row.beta)) return row.name;
  }
  if (!known_op && use == ActivationUse::node) return std::nullopt;
  throw ValueError(where,
                   "an activation grutape has (" + expressible(use) + ", as docs/onnx.md maps them)",
                   parameters_text(activation));
}

}  // namespace grutape::onnx_detail
