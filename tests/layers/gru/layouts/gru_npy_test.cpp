// GRU weights as .npy files in the Keras, PyTorch, MATLAB, ONNX and internal layouts: file names,
// contents against the layouts' definitions, round trips for every layout and mode, the golden
// cases' weights imported from .npy files reproducing their outputs, and errors.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "core/io/atomic_file.hpp"
#include "core/io/npy.hpp"
#include "layers/gru/layouts/npy.hpp"
#include "tests/golden_cases.hpp"
#include "tests/temp_dir.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::bitwise_equal;
using testing::require_error;
using testing::TempDir;

namespace {

constexpr std::size_t kNpyUnits = 3, kInput = 2;

// The modes each layout can hold.
std::vector<ResetGateMode> modes_of(GruLayout layout) {
  switch (layout) {
    case GruLayout::keras:
      return {ResetGateMode::before_multiplication,
              ResetGateMode::recurrent_bias_after_multiplication};
    case GruLayout::pytorch:
      return {ResetGateMode::recurrent_bias_after_multiplication};
    default:
      return {ResetGateMode::before_multiplication, ResetGateMode::after_multiplication,
              ResetGateMode::recurrent_bias_after_multiplication};
  }
}

std::vector<std::string> listing(const std::string& directory) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// The files a layout writes for `options`, as the frameworks name them.
std::vector<std::string> expected_files(GruLayout layout, const GruOptions& options) {
  const bool bias = options.use_bias();
  const bool rb =
      bias && options.reset_gate_mode() == ResetGateMode::recurrent_bias_after_multiplication;
  std::vector<std::string> files;
  switch (layout) {
    case GruLayout::internal:
      files = {"kernel.npy", "recurrent_kernel.npy"};
      if (bias) files.push_back("bias.npy");
      if (rb) files.push_back("recurrent_bias.npy");
      break;
    case GruLayout::keras:
      files = {"kernel.npy", "recurrent_kernel.npy"};
      if (bias) files.push_back("bias.npy");
      break;
    case GruLayout::pytorch:
      files = {"weight_hh_l0.npy", "weight_ih_l0.npy"};
      if (bias) files.insert(files.end(), {"bias_hh_l0.npy", "bias_ih_l0.npy"});
      break;
    case GruLayout::matlab:
      files = {"InputWeights.npy", "RecurrentWeights.npy"};
      if (bias) files.push_back("Bias.npy");
      break;
    case GruLayout::onnx:
      files = {"R.npy", "W.npy", "linear_before_reset.npy"};
      if (bias) files.push_back("B.npy");
      break;
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::shared_ptr<Gru> built_gru(const GruOptions& options, DType dtype = DType::float32) {
  auto gru = std::make_shared<Gru>(GruOptions(options).seed(17));
  gru->build({1, 1, kInput}, dtype);
  return gru;
}

// Input-weights rows of a [r | z | h] layout against the internal kernel's [z | r | h] columns:
// row g' * u + j of the file is column g * u + j of W, transposed.
void require_rz_rows(const Tensor& rows, const Tensor& kernel, std::size_t units) {
  const std::size_t internal_gate[3] = {1, 0, 2};  // r, z, h -> internal block
  const std::size_t inputs = kernel.shape()[0];
  for (std::size_t g = 0; g < 3; ++g)
    for (std::size_t j = 0; j < units; ++j)
      for (std::size_t i = 0; i < inputs; ++i) {
        BOOST_TEST(rows.flat((g * units + j) * inputs + i) ==
                   kernel.flat(i * 3 * units + internal_gate[g] * units + j));
      }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gru_npy_test)

BOOST_AUTO_TEST_CASE(file_names_follow_the_frameworks) {
  BOOST_TEST(gru_npy_file_name(GruLayout::keras, "recurrent_kernel") == "recurrent_kernel.npy");
  BOOST_TEST(gru_npy_file_name(GruLayout::pytorch, "weight_ih") == "weight_ih_l0.npy");
  BOOST_TEST(gru_npy_file_name(GruLayout::pytorch, "bias_hh", 3) == "bias_hh_l2.npy");
  BOOST_TEST(gru_npy_file_name(GruLayout::matlab, "InputWeights") == "InputWeights.npy");
  BOOST_TEST(gru_npy_file_name(GruLayout::onnx, "B") == "B.npy");
}

BOOST_AUTO_TEST_CASE(every_layout_and_mode_round_trips_exactly) {
  for (GruLayout layout : {GruLayout::internal, GruLayout::keras, GruLayout::pytorch,
                           GruLayout::matlab, GruLayout::onnx}) {
    for (ResetGateMode mode : modes_of(layout)) {
      for (bool use_bias : {true, false}) {
        for (DType dtype : {DType::float32, DType::float64}) {
          const GruOptions options = GruOptions(kNpyUnits).reset_gate_mode(mode).use_bias(use_bias);
          BOOST_TEST_CONTEXT(gru_layout_name(layout) << " " << reset_gate_mode_name(mode)
                                                     << " bias " << use_bias << " " << dtype) {
            auto source = built_gru(options, dtype);
            // Biases drawn non-zero, so that a lost bias shows.
            GruWeights w = source->weights();
            if (w.bias.defined()) w.bias = testing::random_tensor(w.bias.shape(), 3, -1, 1, dtype);
            if (w.recurrent_bias.defined())
              w.recurrent_bias = testing::random_tensor(w.recurrent_bias.shape(), 4, -1, 1, dtype);
            source->set_weights(w);
            TempDir dir;
            export_gru_weights(dir.path(), *source, layout);
            BOOST_TEST(listing(dir.path()) == expected_files(layout, options));
            Gru target(options);
            import_gru_weights(dir.path(), target, layout);
            const GruWeights a = source->weights(), b = target.weights();
            BOOST_TEST(bitwise_equal(a.kernel, b.kernel));
            BOOST_TEST(bitwise_equal(a.recurrent_kernel, b.recurrent_kernel));
            BOOST_TEST(a.bias.defined() == b.bias.defined());
            if (a.bias.defined()) BOOST_TEST(bitwise_equal(a.bias, b.bias));
            BOOST_TEST(a.recurrent_bias.defined() == b.recurrent_bias.defined());
            if (a.recurrent_bias.defined())
              BOOST_TEST(bitwise_equal(a.recurrent_bias, b.recurrent_bias));
          }
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(files_hold_each_frameworks_layout) {
  auto gru = built_gru(GruOptions(kNpyUnits));
  const GruWeights w = gru->weights();
  TempDir dir;
  const auto load = [&](const std::string& name) { return load_npy(dir.file(name)); };
  export_gru_weights(dir.path(), *gru, GruLayout::keras);
  BOOST_TEST(bitwise_equal(load("kernel.npy"), w.kernel));  // same [z | r | h] columns
  const Tensor keras_bias = load("bias.npy");
  BOOST_TEST((keras_bias.shape() == Shape{2, 3 * kNpyUnits}));
  for (std::size_t k = 0; k < 3 * kNpyUnits; ++k) {
    BOOST_TEST(keras_bias.flat(k) == w.bias.flat(k));
    BOOST_TEST(keras_bias.flat(3 * kNpyUnits + k) == w.recurrent_bias.flat(k));
  }
  export_gru_weights(dir.path(), *gru, GruLayout::pytorch);
  BOOST_TEST((load("weight_ih_l0.npy").shape() == Shape{3 * kNpyUnits, kInput}));
  require_rz_rows(load("weight_ih_l0.npy"), w.kernel, kNpyUnits);
  require_rz_rows(load("weight_hh_l0.npy"), w.recurrent_kernel, kNpyUnits);
  export_gru_weights(dir.path(), *gru, GruLayout::matlab);
  require_rz_rows(load("InputWeights.npy"), w.kernel, kNpyUnits);
  BOOST_TEST((load("Bias.npy").shape() == Shape{6 * kNpyUnits}));
  export_gru_weights(dir.path(), *gru, GruLayout::onnx);
  const Tensor onnx_w = load("W.npy");
  BOOST_TEST((onnx_w.shape() == Shape{1, 3 * kNpyUnits, kInput}));
  for (std::size_t c = 0; c < 3 * kNpyUnits; ++c)
    for (std::size_t i = 0; i < kInput; ++i)
      BOOST_TEST(onnx_w.flat(c * kInput + i) == w.kernel.flat(i * 3 * kNpyUnits + c));
  BOOST_TEST(load("linear_before_reset.npy").item() == 1.0);
}

BOOST_AUTO_TEST_CASE(levels_of_a_deep_gru_have_their_own_files) {
  auto gru = built_gru(GruOptions(kNpyUnits).depth(2));
  TempDir dir;
  export_gru_weights(dir.path(), *gru, GruLayout::pytorch, 2);
  BOOST_TEST(listing(dir.path()) ==
             (std::vector<std::string>{"bias_hh_l1.npy", "bias_ih_l1.npy", "weight_hh_l1.npy",
                                       "weight_ih_l1.npy"}));
  Gru target(GruOptions(kNpyUnits).depth(2));
  target.build({1, 1, kInput}, DType::float32);
  import_gru_weights(dir.path(), target, GruLayout::pytorch, 2);
  BOOST_TEST(bitwise_equal(target.weights(2).kernel, gru->weights(2).kernel));
  BOOST_TEST(!bitwise_equal(target.weights(1).kernel, gru->weights(1).kernel));
}

BOOST_AUTO_TEST_CASE(an_export_without_bias_removes_an_earlier_bias_file) {
  TempDir dir;
  export_gru_weights(dir.path(), *built_gru(GruOptions(kNpyUnits)), GruLayout::keras);
  BOOST_TEST(std::filesystem::exists(dir.file("bias.npy")));
  const GruOptions no_bias = GruOptions(kNpyUnits).use_bias(false);
  export_gru_weights(dir.path(), *built_gru(no_bias), GruLayout::keras);
  BOOST_TEST(listing(dir.path()) == expected_files(GruLayout::keras, no_bias));
}

BOOST_AUTO_TEST_CASE(the_golden_cases_imported_from_npy_reproduce_their_outputs) {
  for (const std::string& name : testing::golden_case_names()) {
    BOOST_TEST_CONTEXT(name) {
      const testing::GoldenCase c = testing::load_golden_case(name);
      TempDir dir;
      // The files as each framework's tools would write them.
      const std::string suffix = c.convention == "pytorch" ? "_l0" : "";
      for (const auto& [tensor, value] : c.weights)
        save_npy(dir.file(tensor + suffix + ".npy"), value);
      const GruLayout layout = gru_layout_from_name(c.convention);
      Gru gru(c.options);
      import_gru_weights(dir.path(), gru, layout);
      GruInputs inputs;
      inputs.initial_states = {Value(c.initial_state)};
      if (c.mask.defined()) inputs.mask = c.mask;
      gru.set_training(false);
      const GruResult result = gru.run(Value(c.input), inputs);
      BOOST_TEST(testing::max_abs_diff(result.output.value(), c.sequence_output) <= 1e-10);
      BOOST_TEST(testing::max_abs_diff(result.states.at(0).value(), c.final_state) <= 1e-10);
      // Exporting gives back the very tensors that were imported.
      TempDir out;
      export_gru_weights(out.path(), gru, layout);
      for (const auto& [tensor, value] : c.weights) {
        BOOST_TEST(bitwise_equal(load_npy(out.file(tensor + suffix + ".npy")), value), tensor);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(errors_name_the_directory_and_the_file) {
  TempDir dir;
  Gru gru{GruOptions(kNpyUnits)};
  const std::string where = "import_gru_weights \"" + dir.path() + "\" (keras)";
  require_error<IoError>([&] { import_gru_weights(dir.path(), gru, GruLayout::keras); },
                         {where, "the file \"" + dir.file("kernel.npy") + "\"", "none"});
  export_gru_weights(dir.path(), *built_gru(GruOptions(kNpyUnits)), GruLayout::keras);
  // Weights of another size.
  Gru bigger{GruOptions(kNpyUnits + 1)};
  require_error<IoError>([&] { import_gru_weights(dir.path(), bigger, GruLayout::keras); },
                         {where + ": ", "kernel", "expected shape (2, 12), got (2, 9)"});
  BOOST_TEST(!bigger.built());
  // A bias where the options have none.
  Gru no_bias(GruOptions(kNpyUnits).use_bias(false));
  require_error<IoError>([&] { import_gru_weights(dir.path(), no_bias, GruLayout::keras); },
                         {where + ": ", "bias"});
  // A damaged file.
  write_file_atomically(dir.file("recurrent_kernel.npy"), std::string("\x93NUMPY garbage"));
  require_error<IoError>([&] { import_gru_weights(dir.path(), gru, GruLayout::keras); },
                         {dir.file("recurrent_kernel.npy")});
  // A mode the layout cannot hold.
  require_error<ValueError>(
      [&] {
        export_gru_weights(
            dir.path(),
            *built_gru(GruOptions(kNpyUnits).reset_gate_mode(ResetGateMode::after_multiplication)),
            GruLayout::keras);
      },
      {"keras", "after_multiplication"});
  require_error<ValueError>([&] { export_gru_weights(dir.path(), gru, GruLayout::keras); },
                            {"weights", "a built layer"});
}

BOOST_AUTO_TEST_SUITE_END()
