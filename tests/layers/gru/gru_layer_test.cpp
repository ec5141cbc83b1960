// The Gru layer's interface (on the default engine, auto: fused): parameters, engines, options that
// reshape the computation (implementation, unroll, depth, go_backwards, return_sequences/state),
// weights in every layout, dtypes, JSON and describe.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/reduce.hpp"
#include "autodiff/ops/shape.hpp"
#include "core/parallel.hpp"
#include "core/tensor_math.hpp"
#include "layers/gru/gru.hpp"
#include "layers/gru/layouts/layouts.hpp"
#include "tests/layers/gru/reset_gate_modes.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::bitwise_equal;
using testing::kResetGateModes;
using testing::max_abs_diff;
using testing::random_tensor;

namespace {

Value input(std::uint64_t seed = 1, std::size_t batch = 2, std::size_t steps = 5,
            std::size_t features = 3) {
  return Value(random_tensor({batch, steps, features}, seed));
}

// Biases in [-0.5, 0.5) instead of the initial zeros, so that they take part in every check.
void randomize_biases(Gru& layer) {
  for (std::size_t level = 1; level <= layer.options().depth(); ++level) {
    GruWeights w = layer.weights(level);
    if (w.bias.defined()) w.bias = random_tensor(w.bias.shape(), 40 + level, -0.5, 0.5);
    if (w.recurrent_bias.defined())
      w.recurrent_bias = random_tensor(w.recurrent_bias.shape(), 50 + level, -0.5, 0.5);
    layer.set_weights(w, level);
  }
}

// x reversed along time.
Tensor reversed_in_time(const Tensor& x) {
  const Shape s = x.shape();
  std::vector<double> values(x.size());
  for (std::size_t b = 0; b < s[0]; ++b)
    for (std::size_t t = 0; t < s[1]; ++t)
      for (std::size_t f = 0; f < s[2]; ++f)
        values[(b * s[1] + t) * s[2] + f] = x.flat((b * s[1] + (s[1] - 1 - t)) * s[2] + f);
  return Tensor::from_values(s, values, x.dtype());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gru_layer_test)

BOOST_AUTO_TEST_CASE(parameters_by_name_for_each_mode_bias_and_depth) {
  for (ResetGateMode mode : kResetGateModes) {
    for (bool bias : {true, false}) {
      Gru layer(GruOptions(4).reset_gate_mode(mode).use_bias(bias).depth(2).seed(1));
      layer(input());
      std::vector<std::string> expected;
      for (std::size_t level : {1, 2}) {
        expected.push_back(gru_parameter_name("kernel", level));
        expected.push_back(gru_parameter_name("recurrent_kernel", level));
        if (bias) expected.push_back(gru_parameter_name("bias", level));
        if (bias && has_recurrent_bias(mode))
          expected.push_back(gru_parameter_name("recurrent_bias", level));
      }
      std::vector<std::string> names;
      for (const auto& [name, _] : layer.named_parameters()) names.push_back(name);
      BOOST_TEST(names == expected, boost::test_tools::per_element());
      BOOST_TEST((layer.parameter("kernel").shape() == Shape{3, 12}));
      BOOST_TEST((layer.parameter("kernel_2").shape() == Shape{4, 12}));
      BOOST_TEST((layer.parameter("recurrent_kernel_2").shape() == Shape{4, 12}));
      const std::size_t per_bias = bias ? (has_recurrent_bias(mode) ? 24 : 12) : 0;
      BOOST_TEST(layer.parameter_count() == 3 * 12 + 48 + 48 + 48 + 2 * per_bias);
    }
  }
  BOOST_TEST(gru_parameter_name("bias", 1) == "bias");
  BOOST_TEST(gru_parameter_name("bias", 3) == "bias_3");
}

BOOST_AUTO_TEST_CASE(the_weights_are_the_options_initializers_drawn_from_the_seed) {
  const auto options = GruOptions(4)
                           .seed(9)
                           .preset(InitializerPreset::pytorch)
                           .weight_scaling(0.5)
                           .kernel_initializer(InitializerSpec("he_uniform"));
  Gru layer(options);
  layer(input());
  Random random(9);
  const GruWeights expected = initialize_gru_weights(options, 3, DType::float64, random);
  const GruWeights got = layer.weights();
  BOOST_TEST(bitwise_equal(got.kernel, expected.kernel));
  BOOST_TEST(bitwise_equal(got.recurrent_kernel, expected.recurrent_kernel));
  BOOST_TEST(bitwise_equal(got.bias, expected.bias));
  BOOST_TEST(bitwise_equal(got.recurrent_bias, expected.recurrent_bias));
}

BOOST_AUTO_TEST_CASE(auto_and_fused_run_the_fused_engine_composite_the_composite_one) {
  for (GruEngine engine : {GruEngine::automatic, GruEngine::fused, GruEngine::composite}) {
    Gru layer(GruOptions(3).engine(engine));
    BOOST_TEST(!layer.engine_used().has_value());
    layer(input());
    const GruEngine ran = engine == GruEngine::composite ? engine : GruEngine::fused;
    BOOST_TEST((layer.engine_used() == ran));
  }
}

BOOST_AUTO_TEST_CASE(implementations_1_and_2_agree_within_1e_12) {
  for (ResetGateMode mode : kResetGateModes) {
    const auto options = GruOptions(4).reset_gate_mode(mode).return_sequences(true).seed(2);
    Gru one(GruOptions(options).implementation(1)), two(GruOptions(options).implementation(2));
    const Value x1(random_tensor({3, 6, 5}, 3), true), x2(x1.value(), true);
    one.build(x1.shape(), DType::float64);
    randomize_biases(one);
    two.build(x1.shape(), DType::float64);
    two.set_weights(one.weights());
    // Each backward right after its forward: a backward without retain_graph releases the tape.
    const Value y1 = one(x1);
    sum(y1 * y1).backward();
    const Value y2 = two(x2);
    sum(y2 * y2).backward();
    BOOST_TEST(max_abs_diff(y1.value(), y2.value()) <= 1e-12);
    BOOST_TEST(max_abs_diff(x1.grad(), x2.grad()) <= 1e-12);
    for (const auto& [name, p] : one.named_parameters())
      BOOST_TEST(max_abs_diff(p.grad(), two.parameter(name).grad()) <= 1e-12, name);
  }
}

BOOST_AUTO_TEST_CASE(unroll_changes_no_number) {
  const auto options = GruOptions(4).return_sequences(true).seed(4);
  Gru rolled(options), unrolled(GruOptions(options).unroll(true));
  BOOST_TEST(bitwise_equal(rolled(input()).value(), unrolled(input()).value()));
}

BOOST_AUTO_TEST_CASE(the_last_output_is_the_last_step_and_return_state_lists_the_states) {
  Gru sequence(GruOptions(4).return_sequences(true).depth(2).seed(5));
  Gru last(GruOptions(4).return_state(true).depth(2).seed(5));
  const GruResult all = sequence.run(input());
  const GruResult one = last.run(input());
  BOOST_TEST((all.output.shape() == Shape{2, 5, 4}));
  BOOST_TEST((one.output.shape() == Shape{2, 4}));
  BOOST_TEST(bitwise_equal(one.output.value(), all.states[1].value()));
  BOOST_TEST(bitwise_equal(select(all.output, 1, 4).value(), one.output.value()));
  BOOST_TEST(all.outputs().size() == 1u);
  const std::vector<Value> outputs = one.outputs();
  BOOST_TEST(outputs.size() == 3u);
  BOOST_TEST(bitwise_equal(outputs[1].value(), one.states[0].value()));
  BOOST_TEST(bitwise_equal(outputs[2].value(), one.states[1].value()));
}

// Level k + 1 reads level k's sequence: a depth-2 layer is two chained layers.
BOOST_AUTO_TEST_CASE(depth_2_equals_two_chained_layers) {
  for (bool backwards : {false, true}) {
    const auto options = GruOptions(4).return_sequences(true).go_backwards(backwards).seed(6);
    Gru deep(GruOptions(options).depth(2));
    const Value x = Value(random_tensor({2, 5, 3}, 7));
    deep.build(x.shape(), DType::float64);
    randomize_biases(deep);
    // The second layer reads the first's output, already in reading order: it reads forwards.
    Gru first(options), second(GruOptions(options).go_backwards(false));
    first.set_weights(deep.weights(1));
    second.set_weights(deep.weights(2));
    const GruResult chained_first = first.run(x);
    const GruResult chained = second.run(chained_first.output);
    const GruResult result = deep.run(x);
    BOOST_TEST(bitwise_equal(result.output.value(), chained.output.value()));
    BOOST_TEST(bitwise_equal(result.states[0].value(), chained_first.states[0].value()));
    BOOST_TEST(bitwise_equal(result.states[1].value(), chained.states[0].value()));
  }
}

// Keras: go_backwards reads the last step first and returns the sequence in reading order, which
// is the forward layer's output on the time-reversed input.
BOOST_AUTO_TEST_CASE(go_backwards_is_the_forward_layer_on_the_reversed_input) {
  const auto options = GruOptions(4).return_sequences(true).seed(8);
  Gru backwards(GruOptions(options).go_backwards(true)), forwards(options);
  const Tensor x = random_tensor({2, 5, 3}, 9);
  BOOST_TEST(
      bitwise_equal(backwards(Value(x)).value(), forwards(Value(reversed_in_time(x))).value()));
}

BOOST_AUTO_TEST_CASE(weights_in_every_layout_round_trip_through_the_layer) {
  for (ResetGateMode mode : kResetGateModes) {
    const auto options = GruOptions(3).reset_gate_mode(mode).seed(10);
    Gru source(options);
    source.build({2, 4, 5}, DType::float64);
    randomize_biases(source);
    const GruWeights expected = source.weights();
    for (GruLayout layout : {GruLayout::internal, GruLayout::keras, GruLayout::pytorch,
                             GruLayout::matlab, GruLayout::onnx}) {
      // PyTorch has only recurrent_bias_after_multiplication, Keras not after_multiplication.
      if (layout == GruLayout::pytorch && !has_recurrent_bias(mode)) continue;
      if (layout == GruLayout::keras && mode == ResetGateMode::after_multiplication) continue;
      BOOST_TEST_CONTEXT(reset_gate_mode_name(mode) << " via " << gru_layout_name(layout)) {
        Gru target(options);
        target.set_weights(layout, source.get_weights(layout));
        BOOST_TEST(target.built());
        const GruWeights got = target.weights();
        BOOST_TEST(bitwise_equal(got.kernel, expected.kernel));
        BOOST_TEST(bitwise_equal(got.recurrent_kernel, expected.recurrent_kernel));
        BOOST_TEST(bitwise_equal(got.bias, expected.bias));
        if (expected.recurrent_bias.defined())
          BOOST_TEST(bitwise_equal(got.recurrent_bias, expected.recurrent_bias));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(set_weights_copies_and_converts_to_the_layer_dtype) {
  Gru layer(GruOptions(2).use_bias(false));
  layer(Value(Tensor::zeros({1, 2, 3}, DType::float32)));
  GruWeights w{random_tensor({3, 6}, 1), random_tensor({2, 6}, 2), Tensor(), Tensor()};
  layer.set_weights(w);
  BOOST_TEST((layer.parameter("kernel").dtype() == DType::float32));
  BOOST_TEST(max_abs_diff(layer.weights().kernel, w.kernel) <= 1e-7);
  // Later changes to the caller's tensor do not reach the layer.
  w.kernel.array<double>()(0, 0) = 100;
  BOOST_TEST(layer.weights().kernel.flat(0) != 100.0);
}

BOOST_AUTO_TEST_CASE(float32_and_float64_layers) {
  for (DType dtype : {DType::float32, DType::float64}) {
    Gru layer(GruOptions(3).seed(11));
    const Value y = layer(Value(random_tensor({2, 4, 3}, 12, -1, 1, dtype)));
    BOOST_TEST((y.dtype() == dtype));
    BOOST_TEST((layer.parameter("kernel").dtype() == dtype));
  }
}

BOOST_AUTO_TEST_CASE(lda_coeff_scales_the_input_gradient) {
  const Tensor x = random_tensor({2, 4, 3}, 13);
  Tensor grads[2];
  for (double coeff : {1.0, -0.5}) {
    Gru layer(GruOptions(3).seed(14));
    layer.set_lda_coeff(coeff);
    const Value leaf(x, true);
    sum(layer(leaf)).backward();
    grads[coeff == 1.0 ? 0 : 1] = leaf.grad();
  }
  BOOST_TEST(max_abs_diff(grads[1], grutape::scale(grads[0], -0.5)) <= 1e-15);
}

// Every op the engine is made of is deterministic, so the layer is too: bitwise the same forward
// and gradients with 1 and 2 threads, at a size where the kernels run in parallel.
BOOST_AUTO_TEST_CASE(bitwise_the_same_for_1_and_2_threads) {
  const Tensor x = random_tensor({100, 3, 8}, 15, -1, 1, DType::float32);
  Tensor outputs[2], grads[2], kernel_grads[2];
  for (std::size_t threads : {1, 2}) {
    ThreadLimit limit(threads);
    Gru layer(GruOptions(128).return_sequences(true).seed(16));
    const Value leaf(x, true);
    const Value y = layer(leaf);
    sum(y * y).backward();
    outputs[threads - 1] = y.value();
    grads[threads - 1] = leaf.grad();
    kernel_grads[threads - 1] = layer.parameter("recurrent_kernel").grad();
  }
  BOOST_TEST(bitwise_equal(outputs[0], outputs[1]));
  BOOST_TEST(bitwise_equal(grads[0], grads[1]));
  BOOST_TEST(bitwise_equal(kernel_grads[0], kernel_grads[1]));
}

BOOST_AUTO_TEST_CASE(forward_builds_an_unbuilt_layer) {
  Gru layer(GruOptions(3));
  BOOST_TEST((layer.forward(input()).shape() == Shape{2, 3}));
  BOOST_TEST(layer.built());
}

BOOST_AUTO_TEST_CASE(json_and_describe) {
  Gru layer(GruOptions(8).name("encoder").depth(2).kernel_regularizer(NamedSpec("l2")));
  const nlohmann::json json = layer.to_json();
  BOOST_TEST(json.at("type") == "gru");
  BOOST_TEST(json.at("options").at("name") == "encoder");
  const GruOptions back = GruOptions::from_json(json.at("options"));
  BOOST_TEST(back.depth() == 2u);
  BOOST_TEST(back.kernel_regularizer().name == "l2");
  BOOST_TEST(layer.describe() ==
             "encoder (gru): 8 units, depth 2, recurrent_bias_after_multiplication, "
             "tanh/sigmoid, last; not built");
  layer(input(1, 2, 3, 5));
  BOOST_TEST(layer.describe() ==
             "encoder (gru): 8 units, depth 2, recurrent_bias_after_multiplication, "
             "tanh/sigmoid, last; 8 parameters, " +
                 std::to_string(5 * 24 + 8 * 24 + 8 * 24 + 8 * 24 + 4 * 24) + " weights");
  Gru unnamed(GruOptions(2));
  BOOST_TEST(unnamed.to_json().at("options").at("name") == unnamed.name());
}

BOOST_AUTO_TEST_CASE(the_optimizer_slots_are_kept_with_the_options) {
  Gru layer(GruOptions(2)
                .kernel_constraint(NamedSpec("max_norm"))
                .recurrent_regularizer(NamedSpec("l1"))
                .kernel_learn_rate_factor(GateFactors::per_gate(1, 2, 3))
                .bias_l2_factor(0.5));
  BOOST_TEST(layer.options().kernel_constraint().name == "max_norm");
  BOOST_TEST(layer.options().recurrent_regularizer().name == "l1");
  BOOST_TEST(layer.options().kernel_learn_rate_factor()[gate_index(GruGate::reset)] == 2.0);
  BOOST_TEST(layer.options().bias_l2_factor()[gate_index(GruGate::update)] == 0.5);
}

BOOST_AUTO_TEST_SUITE_END()
