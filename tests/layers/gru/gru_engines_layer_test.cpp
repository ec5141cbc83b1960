// The engine as a layer property: which engine auto picks and engine_used() reports, the model
// summary's engine column, JSON round trips that keep the engine, central-difference gradients
// through a layer on the fused engine, bitwise equal results for 1 and 2 threads, the same error
// messages from both engines, and Bidirectional on either engine.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "autodiff/ops/shape.hpp"
#include "core/parallel.hpp"
#include "layers/basic/dense.hpp"
#include "layers/gru/bidirectional.hpp"
#include "layers/gru/composite/engine.hpp"
#include "layers/gru/detail/dropout.hpp"
#include "layers/gru/fused/engine.hpp"
#include "layers/models/sequential.hpp"
#include "tests/layers/gru/gru_engines_support.hpp"
#include "tests/layers/gru/reset_gate_modes.hpp"
#include "tests/layers/layer_gradients.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::random_tensor;
using testing::require_error;

namespace {

Value output_and_states_flat(const GruResult& result) {
  std::vector<Value> parts{reshape(result.output, {result.output.value().size()})};
  for (const Value& state : result.states) parts.push_back(reshape(state, {state.value().size()}));
  return concat(parts, 0);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gru_engines_layer_test)

BOOST_AUTO_TEST_CASE(auto_runs_the_fused_engine_and_the_layer_says_so) {
  const struct {
    GruEngine option, runs;
  } cases[] = {{GruEngine::automatic, GruEngine::fused},
               {GruEngine::fused, GruEngine::fused},
               {GruEngine::composite, GruEngine::composite}};
  for (const auto& c : cases) {
    Gru layer(GruOptions(3).engine(c.option));
    BOOST_TEST((layer.engine() == c.runs));
    BOOST_TEST(!layer.engine_used().has_value());
    layer(Value(random_tensor({2, 4, 3}, 1)));
    BOOST_TEST((layer.engine_used() == c.runs));
    BOOST_TEST(layer.summary_type() == std::string("gru, ") + engine_name(c.runs));
  }
  BOOST_TEST((GruOptions(3).engine() == GruEngine::automatic));
}

BOOST_AUTO_TEST_CASE(json_keeps_the_engine) {
  for (GruEngine engine : {GruEngine::automatic, GruEngine::fused, GruEngine::composite}) {
    Gru layer(GruOptions(3).engine(engine));
    const nlohmann::json json = layer.to_json();
    BOOST_TEST(json.at("options").at("engine") == engine_name(engine));
    const auto back = Gru::from_json(json);
    BOOST_TEST((back->options().engine() == engine));
    const auto bidirectional = Bidirectional(GruOptions(3).engine(engine)).to_json();
    BOOST_TEST(bidirectional.at("forward").at("options").at("engine") == engine_name(engine));
  }
}

BOOST_AUTO_TEST_CASE(the_summary_names_each_grus_engine) {
  Sequential model;
  model.set_name("m");
  auto fused = std::make_shared<Gru>(GruOptions(4).return_sequences(true).name("fast"));
  auto composite =
      std::make_shared<Gru>(GruOptions(4).engine(GruEngine::composite).name("reference"));
  auto dense = std::make_shared<Dense>(DenseOptions(2));
  dense->set_name("out");
  model.add(fused).add(composite).add(dense);
  model.build({1, 5, 3}, DType::float32);
  const std::string summary = model.summary();
  BOOST_TEST_INFO(summary);
  BOOST_TEST(summary.find("\nfast (gru, fused)            (None, 5, 4)") != std::string::npos);
  BOOST_TEST(summary.find("\nreference (gru, composite)   (None, 4)") != std::string::npos);
  BOOST_TEST(summary.find("\nout (dense)                  (None, 2)") != std::string::npos);
  BOOST_TEST(Bidirectional(GruOptions(2)).summary_type() == "bidirectional, fused");
}

// Float64 central differences through a layer on the fused engine: the input, the initial
// states, a mask from lengths with left padding, fixed dropout masks, depth 2, go_backwards.
BOOST_AUTO_TEST_CASE(central_differences_through_the_layer_on_the_fused_engine) {
  for (ResetGateMode mode : testing::kResetGateModes) {
    BOOST_TEST_CONTEXT(reset_gate_mode_name(mode)) {
      Gru layer(testing::engine_options()
                    .engine(GruEngine::fused)
                    .reset_gate_mode(mode)
                    .depth(2)
                    .go_backwards(true)
                    .return_state(true));
      layer.build({2, 4, 3}, DType::float64);
      Random random(5);
      const std::vector<GruDropoutMasks> masks = {
          draw_gru_dropout_masks(0.3, 0.4, 2, 3, 4, DType::float64, random),
          draw_gru_dropout_masks(0.3, 0.4, 2, 4, 4, DType::float64, random)};
      const auto inputs = [&](const Value& h1, const Value& h2) {
        GruInputs in;
        in.initial_states = {h1, h2};
        in.lengths = {3, 4};
        in.padding = GruPadding::left;
        in.dropout_masks = masks;
        return in;
      };
      testing::require_gradients(
          [&](const std::vector<Value>& v) {
            return output_and_states_flat(layer.run(v[0], inputs(v[1], v[2])));
          },
          {random_tensor({2, 4, 3}, 2), random_tensor({2, 4}, 3, -0.5, 0.5),
           random_tensor({2, 4}, 4, -0.5, 0.5)});
      const Value x(random_tensor({2, 4, 3}, 6));
      const Value h1(random_tensor({2, 4}, 7)), h2(random_tensor({2, 4}, 8));
      testing::require_parameter_gradients(
          layer, [&] { return output_and_states_flat(layer.run(x, inputs(h1, h2))); });
      BOOST_TEST((layer.engine_used() == GruEngine::fused));
    }
  }
}

// The fused engine through the layer, at a size where its loops run on both threads.
BOOST_AUTO_TEST_CASE(bitwise_the_same_for_1_and_2_threads) {
  const Tensor x = random_tensor({40, 6, 24}, 9, -1, 1, DType::float32);
  std::map<std::string, Tensor> outcomes[2];
  for (std::size_t threads : {1, 2}) {
    ThreadLimit limit(threads);
    Gru layer(testing::engine_options(96).depth(2).engine(GruEngine::fused));
    const Value leaf(x, true);
    const Value y = layer(leaf);
    sum(y * y).backward();
    outcomes[threads - 1]["output"] = y.value();
    outcomes[threads - 1]["input"] = leaf.grad();
    for (const auto& [name, p] : layer.named_parameters()) outcomes[threads - 1][name] = p.grad();
  }
  BOOST_TEST(outcomes[0].size() == 10u);
  for (const auto& [name, tensor] : outcomes[0])
    BOOST_TEST(testing::bitwise_equal(tensor, outcomes[1].at(name)), name);
}

// Both engines check their arguments with the same code: the same messages.
BOOST_AUTO_TEST_CASE(both_engines_refuse_the_same_calls_with_the_same_words) {
  using Engine = GruResult (*)(const GruOptions&, const std::vector<GruLevelWeights>&, const Value&,
                               const GruInputs&, const std::string&);
  const Value x(random_tensor({2, 3, 3}, 5));
  GruLevelWeights w{Value(random_tensor({3, 12}, 6)), Value(random_tensor({4, 12}, 7)),
                    Value(random_tensor({12}, 8)), Value(random_tensor({12}, 9))};
  for (Engine engine : {Engine(&run_gru_composite), Engine(&run_gru_fused)}) {
    require_error<ValueError>([&] { engine(GruOptions(4).depth(2), {w}, x, {}, "f"); },
                              {"f", "2 levels of weights (depth)", "got 1"});
    GruInputs states;
    states.initial_states = {Value(Tensor::zeros({3, 4}, DType::float64))};
    require_error<ShapeError>([&] { engine(GruOptions(4), {w}, x, states, "f"); },
                              {"f: initial state", "(2, 4)", "got (3, 4)"});
    GruInputs mask;
    mask.mask = Tensor::full({2, 3}, 0.5);
    require_error<ValueError>([&] { engine(GruOptions(4), {w}, x, mask, "f"); },
                              {"f: mask", "values 0 and 1", "got 0.5 at (0, 0)"});
    GruInputs dropped;
    dropped.dropout_masks = {{Tensor::ones({3, 2, 4}, DType::float64), Tensor()}};
    require_error<ShapeError>([&] { engine(GruOptions(4), {w}, x, dropped, "f"); },
                              {"f: input mask", "(3, 2, 3)", "got (3, 2, 4)"});
    GruLevelWeights w32 = w;
    w32.kernel = Value(w.kernel.value().to(DType::float32));
    require_error<ValueError>([&] { engine(GruOptions(4), {w32}, x, {}, "f"); },
                              {"f", "operands of one dtype"});
  }
}

BOOST_AUTO_TEST_CASE(bidirectional_on_either_engine) {
  for (MergeMode merge : {MergeMode::concat, MergeMode::sum}) {
    std::map<std::string, Tensor> outcomes[2];
    for (GruEngine engine : {GruEngine::composite, GruEngine::fused}) {
      Bidirectional layer(testing::engine_options().engine(engine).return_state(true), merge);
      const Value x(random_tensor({2, 5, 3}, 10), true);
      GruInputs inputs;
      inputs.lengths = {5, 3};
      const BidirectionalResult result = layer.run(x, inputs);
      BOOST_TEST((layer.forward_layer().engine_used() == engine));
      BOOST_TEST((layer.backward_layer().engine_used() == engine));
      sum(result.output * result.output).backward();
      auto& outcome = outcomes[engine == GruEngine::fused];
      outcome["output"] = result.output.value();
      outcome["input"] = x.grad();
      for (const auto& [name, p] : layer.named_parameters()) outcome[name] = p.grad();
    }
    BOOST_TEST(outcomes[0].size() == 10u);
    for (const auto& [name, tensor] : outcomes[0])
      BOOST_TEST(testing::max_abs_diff(outcomes[1].at(name), tensor) <= 1e-10, name);
  }
}

BOOST_AUTO_TEST_SUITE_END()
