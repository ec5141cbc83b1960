#include <boost/test/unit_test.hpp>

#include "autodiff/grad_mode.hpp"
#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/reduce.hpp"
#include "autodiff/tape.hpp"
#include "core/parallel.hpp"
#include "tests/layers/gru/fused/gru_fused_support.hpp"
#include "tests/layers/gru/gru_reference.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::FusedProblem;
using testing::FusedProblemOptions;
using testing::max_abs_diff;
using testing::random_problem;
using testing::require_error;
using testing::scaled_error;

namespace {

// The gradients of sum(seq * A) + sum(final * B) for every operand of p, in operand order.
std::vector<Tensor> gradients_of(const FusedProblem& p, std::uint64_t seed = 5) {
  std::vector<Value> values;
  for (const Tensor& t : testing::problem_operands(p)) values.emplace_back(t, true);
  const std::vector<Value> out = testing::run_fused(p, values);
  const DType dtype = p.x.dtype();
  Value loss =
      add(sum(mul(out[0], Value(testing::random_tensor(out[0].shape(), seed).to(dtype)))),
          sum(mul(out[1], Value(testing::random_tensor(out[1].shape(), seed + 1).to(dtype)))));
  loss.backward();
  std::vector<Tensor> grads = {out[0].value(), out[1].value()};
  for (const Value& v : values) grads.push_back(v.grad());
  return grads;
}

// Sample b of p as a problem of batch 1.
FusedProblem sample_of(const FusedProblem& p, std::size_t b) {
  const auto row = [b](const Tensor& t) {
    if (!t.defined()) return t;
    Shape shape = t.shape();
    const std::size_t size = t.size() / shape[0];
    shape[0] = 1;
    std::vector<double> v = t.to_vector();
    return Tensor::from_values(
        shape, std::vector<double>(v.begin() + b * size, v.begin() + (b + 1) * size), t.dtype());
  };
  FusedProblem q = p;
  q.batch = 1;
  q.x = row(p.x);
  q.h0 = row(p.h0);
  q.mask = row(p.mask);
  for (std::size_t g = 0; g < 3; ++g) {
    q.input_dropout[g] = row(p.input_dropout[g]);
    q.recurrent_dropout[g] = row(p.recurrent_dropout[g]);
  }
  return q;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gru_fused_test)

BOOST_AUTO_TEST_CASE(forward_matches_the_reference_on_larger_random_cases) {
  // Units that are not a multiple of the batch width exercise the padded tail block; batch 11
  // runs row tiles of 6 and 5, batch 16 two full tiles of 8.
  for (ResetGateMode mode : testing::kFusedModes) {
    for (std::size_t units : {37, 40}) {
      for (bool backwards : {false, true}) {
        const std::size_t batch = units == 40 ? 16 : 11;
        BOOST_TEST_CONTEXT(reset_gate_mode_name(mode)
                           << ", units " << units << ", backwards " << backwards) {
          FusedProblemOptions o;
          o.mask = true;
          const FusedProblem p =
              random_problem(testing::fused_config(mode, "sigmoid", "tanh", backwards), batch, 9,
                             19, units, o, 40 + units);
          const std::vector<Value> out = testing::run_fused(p);
          const std::vector<Tensor> expected = testing::reference_fused_forward(p);
          BOOST_TEST(max_abs_diff(out[0].value(), expected[0]) <= 1e-12);
          BOOST_TEST(max_abs_diff(out[1].value(), expected[1]) <= 1e-12);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(forward_matches_the_plain_reference_of_the_layouts) {
  // The double loop of gru_reference.hpp, written before any engine, as a second witness.
  const FusedProblem p = random_problem(
      testing::fused_config(ResetGateMode::before_multiplication, "hard_sigmoid", "softsign"), 3, 6,
      5, 21, FusedProblemOptions{true, true, true, false, false}, 3);
  GruOptions options(p.units);
  options.reset_gate_mode(ResetGateMode::before_multiplication)
      .recurrent_activation("hard_sigmoid")
      .activation("softsign");
  const GruWeights w{p.kernel, p.recurrent_kernel, p.bias, p.recurrent_bias};
  const testing::ReferenceGruOutput expected =
      testing::reference_gru_forward(w, options, p.x, p.h0, p.mask);
  const std::vector<Value> out = testing::run_fused(p);
  BOOST_TEST(max_abs_diff(out[0].value(), expected.sequence_output) <= 1e-12);
  BOOST_TEST(max_abs_diff(out[1].value(), expected.final_state) <= 1e-12);
}

BOOST_AUTO_TEST_CASE(every_activation_pair_and_dropout_match_the_reference) {
  for (ResetGateMode mode : testing::kFusedModes) {
    for (const std::string& gate : gru_activation_names()) {
      for (const std::string& state : gru_activation_names()) {
        BOOST_TEST_CONTEXT(reset_gate_mode_name(mode) << ", " << gate << ", " << state) {
          FusedProblemOptions o;
          o.input_dropout = o.recurrent_dropout = true;
          const FusedProblem p =
              random_problem(testing::fused_config(mode, gate, state), 3, 4, 3, 5, o, 9);
          const std::vector<Value> out = testing::run_fused(p);
          const std::vector<Tensor> expected = testing::reference_fused_forward(p);
          // Unbounded gate activations (linear, relu, elu, ...) let the state grow: relative.
          BOOST_TEST(scaled_error(out[0].value(), expected[0]) <= 1e-12);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(batch_one_path_agrees_with_the_tiled_path) {
  // Batch 11 runs row tiles of 6 and 5; each sample alone runs the matrix-vector kernel.
  for (ResetGateMode mode : testing::kFusedModes) {
    BOOST_TEST_CONTEXT(reset_gate_mode_name(mode)) {
      FusedProblemOptions o;
      o.mask = o.input_dropout = o.recurrent_dropout = true;
      const FusedProblem p = random_problem(testing::fused_config(mode), 11, 5, 7, 21, o, 51);
      const std::vector<Value> all = testing::run_fused(p);
      for (std::size_t b = 0; b < p.batch; ++b) {
        const std::vector<Value> one = testing::run_fused(sample_of(p, b));
        const std::vector<double> seq = all[0].value().to_vector(), sq = one[0].value().to_vector();
        const std::size_t size = sq.size();
        for (std::size_t i = 0; i < size; ++i)
          BOOST_TEST(std::abs(seq[b * size + i] - sq[i]) <= 1e-13);
      }
      // The weight gradients of the batch are the sums of those of its samples.
      const std::vector<Tensor> grads = gradients_of(p);
      std::vector<double> kernel_sum(p.kernel.size()), recurrent_sum(p.recurrent_kernel.size());
      for (std::size_t b = 0; b < p.batch; ++b) {
        FusedProblem q = sample_of(p, b);
        // Seeds of sample b: rows of the batch's seeds.
        std::vector<Value> values;
        for (const Tensor& t : testing::problem_operands(q)) values.emplace_back(t, true);
        const std::vector<Value> out = testing::run_fused(q, values);
        const Tensor a = testing::random_tensor(all[0].shape(), 5),
                     c = testing::random_tensor(all[1].shape(), 6);
        const FusedProblem seeds{p.config, p.batch, p.steps, p.input, p.units, a, c};
        const FusedProblem seed_row = sample_of(seeds, b);
        Value loss = add(sum(mul(out[0], Value(seed_row.x))), sum(mul(out[1], Value(seed_row.h0))));
        loss.backward();
        for (std::size_t i = 0; i < kernel_sum.size(); ++i)
          kernel_sum[i] += values[2].grad().flat(i);
        for (std::size_t i = 0; i < recurrent_sum.size(); ++i)
          recurrent_sum[i] += values[3].grad().flat(i);
      }
      for (std::size_t i = 0; i < kernel_sum.size(); ++i)
        BOOST_TEST(std::abs(grads[4].flat(i) - kernel_sum[i]) <= 1e-12);
      for (std::size_t i = 0; i < recurrent_sum.size(); ++i)
        BOOST_TEST(std::abs(grads[5].flat(i) - recurrent_sum[i]) <= 1e-12);
    }
  }
}

BOOST_AUTO_TEST_CASE(results_are_bitwise_the_same_for_one_and_two_threads) {
  // Shapes large enough that the time loop runs on two threads (batch 16, 70 units) and a
  // batch-1 sequence of 200 units; every operand's gradient too.
  for (DType dtype : {DType::float32, DType::float64}) {
    for (ResetGateMode mode : testing::kFusedModes) {
      for (std::size_t batch : {1, 16}) {
        BOOST_TEST_CONTEXT(dtype_name(dtype)
                           << ", " << reset_gate_mode_name(mode) << ", batch " << batch) {
          FusedProblemOptions o;
          o.mask = o.input_dropout = o.recurrent_dropout = batch > 1;
          const FusedProblem p =
              testing::converted(random_problem(testing::fused_config(mode), batch, 6, 24,
                                                batch > 1 ? 70 : 200, o, 61),
                                 dtype);
          std::vector<Tensor> one, two;
          {
            ThreadLimit limit(1);
            one = gradients_of(p);
          }
          {
            ThreadLimit limit(2);
            two = gradients_of(p);
          }
          BOOST_REQUIRE(one.size() == two.size());
          for (std::size_t i = 0; i < one.size(); ++i)
            BOOST_TEST(testing::bitwise_equal(one[i], two[i]), "result " << i << " differs");
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(float32_agrees_with_float64) {
  for (ResetGateMode mode : testing::kFusedModes) {
    BOOST_TEST_CONTEXT(reset_gate_mode_name(mode)) {
      FusedProblemOptions o;
      o.mask = true;
      const FusedProblem p = random_problem(testing::fused_config(mode), 5, 8, 13, 37, o, 81);
      const std::vector<Tensor> g64 = gradients_of(p);
      const std::vector<Tensor> g32 = gradients_of(testing::converted(p, DType::float32));
      for (std::size_t i = 0; i < g64.size(); ++i)
        BOOST_TEST(scaled_error(g32[i], g64[i]) <= 2e-5, "result " << i);
    }
  }
}

BOOST_AUTO_TEST_CASE(one_node_with_two_outputs_and_nothing_recorded_in_inference) {
  const FusedProblem p = random_problem(testing::fused_config(ResetGateMode::after_multiplication),
                                        2, 3, 2, 3, {}, 91);
  const std::size_t before = current_tape().size();
  std::vector<Value> values;
  for (const Tensor& t : testing::problem_operands(p)) values.emplace_back(t, true);
  const std::vector<Value> out = testing::run_fused(p, values);
  BOOST_TEST(out.size() == 2u);
  BOOST_TEST(current_tape().size() == before + 1);
  BOOST_TEST(out[0].requires_grad());
  BOOST_TEST(out[1].requires_grad());
  {
    NoGradScope no_grad;
    const std::vector<Value> inference = testing::run_fused(p, values);
    BOOST_TEST(!inference[0].requires_grad());
    BOOST_TEST(testing::bitwise_equal(inference[0].value(), out[0].value()));
    BOOST_TEST(testing::bitwise_equal(inference[1].value(), out[1].value()));
  }
  const std::vector<Value> constants = testing::run_fused(p);
  BOOST_TEST(!constants[1].requires_grad());
  BOOST_TEST(current_tape().size() == before + 1);
  current_tape().clear();
}

BOOST_AUTO_TEST_CASE(only_one_output_used) {
  // Gradient from the final state alone, then from the sequence alone.
  const FusedProblem p = random_problem(testing::fused_config(ResetGateMode::before_multiplication),
                                        2, 4, 3, 5, {}, 93);
  for (std::size_t used : {0, 1}) {
    testing::require_gradients(
        [&](const std::vector<Value>& values) { return sum(testing::run_fused(p, values)[used]); },
        testing::problem_operands(p));
  }
}

BOOST_AUTO_TEST_CASE(zero_steps_and_zero_batch) {
  FusedProblem p =
      random_problem(testing::fused_config(ResetGateMode::recurrent_bias_after_multiplication), 2,
                     0, 3, 4, {}, 95);
  const std::vector<Tensor> g = gradients_of(p);
  BOOST_TEST(g[0].shape() == (Shape{2, 0, 4}));
  BOOST_TEST(testing::bitwise_equal(g[1], p.h0));
  // With no step, the final state is h0: its gradient is the seed of the final state.
  BOOST_TEST(testing::bitwise_equal(g[3], testing::random_tensor({2, 4}, 6)));
  for (std::size_t i = 4; i < g.size(); ++i)
    for (double v : g[i].to_vector()) BOOST_TEST(v == 0.0);
  p = random_problem(testing::fused_config(ResetGateMode::after_multiplication), 0, 3, 3, 4, {},
                     97);
  p.h0 = Tensor::zeros({0, 4}, DType::float64);
  const std::vector<Tensor> h = gradients_of(p);
  BOOST_TEST(h[0].shape() == (Shape{0, 3, 4}));
  for (std::size_t i = 4; i < h.size(); ++i)
    for (double v : h[i].to_vector()) BOOST_TEST(v == 0.0);
}

BOOST_AUTO_TEST_CASE(every_bad_operand_is_named) {
  const FusedProblem good = random_problem(
      testing::fused_config(ResetGateMode::after_multiplication), 2, 3, 4, 5, {}, 99);
  const auto fails_with = [&](const std::function<void(FusedProblem&)>& change,
                              const std::vector<std::string>& fragments) {
    FusedProblem p = good;
    change(p);
    testing::require_error<Error>([&] { testing::run_fused(p); }, fragments);
  };
  fails_with(
      [](FusedProblem& p) {
        p.x = Tensor::zeros({2, 3}, DType::float64);
      },
      {"gru_fused", "input of rank 3 (batch, timesteps, features)", "(2, 3)"});
  fails_with(
      [](FusedProblem& p) {
        p.recurrent_kernel = Tensor::zeros({5, 14}, DType::float64);
      },
      {"gru_fused", "recurrent kernel of shape (units, 3 * units)", "(5, 14)"});
  fails_with(
      [](FusedProblem& p) {
        p.kernel = Tensor::zeros({3, 15}, DType::float64);
      },
      {"gru_fused", "kernel of shape (4, 15)", "(3, 15)"});
  fails_with(
      [](FusedProblem& p) {
        p.h0 = Tensor::zeros({3, 5}, DType::float64);
      },
      {"gru_fused", "initial state of shape (2, 5)", "(3, 5)"});
  fails_with([](FusedProblem& p) { p.bias = Tensor::zeros({5}, DType::float64); },
             {"gru_fused", "bias of shape (15)", "(5)"});
  fails_with(
      [](FusedProblem& p) { p.recurrent_bias = Tensor::zeros({15}, DType::float64); },
      {"gru_fused", "no recurrent bias unless", "a recurrent bias with after_multiplication"});
  fails_with(
      [](FusedProblem& p) {
        p.mask = Tensor::ones({3, 2}, DType::float64);
      },
      {"gru_fused", "mask of shape (2, 3)", "(3, 2)"});
  fails_with(
      [](FusedProblem& p) {
        p.input_dropout[1] = Tensor::ones({2, 5}, DType::float64);
      },
      {"gru_fused", "reset input dropout mask of shape (2, 4)", "(2, 5)"});
  fails_with(
      [](FusedProblem& p) {
        p.recurrent_dropout[2] = Tensor::ones({2, 4}, DType::float64);
      },
      {"gru_fused", "candidate recurrent dropout mask of shape (2, 5)", "(2, 4)"});
  fails_with([](FusedProblem& p) { p.kernel = p.kernel.to(DType::float32); },
             {"gru_fused", "kernel of dtype float64", "float32"});
  fails_with([](FusedProblem& p) { p.config.activation = "swish"; },
             {"gru_fused: activation", "an activation one of sigmoid, tanh", "'swish'"});
  fails_with([](FusedProblem& p) { p.config.recurrent_activation = "softmax"; },
             {"gru_fused: recurrent_activation", "'softmax'"});
  testing::require_error<ValueError>([] { gru_fused(GruFusedInputs{}, GruFusedConfig{}); },
                                     {"gru_fused", "an input, a kernel and a recurrent kernel"});
}

BOOST_AUTO_TEST_SUITE_END()
