// The Bidirectional GRU wrapper: values of every merge mode against the plain reference forward
// of each direction, masks against unpadded runs, states, ports in a graph, float64 gradient
// checks for every merge mode, errors and JSON.
#include <boost/test/unit_test.hpp>

#include "autodiff/ops/shape.hpp"
#include "autodiff/tape.hpp"
#include "layers/gru/bidirectional.hpp"
#include "layers/models/graph.hpp"
#include "tests/layers/gru/gru_reference.hpp"
#include "tests/layers/models/graph_support.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::bitwise_equal;
using testing::max_abs_diff;
using testing::random_tensor;
using testing::require_error;

namespace {

constexpr MergeMode kMergeModes[] = {MergeMode::concat, MergeMode::sum, MergeMode::mul,
                                     MergeMode::ave, MergeMode::none};

constexpr std::size_t kBidirectionalUnits = 3;

// Biases away from zero, so that they take part.
GruOptions options(bool sequences = true) {
  return GruOptions(kBidirectionalUnits).seed(4).return_sequences(sequences).bias_initializer(
      InitializerSpec("uniform", {{"minval", -0.5}, {"maxval", 0.5}}));
}

// The reference output of one copy: the sequence in reading order, or its final state.
Tensor reference(const Gru& copy, const Tensor& x, const Tensor& h0) {
  const auto out = testing::reference_gru_forward(copy.weights(), copy.options(), x, h0, Tensor());
  return copy.options().return_sequences() ? out.sequence_output : out.final_state;
}

// Element i of a (batch, steps, units) sequence with its time axis reversed.
double reversed_element(const Tensor& sequence, std::size_t i) {
  const Shape s = sequence.shape();
  const std::size_t unit = i % s[2], step = i / s[2] % s[1], sample = i / (s[1] * s[2]);
  return sequence.flat((sample * s[1] + (s[1] - 1 - step)) * s[2] + unit);
}

// The merged value the mode gives at each element from the aligned outputs of both copies.
Tensor merged(MergeMode mode, const Tensor& f, const Tensor& b) {
  const Shape shape = f.shape();
  const std::size_t units = shape.back(), rows = f.size() / units;
  std::vector<double> values;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t j = 0; j < units; ++j) {
      const double x = f.flat(r * units + j), y = b.flat(r * units + j);
      if (mode == MergeMode::sum) values.push_back(x + y);
      if (mode == MergeMode::mul) values.push_back(x * y);
      if (mode == MergeMode::ave) values.push_back((x + y) / 2);
      if (mode == MergeMode::concat) values.push_back(x);
    }
    if (mode == MergeMode::concat)
      for (std::size_t j = 0; j < units; ++j) values.push_back(b.flat(r * units + j));
  }
  Shape out = shape;
  if (mode == MergeMode::concat) out.back() *= 2;
  return Tensor::from_values(out, values, DType::float64);
}

// Every output of a call flattened into one value.
Value flat(const BidirectionalResult& result) {
  std::vector<Value> parts;
  for (const Value& v : result.outputs()) parts.push_back(reshape(v, {v.value().size()}));
  return concat(parts, 0);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bidirectional_test)

BOOST_AUTO_TEST_CASE(every_merge_mode_against_the_reference) {
  const Tensor x = random_tensor({2, 4, 2}, 1);
  const Tensor h0f = random_tensor({2, kBidirectionalUnits}, 2), h0b = random_tensor({2, kBidirectionalUnits}, 3);
  for (bool sequences : {true, false}) {
    for (MergeMode mode : kMergeModes) {
      BOOST_TEST_CONTEXT(merge_mode_name(mode) << ", return_sequences " << sequences) {
        Bidirectional layer(options(sequences), mode);
        GruInputs inputs;
        inputs.initial_states = {Value(h0f), Value(h0b)};
        const BidirectionalResult result = layer.run(Value(x), inputs);
        const Tensor f = reference(layer.forward_layer(), x, h0f);
        Tensor b = reference(layer.backward_layer(), x, h0b);
        if (sequences) {
          std::vector<double> aligned;
          for (std::size_t i = 0; i < b.size(); ++i) aligned.push_back(reversed_element(b, i));
          b = Tensor::from_values(b.shape(), aligned, DType::float64);
        }
        BOOST_TEST(max_abs_diff(result.forward_output.value(), f) <= 1e-14);
        BOOST_TEST(max_abs_diff(result.backward_output.value(), b) <= 1e-14);
        if (mode == MergeMode::none) {
          BOOST_TEST(!result.output.defined());
        } else {
          BOOST_TEST(max_abs_diff(result.output.value(), merged(mode, f, b)) <= 1e-14);
          // The layer interface gives the merged output (from zero states here).
          BOOST_TEST(bitwise_equal(layer(Value(x)).value(), layer.run(Value(x)).output.value()));
        }
        BOOST_TEST(bitwise_equal(result.forward_states[0].value(),
                                 sequences ? select(result.forward_output, 1, 3).value()
                                           : result.forward_output.value()));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(copies_parameters_and_names) {
  Bidirectional layer(GruOptions(kBidirectionalUnits).seed(4).name("encoder"), MergeMode::sum);
  layer(Value(random_tensor({1, 2, 2}, 1)));
  BOOST_TEST(layer.name().rfind("bidirectional_", 0) == 0u);
  BOOST_TEST(layer.forward_layer().name() == "forward_encoder");
  BOOST_TEST(layer.backward_layer().name() == "backward_encoder");
  BOOST_TEST(!layer.forward_layer().options().go_backwards());
  BOOST_TEST(layer.backward_layer().options().go_backwards());
  std::vector<std::string> names;
  for (const auto& [name, _] : layer.named_parameters()) names.push_back(name);
  const std::vector<std::string> expected{
      "forward.kernel",  "forward.recurrent_kernel",  "forward.bias",  "forward.recurrent_bias",
      "backward.kernel", "backward.recurrent_kernel", "backward.bias", "backward.recurrent_bias"};
  BOOST_TEST(names == expected, boost::test_tools::per_element());
  // Seeded, yet the directions start from different weights.
  BOOST_TEST(!bitwise_equal(layer.parameter("forward.kernel").value(),
                            layer.parameter("backward.kernel").value()));
}

BOOST_AUTO_TEST_CASE(return_state_lists_both_directions) {
  const Value x(random_tensor({2, 3, 2}, 1));
  Bidirectional merged_layer(options().return_state(true), MergeMode::concat);
  const BidirectionalResult merged_result = merged_layer.run(x);
  const std::vector<Value> list = merged_result.outputs();
  BOOST_TEST(list.size() == 3u);
  BOOST_TEST((list[0].shape() == Shape{2, 3, 2 * kBidirectionalUnits}));
  BOOST_TEST(bitwise_equal(list[1].value(), merged_result.forward_states[0].value()));
  BOOST_TEST(bitwise_equal(list[2].value(), merged_result.backward_states[0].value()));
  // The backward copy ends at time step 0: its aligned output there is its final state.
  BOOST_TEST(bitwise_equal(select(merged_result.backward_output, 1, 0).value(), list[2].value()));
  Bidirectional separate(options().return_state(true), MergeMode::none);
  BOOST_TEST(separate.run(x).outputs().size() == 4u);
  Bidirectional plain(options(), MergeMode::none);
  BOOST_TEST(plain.run(x).outputs().size() == 2u);
}

BOOST_AUTO_TEST_CASE(masked_samples_match_their_unpadded_runs) {
  const std::vector<std::size_t> lengths{4, 2, 1};
  const Tensor x = random_tensor({3, 4, 2}, 1);
  std::vector<double> mask_values;
  for (std::size_t length : lengths)
    for (std::size_t t = 0; t < 4; ++t) mask_values.push_back(t < length ? 1 : 0);
  const Tensor mask = Tensor::from_values({3, 4}, mask_values, DType::float64);
  for (MergeMode mode : {MergeMode::concat, MergeMode::none}) {
    Bidirectional layer(options(), mode);
    GruInputs inputs;
    inputs.mask = mask;
    const BidirectionalResult result = layer.run(Value(x), inputs);
    for (std::size_t s = 0; s < lengths.size(); ++s) {
      BOOST_TEST_CONTEXT("sample " << s << ", " << merge_mode_name(mode)) {
        const Value alone = narrow(select(Value(x), 0, s), 0, 0, lengths[s]);
        const BidirectionalResult own = layer.run(reshape(alone, {1, lengths[s], 2}));
        const auto valid = [&](const Value& sequence) {
          return narrow(select(sequence, 0, s), 0, 0, lengths[s]).value();
        };
        const auto first = [](const Value& v) { return select(v, 0, 0).value(); };
        BOOST_TEST(max_abs_diff(valid(result.forward_output), first(own.forward_output)) <= 1e-14);
        BOOST_TEST(max_abs_diff(valid(result.backward_output), first(own.backward_output)) <=
                   1e-14);
        BOOST_TEST(max_abs_diff(select(result.backward_states[0], 0, s).value(),
                                first(own.backward_states[0])) <= 1e-14);
        if (mode != MergeMode::none)
          BOOST_TEST(max_abs_diff(valid(result.output), first(own.output)) <= 1e-14);
      }
    }
    BOOST_TEST(bitwise_equal(layer.output_mask(Value(x), mask), mask));
  }
  Bidirectional last(options(false));
  BOOST_TEST(!last.output_mask(Value(x), mask).defined());
}

BOOST_AUTO_TEST_CASE(gradients_of_every_merge_mode_in_float64) {
  const Tensor x = random_tensor({2, 3, 2}, 1);
  const Tensor h0f = random_tensor({2, kBidirectionalUnits}, 2, -0.5, 0.5),
               h0b = random_tensor({2, kBidirectionalUnits}, 3, -0.5, 0.5);
  const Tensor mask = Tensor::from_values({2, 3}, {1, 1, 0, 1, 0, 1}, DType::float64);
  for (MergeMode mode : kMergeModes) {
    for (bool sequences : {true, false}) {
      BOOST_TEST_CONTEXT(merge_mode_name(mode) << ", return_sequences " << sequences) {
        Bidirectional layer(options(sequences).return_state(true), mode);
        const auto run = [&](const Value& input, const Value& forward, const Value& backward) {
          GruInputs inputs;
          inputs.initial_states = {forward, backward};
          inputs.mask = mask;
          return flat(layer.run(input, inputs));
        };
        testing::require_gradients(
            [&](const std::vector<Value>& v) { return run(v[0], v[1], v[2]); }, {x, h0f, h0b});
        testing::require_layer_parameter_gradients(
            layer, [&] { return run(Value(x), Value(h0f), Value(h0b)); });
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(ports_in_a_graph) {
  auto layer = std::make_shared<Bidirectional>(options().depth(2), MergeMode::none);
  layer->set_name("bi");
  BOOST_TEST(layer->input_ports().size() == 3u);
  BOOST_TEST(
      (layer->output_ports() == std::vector<std::string>{"forward_out", "backward_out",
                                                         "forward_hidden", "backward_hidden"}));
  Graph graph;
  graph.add_input("x").add_input("h0").add_layer(layer);
  graph.connect("x", "bi").connect("h0", "bi.backward_hidden");
  graph.add_output("f", "bi.forward_out").add_output("b", "bi.backward_out");
  graph.add_output("hf", "bi.forward_hidden").add_output("hb", "bi.backward_hidden");
  const Tensor x = random_tensor({2, 3, 2}, 1), h0 = random_tensor({2, 2, kBidirectionalUnits}, 2);
  const auto y = graph.forward({{"x", Value(x)}, {"h0", Value(h0)}});

  // By hand: the forward copy from zeros, the backward copy from h0's two levels.
  GruInputs inputs;
  inputs.initial_states = {Value(Tensor::zeros({2, kBidirectionalUnits}, DType::float64)),
                           Value(Tensor::zeros({2, kBidirectionalUnits}, DType::float64)),
                           select(Value(h0), 0, 0), select(Value(h0), 0, 1)};
  const BidirectionalResult expected = layer->run(Value(x), inputs);
  BOOST_TEST(bitwise_equal(y.at("f").value(), expected.forward_output.value()));
  BOOST_TEST(bitwise_equal(y.at("b").value(), expected.backward_output.value()));
  BOOST_TEST((y.at("hb").shape() == Shape{2, 2, kBidirectionalUnits}));
  for (std::size_t level = 0; level < 2; ++level) {
    BOOST_TEST(bitwise_equal(select(y.at("hf"), 0, level).value(),
                             expected.forward_states[level].value()));
    BOOST_TEST(bitwise_equal(select(y.at("hb"), 0, level).value(),
                             expected.backward_states[level].value()));
  }
  Bidirectional merged(options(), MergeMode::ave);
  BOOST_TEST((merged.output_ports() ==
              std::vector<std::string>{"out", "forward_hidden", "backward_hidden"}));
}

BOOST_AUTO_TEST_CASE(flags_apply_once) {
  Bidirectional layer(options(), MergeMode::sum);
  const Tensor x = random_tensor({2, 3, 2}, 1), seed = random_tensor({2, 3, kBidirectionalUnits}, 2);
  Value plain(x, true), scaled(x, true);
  layer(plain).backward(seed);
  layer.set_lda_coeff(0.25);
  layer(scaled).backward(seed);
  for (std::size_t i = 0; i < x.size(); ++i)
    BOOST_TEST(scaled.grad().flat(i) == 0.25 * plain.grad().flat(i));
  layer.set_training(false);
  BOOST_TEST(!layer.forward_layer().flags().training);
  const std::size_t before = current_tape().size();
  BOOST_TEST(!layer.run(Value(x, true)).output.requires_grad());
  BOOST_TEST(current_tape().size() == before);
}

BOOST_AUTO_TEST_CASE(an_empty_sequence_returns_the_initial_states) {
  const Tensor h0f = random_tensor({2, kBidirectionalUnits}, 2), h0b = random_tensor({2, kBidirectionalUnits}, 3);
  GruInputs inputs;
  inputs.initial_states = {Value(h0f), Value(h0b)};
  const Value x(Tensor::zeros({2, 0, 2}, DType::float64));
  Bidirectional sequences(options(), MergeMode::concat);
  const BidirectionalResult result = sequences.run(x, inputs);
  BOOST_TEST((result.output.shape() == Shape{2, 0, 2 * kBidirectionalUnits}));
  BOOST_TEST(bitwise_equal(result.backward_states[0].value(), h0b));
  Bidirectional last(options(false), MergeMode::sum);
  const Tensor sum = last.run(x, inputs).output.value();
  for (std::size_t i = 0; i < sum.size(); ++i) BOOST_TEST(sum.flat(i) == h0f.flat(i) + h0b.flat(i));
}

BOOST_AUTO_TEST_CASE(errors_name_the_layer_and_the_values) {
  Bidirectional layer(options(), MergeMode::none);
  layer.set_name("bi");
  const Value x(random_tensor({2, 3, 2}, 1));
  require_error<ValueError>([&] { layer(x); },
                            {"bi: forward", "a merge mode other than none", "got none"});
  Bidirectional merged(options(), MergeMode::concat);
  merged.set_name("bi");
  GruInputs inputs;
  inputs.initial_states = {Value(random_tensor({2, kBidirectionalUnits}, 2))};
  require_error<ValueError>(
      [&] { merged.run(x, inputs); },
      {"bi: initial states", "2 (1 for the forward copy, then as many for the backward copy)",
       "got 1"});
  require_error<ValueError>([] { merge_mode_from_name("avg"); },
                            {"merge_mode_from_name", "concat, sum, mul, ave, none", "\"avg\""});
  for (MergeMode mode : kMergeModes)
    BOOST_TEST((merge_mode_from_name(merge_mode_name(mode)) == mode));
  Bidirectional deep(options().depth(2));
  deep.set_name("deep");
  require_error<ShapeError>(
      [&] {
        deep.forward_ports({{"in", x}, {"forward_hidden", Value(random_tensor({2, kBidirectionalUnits}, 3))}});
      },
      {"deep: port forward_hidden", "(2, batch, units)", "shape (2, 3)"});
}

BOOST_AUTO_TEST_CASE(to_json_holds_both_copies) {
  Bidirectional layer(options(), MergeMode::mul);
  layer.set_name("bi");
  const nlohmann::json json = layer.to_json();
  BOOST_TEST(json.at("type") == "bidirectional");
  BOOST_TEST(json.at("name") == "bi");
  BOOST_TEST(json.at("merge_mode") == "mul");
  BOOST_TEST(json.at("forward") == layer.forward_layer().to_json());
  BOOST_TEST(json.at("backward") == layer.backward_layer().to_json());
  BOOST_TEST(json.at("backward").at("options").at("go_backwards") == true);
}

BOOST_AUTO_TEST_SUITE_END()
