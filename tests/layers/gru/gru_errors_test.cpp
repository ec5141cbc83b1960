// Every bad argument to the GRU raises an error whose message names the layer (or function),
// what was expected and what came.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

#include "layers/gru/gru.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::random_tensor;
using testing::require_error;

namespace {

Tensor with_nan(const Shape& shape, std::size_t at) {
  Tensor t = random_tensor(shape, 1);
  t.array<double>().data()[at] = std::numeric_limits<double>::quiet_NaN();
  return t;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gru_errors_test)

BOOST_AUTO_TEST_CASE(input_rank_before_and_after_build) {
  Gru layer(GruOptions(4).name("gru_1"));
  const std::vector<std::string> message = {
      "gru_1: expected input of rank 3 (batch, timesteps, features), got shape (4, 7)"};
  require_error<ShapeError>([&] { layer(Value(Tensor::zeros({4, 7}))); }, message);
  require_error<ShapeError>([&] { layer.run(Value(Tensor::zeros({4, 7}))); }, message);
  layer(Value(Tensor::zeros({4, 2, 7})));
  require_error<ShapeError>([&] { layer(Value(Tensor::zeros({4, 7}))); }, message);
  require_error<ShapeError>([&] { layer.run(Value(Tensor::zeros({4, 7}))); }, message);
  require_error<ValueError>([&] { layer.run(Value()); }, {"gru_1", "an input value", "none"});
}

BOOST_AUTO_TEST_CASE(features_and_dtype) {
  Gru layer(GruOptions(4).name("enc"));
  layer(Value(Tensor::zeros({2, 5, 3}, DType::float64)));
  require_error<ShapeError>(
      [&] {
        layer(Value(Tensor::zeros({2, 5, 4}, DType::float64)));
      },
      {"enc: expected input of 3 features (the kernel's input size), got shape (2, 5, 4)"});
  require_error<ValueError>(
      [&] {
        layer(Value(Tensor::zeros({2, 5, 3}, DType::float32)));
      },
      {"enc: expected input of dtype float64 (the layer's), got float32"});
  Gru sized(GruOptions(4).input_size(5).name("dec"));
  require_error<ShapeError>(
      [&] {
        sized(Value(Tensor::zeros({2, 5, 3})));
      },
      {"dec: expected input of 5 features (input_size), got shape (2, 5, 3)"});
  Gru empty(GruOptions(4).name("e"));
  require_error<ShapeError>(
      [&] {
        empty(Value(Tensor::zeros({2, 5, 0})));
      },
      {"e: expected input of at least 1 feature"});
}

BOOST_AUTO_TEST_CASE(initial_states) {
  Gru layer(GruOptions(4).depth(2).name("enc"));
  const Value x(random_tensor({2, 3, 3}, 2));
  GruInputs inputs;
  inputs.initial_states = {Value(Tensor::zeros({2, 4}, DType::float64))};
  require_error<ValueError>([&] { layer.run(x, inputs); },
                            {"enc: initial states", "2 (one per level, depth 2)", "got 1"});
  inputs.initial_states.push_back(Value(Tensor::zeros({3, 4}, DType::float64)));
  require_error<ShapeError>([&] { layer.run(x, inputs); },
                            {"enc: level 2: initial state", "shape (2, 4)", "got (3, 4)"});
  inputs.initial_states[1] = Value(Tensor::zeros({2, 4}, DType::float32));
  require_error<ValueError>([&] { layer.run(x, inputs); },
                            {"enc: level 2: initial state", "dtype float64", "got float32"});
  inputs.initial_states[1] = Value();
  require_error<ValueError>([&] { layer.run(x, inputs); },
                            {"enc: level 2: initial state", "a (batch, units) value", "none"});
}

BOOST_AUTO_TEST_CASE(the_nan_check) {
  Gru checked(GruOptions(4).check_nan(true).name("enc")), unchecked(GruOptions(4));
  require_error<ValueError>(
      [&] {
        checked(Value(with_nan({2, 3, 2}, 4)));
      },
      {"enc: input", "no NaN (check_nan is on)", "got NaN at element 4"});
  GruInputs inputs;
  inputs.initial_states = {Value(with_nan({2, 4}, 5))};
  require_error<ValueError>(
      [&] {
        checked.run(Value(random_tensor({2, 3, 2}, 3)), inputs);
      },
      {"enc: initial state", "no NaN", "got NaN at element 5"});
  // Without the check a NaN simply flows through.
  const Value y = unchecked(Value(with_nan({2, 3, 2}, 0)));
  BOOST_TEST(std::isnan(y.value().flat(0)));
}

BOOST_AUTO_TEST_CASE(weights_by_level_and_shape) {
  Gru layer(GruOptions(4).depth(2).name("enc"));
  require_error<ValueError>([&] { layer.weights(); },
                            {"enc: weights", "a built layer", "one not built yet"});
  require_error<ValueError>([&] { layer.set_weights(GruWeights(), 2); },
                            {"enc: set_weights", "a built layer"});
  require_error<ShapeError>([&] { layer.set_weights(GruWeights()); },
                            {"enc: set_weights: kernel", "a tensor", "none"});
  layer(Value(random_tensor({2, 3, 3}, 4)));
  require_error<ValueError>([&] { layer.weights(3); },
                            {"enc: weights", "a level in 1..2 (depth)", "got 3"});
  require_error<ValueError>([&] { layer.get_weights(GruLayout::keras, 0); },
                            {"enc: weights", "a level in 1..2", "got 0"});
  GruWeights w = layer.weights(2);
  w.kernel = Tensor::zeros({3, 12}, DType::float64);
  require_error<ShapeError>([&] { layer.set_weights(w, 2); },
                            {"enc: set_weights: kernel", "input extent 4", "got shape (3, 12)"});
  w = layer.weights(1);
  w.recurrent_bias = Tensor();
  require_error<ValueError>([&] { layer.set_weights(w); },
                            {"enc: set_weights: recurrent_bias", "a tensor", "got none"});
  require_error<ValueError>(
      [&] {
        layer.set_weights(GruLayout::keras, {{"weights", Tensor::zeros({1})}});
      },
      {"gru_weights_from_map (keras)", "kernel, recurrent_kernel, bias", "got \"weights\""});
  require_error<ValueError>([] { gru_layout_from_name("tf"); },
                            {"gru_layout_from_name", "keras", "got \"tf\""});
}

BOOST_AUTO_TEST_CASE(the_functional_engine_checks_its_weights) {
  const Value x(random_tensor({2, 3, 3}, 5));
  const auto options = GruOptions(4).depth(2);
  require_error<ValueError>([&] { run_gru_composite(options, {GruLevelWeights()}, x, {}, "f"); },
                            {"f", "2 levels of weights (depth)", "got 1"});
  require_error<ValueError>(
      [&] {
        run_gru_composite(options, {GruLevelWeights(), GruLevelWeights()}, x, {}, "f");
      },
      {"f: level 1", "a kernel and a recurrent kernel", "none"});
  GruLevelWeights w{Value(random_tensor({3, 12}, 6)), Value(random_tensor({4, 12}, 7)),
                    Value(random_tensor({12}, 8)), Value(random_tensor({12}, 9))};
  GruLevelWeights w32 = w;
  w32.kernel = Value(w.kernel.value().to(DType::float32));
  require_error<ValueError>([&] { run_gru_composite(GruOptions(4), {w32}, x, {}, "f"); },
                            {"f", "operands of one dtype"});
}

BOOST_AUTO_TEST_SUITE_END()
