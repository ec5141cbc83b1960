#include <boost/test/unit_test.hpp>

#include "layers/gru/layouts/layouts.hpp"
#include "tests/golden_cases.hpp"
#include "tests/layers/gru/gru_reference.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

namespace {

constexpr ResetGateMode all_modes[] = {ResetGateMode::before_multiplication,
                                       ResetGateMode::after_multiplication,
                                       ResetGateMode::recurrent_bias_after_multiplication};

// Random internal weights for `options` with `input` features.
GruWeights random_weights(const GruOptions& options, std::size_t input, DType dtype,
                          std::uint64_t seed) {
  Random random(seed);
  const std::size_t u = options.units();
  GruWeights w{random.uniform({input, 3 * u}, -1, 1, dtype),
               random.uniform({u, 3 * u}, -1, 1, dtype), Tensor(), Tensor()};
  if (options.use_bias()) w.bias = random.uniform({3 * u}, -1, 1, dtype);
  if (options.use_bias() && has_recurrent_bias(options.reset_gate_mode()))
    w.recurrent_bias = random.uniform({3 * u}, -1, 1, dtype);
  return w;
}

// Bitwise equality of two optional tensors.
bool same(const Tensor& a, const Tensor& b) {
  if (!a.defined() || !b.defined()) return a.defined() == b.defined();
  return testing::bitwise_equal(a, b);
}

bool same(const GruWeights& a, const GruWeights& b) {
  return same(a.kernel, b.kernel) && same(a.recurrent_kernel, b.recurrent_kernel) &&
         same(a.bias, b.bias) && same(a.recurrent_bias, b.recurrent_bias);
}

Tensor values(const Shape& shape, const std::vector<double>& v) {
  return Tensor::from_values(shape, v, DType::float64);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gru_layouts_test)

BOOST_AUTO_TEST_CASE(golden_weights_and_gradients_round_trip_exactly) {
  for (const std::string& name : testing::golden_case_names()) {
    BOOST_TEST_CONTEXT("case " << name) {
      const testing::GoldenCase c = testing::load_golden_case(name);
      for (const auto* file : {&c.weights, &c.grad_weights}) {
        const auto back = testing::internal_to_golden(c, testing::golden_to_internal(c, *file));
        BOOST_TEST(back.size() == file->size());
        for (const auto& [key, tensor] : *file) {
          BOOST_TEST_CONTEXT("tensor " << key) {
            BOOST_TEST(back.count(key) == 1u);
            if (back.count(key)) BOOST_TEST(testing::bitwise_equal(back.at(key), tensor));
          }
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(golden_weights_reproduce_every_case_in_the_reference_forward) {
  for (const std::string& name : testing::golden_case_names()) {
    BOOST_TEST_CONTEXT("case " << name) {
      const testing::GoldenCase c = testing::load_golden_case(name);
      const GruWeights w = testing::golden_to_internal(c, c.weights);
      const auto out =
          testing::reference_gru_forward(w, c.options, c.input, c.initial_state, c.mask);
      const double sequence_error = testing::max_abs_diff(out.sequence_output, c.sequence_output);
      const double state_error = testing::max_abs_diff(out.final_state, c.final_state);
      BOOST_TEST_MESSAGE("golden " << name << ": sequence_output max error " << sequence_error
                                   << ", final_state max error " << state_error);
      BOOST_TEST(sequence_error <= 1e-12);
      BOOST_TEST(state_error <= 1e-12);
    }
  }
}

BOOST_AUTO_TEST_CASE(golden_weights_survive_every_layout_of_their_mode) {
  for (const std::string& name : testing::golden_case_names()) {
    BOOST_TEST_CONTEXT("case " << name) {
      const testing::GoldenCase c = testing::load_golden_case(name);
      const GruOptions& o = c.options;
      const GruWeights w = testing::golden_to_internal(c, c.weights);
      BOOST_TEST(same(gru_from_matlab(gru_to_matlab(w, o), o), w));
      BOOST_TEST(same(gru_from_onnx(gru_to_onnx(w, o), o), w));
      if (o.reset_gate_mode() != ResetGateMode::after_multiplication)
        BOOST_TEST(same(gru_from_keras(gru_to_keras(w, o), o), w));
      if (has_recurrent_bias(o.reset_gate_mode()))
        BOOST_TEST(same(gru_from_pytorch(gru_to_pytorch(w, o), o), w));
    }
  }
}

BOOST_AUTO_TEST_CASE(every_layout_round_trips_in_every_mode_both_ways) {
  for (ResetGateMode mode : all_modes) {
    for (bool use_bias : {true, false}) {
      for (DType dtype : {DType::float32, DType::float64}) {
        BOOST_TEST_CONTEXT(reset_gate_mode_name(mode)
                           << " use_bias " << use_bias << " " << dtype_name(dtype)) {
          const auto o = GruOptions(3).reset_gate_mode(mode).use_bias(use_bias);
          const GruWeights w = random_weights(o, 4, dtype, 7);
          const MatlabGruWeights m = gru_to_matlab(w, o);
          BOOST_TEST(same(gru_from_matlab(m, o), w));
          const MatlabGruWeights m2 = gru_to_matlab(gru_from_matlab(m, o), o);
          BOOST_TEST((same(m2.input_weights, m.input_weights) && same(m2.bias, m.bias) &&
                      same(m2.recurrent_weights, m.recurrent_weights)));
          const OnnxGruWeights x = gru_to_onnx(w, o);
          BOOST_TEST(same(gru_from_onnx(x, o), w));
          const OnnxGruWeights x2 = gru_to_onnx(gru_from_onnx(x, o), o);
          BOOST_TEST((same(x2.w, x.w) && same(x2.r, x.r) && same(x2.b, x.b)));
          if (mode != ResetGateMode::after_multiplication) {
            const KerasGruWeights k = gru_to_keras(w, o);
            BOOST_TEST(same(gru_from_keras(k, o), w));
            const KerasGruWeights k2 = gru_to_keras(gru_from_keras(k, o), o);
            BOOST_TEST((same(k2.kernel, k.kernel) && same(k2.bias, k.bias) &&
                        same(k2.recurrent_kernel, k.recurrent_kernel)));
          }
          if (has_recurrent_bias(mode)) {
            const PytorchGruWeights p = gru_to_pytorch(w, o);
            BOOST_TEST(same(gru_from_pytorch(p, o), w));
            const PytorchGruWeights p2 = gru_to_pytorch(gru_from_pytorch(p, o), o);
            BOOST_TEST((same(p2.weight_ih, p.weight_ih) && same(p2.weight_hh, p.weight_hh) &&
                        same(p2.bias_ih, p.bias_ih) && same(p2.bias_hh, p.bias_hh)));
          }
        }
      }
    }
  }
}

// One unit and one input make every gate block a single value, so each layout's gate order
// can be written out by hand: internal [z, r, h] from PyTorch/MATLAB [r, z, h].
BOOST_AUTO_TEST_CASE(gate_blocks_land_where_each_framework_documents_them) {
  const auto o = GruOptions(1);
  const GruWeights p = gru_from_pytorch({values({3, 1}, {1, 2, 3}), values({3, 1}, {4, 5, 6}),
                                         values({3}, {7, 8, 9}), values({3}, {10, 11, 12})},
                                        o);
  BOOST_TEST(p.kernel.to_vector() == std::vector<double>({2, 1, 3}),
             boost::test_tools::per_element());
  BOOST_TEST(p.recurrent_kernel.to_vector() == std::vector<double>({5, 4, 6}),
             boost::test_tools::per_element());
  BOOST_TEST(p.bias.to_vector() == std::vector<double>({8, 7, 9}),
             boost::test_tools::per_element());
  BOOST_TEST(p.recurrent_bias.to_vector() == std::vector<double>({11, 10, 12}),
             boost::test_tools::per_element());

  const GruWeights m = gru_from_matlab(
      {values({3, 1}, {1, 2, 3}), values({3, 1}, {4, 5, 6}), values({6}, {7, 8, 9, 10, 11, 12})},
      o);
  BOOST_TEST(m.kernel.to_vector() == std::vector<double>({2, 1, 3}),
             boost::test_tools::per_element());
  BOOST_TEST(m.bias.to_vector() == std::vector<double>({8, 7, 9}),
             boost::test_tools::per_element());
  BOOST_TEST(m.recurrent_bias.to_vector() == std::vector<double>({11, 10, 12}),
             boost::test_tools::per_element());

  const GruWeights k = gru_from_keras(
      {values({1, 3}, {1, 2, 3}), values({1, 3}, {4, 5, 6}), values({2, 3}, {7, 8, 9, 10, 11, 12})},
      o);
  BOOST_TEST(k.kernel.to_vector() == std::vector<double>({1, 2, 3}),
             boost::test_tools::per_element());
  BOOST_TEST(k.bias.to_vector() == std::vector<double>({7, 8, 9}),
             boost::test_tools::per_element());
  BOOST_TEST(k.recurrent_bias.to_vector() == std::vector<double>({10, 11, 12}),
             boost::test_tools::per_element());

  const OnnxGruWeights x = gru_to_onnx(k, o);
  BOOST_TEST((x.w.shape() == Shape{1, 3, 1}));
  BOOST_TEST(x.w.to_vector() == std::vector<double>({1, 2, 3}), boost::test_tools::per_element());
  BOOST_TEST(x.b.to_vector() == std::vector<double>({7, 8, 9, 10, 11, 12}),
             boost::test_tools::per_element());
  BOOST_TEST(x.linear_before_reset);
}

// A (2, 3) kernel read as PyTorch rows (3u, input) transposes: internal[i][g] = torch[g'][i].
BOOST_AUTO_TEST_CASE(pytorch_and_onnx_matrices_are_transposed) {
  const auto o = GruOptions(1).use_bias(false);
  const GruWeights p = gru_from_pytorch(
      {values({3, 2}, {1, 2, 3, 4, 5, 6}), values({3, 1}, {7, 8, 9}), Tensor(), Tensor()}, o);
  // torch rows r = (1, 2), z = (3, 4), n = (5, 6) -> internal rows per input [z, r, h].
  BOOST_TEST(p.kernel.to_vector() == std::vector<double>({3, 1, 5, 4, 2, 6}),
             boost::test_tools::per_element());
  const GruWeights x = gru_from_onnx(
      {values({1, 3, 2}, {1, 2, 3, 4, 5, 6}), values({1, 3, 1}, {7, 8, 9}), Tensor(), true}, o);
  BOOST_TEST(x.kernel.to_vector() == std::vector<double>({1, 3, 5, 2, 4, 6}),
             boost::test_tools::per_element());
}

// ONNX's linear_before_reset=0 adds Rb to every gate like Wb: moving the bias into Rb must leave
// the golden before_multiplication case unchanged; likewise Rb_z and Rb_r after multiplication.
BOOST_AUTO_TEST_CASE(onnx_import_folds_recurrent_bias_where_the_mode_adds_it) {
  for (const char* name :
       {"keras_reset_after_false_hard_sigmoid", "matlab_after_multiplication_softsign"}) {
    BOOST_TEST_CONTEXT("case " << name) {
      const testing::GoldenCase c = testing::load_golden_case(name);
      const GruOptions& o = c.options;
      OnnxGruWeights x = gru_to_onnx(testing::golden_to_internal(c, c.weights), o);
      BOOST_TEST(x.linear_before_reset ==
                 (o.reset_gate_mode() != ResetGateMode::before_multiplication));
      const std::size_t u = o.units();
      const std::size_t moved =
          o.reset_gate_mode() == ResetGateMode::before_multiplication ? 3 * u : 2 * u;
      std::vector<double> b = x.b.to_vector();
      for (std::size_t k = 0; k < moved; ++k) std::swap(b[k], b[3 * u + k]);  // Rb was all zero
      x.b = values({1, 6 * u}, b);
      const GruWeights w = gru_from_onnx(x, o);
      const auto out = testing::reference_gru_forward(w, o, c.input, c.initial_state, c.mask);
      BOOST_TEST(testing::max_abs_diff(out.sequence_output, c.sequence_output) <= 1e-12);
      BOOST_TEST(testing::max_abs_diff(out.final_state, c.final_state) <= 1e-12);
    }
  }
}

BOOST_AUTO_TEST_CASE(onnx_rejects_a_candidate_recurrent_bias_after_multiplication) {
  const auto o = GruOptions(1).reset_gate_mode(ResetGateMode::after_multiplication);
  const OnnxGruWeights x{values({1, 3, 1}, {1, 2, 3}), values({1, 3, 1}, {4, 5, 6}),
                         values({1, 6}, {0, 0, 0, 0, 0, 0.5}), true};
  require_error<ValueError>([&] { gru_from_onnx(x, o); },
                            {"gru_from_onnx: B", "Rb_h = 0", "Rb_h[0] = 0.5"});
  OnnxGruWeights wrong_flag = x;
  wrong_flag.linear_before_reset = false;
  require_error<ValueError>(
      [&] { gru_from_onnx(wrong_flag, o); },
      {"gru_from_onnx: linear_before_reset", "expected 1 for after_multiplication", "got 0"});
  require_error<ValueError>(
      [&] { gru_from_onnx(x, GruOptions(1).reset_after(false)); },
      {"linear_before_reset", "expected 0 for before_multiplication", "got 1"});
}

BOOST_AUTO_TEST_CASE(bias_forms_of_another_mode_are_rejected) {
  const auto before = GruOptions(2).reset_after(false);
  const auto after = GruOptions(2).reset_gate_mode(ResetGateMode::after_multiplication);
  const auto keras_reset_after =
      gru_to_keras(random_weights(GruOptions(2), 3, DType::float64, 1), GruOptions(2));
  require_error<ShapeError>(
      [&] { gru_from_keras(keras_reset_after, before); },
      {"gru_from_keras: bias (reset_after=False", "expected shape (6)", "got (2, 6)"});
  const auto keras_before = gru_to_keras(random_weights(before, 3, DType::float64, 1), before);
  require_error<ShapeError>(
      [&] { gru_from_keras(keras_before, GruOptions(2)); },
      {"gru_from_keras: bias (reset_after=True", "expected shape (2, 6)", "got (6)"});
  const auto matlab_6u =
      gru_to_matlab(random_weights(GruOptions(2), 3, DType::float64, 1), GruOptions(2));
  require_error<ShapeError>([&] { gru_from_matlab(matlab_6u, after); },
                            {"gru_from_matlab: Bias (after_multiplication: no recurrent bias)",
                             "expected shape (6)", "got (12)"});
  const auto matlab_3u = gru_to_matlab(random_weights(after, 3, DType::float64, 1), after);
  require_error<ShapeError>([&] { gru_from_matlab(matlab_3u, GruOptions(2)); },
                            {"gru_from_matlab: Bias", "expected shape (12)", "got (6)"});
}

BOOST_AUTO_TEST_CASE(frameworks_without_the_mode_say_so) {
  const auto after = GruOptions(2).reset_gate_mode(ResetGateMode::after_multiplication);
  const GruWeights w = random_weights(after, 3, DType::float64, 2);
  require_error<ValueError>(
      [&] { gru_to_keras(w, after); },
      {"gru_to_keras", "a reset gate mode Keras has", "after_multiplication"});
  require_error<ValueError>(
      [&] {
        gru_from_keras({w.kernel, w.recurrent_kernel, w.bias}, after);
      },
      {"gru_from_keras", "after_multiplication"});
  require_error<ValueError>([&] { gru_to_pytorch(w, after); },
                            {"gru_to_pytorch: reset_gate_mode",
                             "recurrent_bias_after_multiplication", "got after_multiplication"});
  const auto pytorch =
      gru_to_pytorch(random_weights(GruOptions(2), 3, DType::float64, 2), GruOptions(2));
  require_error<ValueError>([&] { gru_from_pytorch(pytorch, GruOptions(2).reset_after(false)); },
                            {"gru_from_pytorch: reset_gate_mode", "got before_multiplication"});
}

BOOST_AUTO_TEST_CASE(wrong_shapes_missing_and_extra_biases_and_dtypes_are_named) {
  const auto o = GruOptions(2);
  const auto p = gru_to_pytorch(random_weights(o, 3, DType::float64, 3), o);
  require_error<ShapeError>(
      [&] {
        gru_from_pytorch({p.weight_ih, p.weight_ih, p.bias_ih, p.bias_hh}, o);
      },
      {"gru_from_pytorch: weight_hh", "expected shape (6, 2)", "got (6, 3)"});
  require_error<ShapeError>(
      [&] {
        gru_from_pytorch({p.weight_hh.reshaped({2, 6}), p.weight_hh, p.bias_ih, p.bias_hh}, o);
      },
      {"gru_from_pytorch: weight_ih", "expected shape (6, 6)", "got (2, 6)"});
  require_error<ShapeError>(
      [&] {
        gru_from_pytorch({p.weight_ih, p.weight_hh, p.bias_ih.reshaped({2, 3}), p.bias_hh}, o);
      },
      {"gru_from_pytorch: bias_ih", "expected shape (6)", "got (2, 3)"});
  require_error<ShapeError>([&] { gru_from_pytorch(p, GruOptions(2).input_size(4)); },
                            {"gru_from_pytorch: weight_ih", "input extent 4", "got shape (6, 3)"});
  require_error<ValueError>(
      [&] {
        gru_from_pytorch({p.weight_ih, p.weight_hh, Tensor(), p.bias_hh}, o);
      },
      {"gru_from_pytorch: bias_ih", "expected a tensor (use_bias true)", "got none"});
  require_error<ValueError>(
      [&] { gru_from_pytorch(p, GruOptions(2).use_bias(false)); },
      {"gru_from_pytorch: bias_ih", "expected none (use_bias false)", "got a tensor of shape (6)"});
  require_error<ValueError>(
      [&] {
        gru_from_pytorch({p.weight_ih, p.weight_hh.to(DType::float32), p.bias_ih, p.bias_hh}, o);
      },
      {"gru_from_pytorch", "one dtype", "float64 and float32"});
  require_error<ValueError>(
      [&] {
        gru_from_pytorch({Tensor(), p.weight_hh, p.bias_ih, p.bias_hh}, o);
      },
      {"gru_from_pytorch: weight_ih", "expected a tensor", "got none"});
  const auto x = gru_to_onnx(random_weights(o, 3, DType::float64, 3), o);
  require_error<ShapeError>(
      [&] {
        gru_from_onnx({x.w.reshaped({6, 3}), x.r, x.b, true}, o);
      },
      {"gru_from_onnx: W", "rank 3", "got shape (6, 3)"});
  require_error<ShapeError>(
      [&] {
        gru_from_onnx({x.w, x.r, x.b.reshaped({12}), true}, o);
      },
      {"gru_from_onnx: B", "expected shape (1, 12)", "got (12)"});
  // Internal weights that do not fit the options are named before any export.
  GruWeights w = random_weights(o, 3, DType::float64, 3);
  w.recurrent_bias = Tensor();
  require_error<ValueError>([&] { gru_to_matlab(w, o); },
                            {"gru_to_matlab: recurrent_bias", "expected a tensor", "got none"});
  w = random_weights(o, 3, DType::float64, 3);
  w.recurrent_kernel = w.recurrent_kernel.reshaped({6, 2});
  require_error<ShapeError>([&] { gru_to_onnx(w, o); }, {"gru_to_onnx: recurrent_kernel",
                                                         "expected shape (2, 6)", "got (6, 2)"});
}

BOOST_AUTO_TEST_SUITE_END()
