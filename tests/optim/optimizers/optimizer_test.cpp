#include <boost/test/unit_test.hpp>

#include <functional>
#include <memory>

#include <nlohmann/json.hpp>

#include "core/parallel.hpp"
#include "layers/params/constraint.hpp"
#include "optim/optimizers/adadelta.hpp"
#include "optim/optimizers/adagrad.hpp"
#include "optim/optimizers/adam.hpp"
#include "optim/optimizers/adamax.hpp"
#include "optim/optimizers/detail/state_json.hpp"
#include "optim/optimizers/nadam.hpp"
#include "optim/optimizers/rmsprop.hpp"
#include "optim/optimizers/sgd.hpp"
#include "tests/optim/quadratic.hpp"

using namespace grutape;
using namespace grutape::testing;

BOOST_AUTO_TEST_SUITE(optimizer_test)

namespace {

using Factory = std::function<std::unique_ptr<Optimizer>()>;

// Every optimizer, in a variant that carries every kind of state it has.
std::vector<Factory> every_optimizer() {
  return {
      [] { return std::make_unique<Sgd>(SgdOptions().learning_rate(0.05).momentum(0.9)); },
      [] {
        return std::make_unique<Sgd>(SgdOptions().learning_rate(0.05).momentum(0.9).nesterov(true));
      },
      [] { return std::make_unique<Adam>(AdamOptions().learning_rate(0.05).amsgrad(true)); },
      [] { return std::make_unique<AdamW>(AdamWOptions().learning_rate(0.05).weight_decay(0.1)); },
      [] { return std::make_unique<Adamax>(AdamaxOptions().learning_rate(0.05)); },
      [] { return std::make_unique<Nadam>(NadamOptions().learning_rate(0.05)); },
      [] {
        return std::make_unique<Rmsprop>(
            RmspropOptions().learning_rate(0.01).momentum(0.5).centered(true));
      },
      [] { return std::make_unique<Adagrad>(AdagradOptions().learning_rate(0.1)); },
      [] { return std::make_unique<Adadelta>(AdadeltaOptions().learning_rate(0.5)); },
  };
}

// A (4, 6) GRU-like tensor: column blocks update | reset | candidate of 2 columns each.
Tensor gate_tensor(DType dtype) {
  return random_tensor({4, 6}, 11, -1, 1, dtype);
}

// The column block (0 update, 1 reset, 2 candidate) of element i of a (4, 6) tensor.
std::size_t gate_of(std::size_t i) {
  return (i % 6) / 2;
}

void step_quadratic(Optimizer& optimizer, Value& w, const std::vector<double>& a, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) {
    set_quadratic_grad(w, a);
    optimizer.step();
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(per_gate_learn_rate_factors_scale_only_their_gate) {
  // MATLAB's [reset update candidate] = [0 1 2] is {update 1, reset 0, candidate 2} internally.
  for (DType dtype : both_dtypes()) {
    Sgd sgd(SgdOptions().learning_rate(0.1));
    const Tensor w0 = gate_tensor(dtype);
    Value w(w0.clone(), true);
    sgd.add_parameter("kernel", w,
                      ParamOptions().learn_rate_factor(GateFactors::per_gate(1, 0, 2)));
    const Tensor g = random_tensor({4, 6}, 12, -1, 1, dtype);
    w.set_grad(g);
    sgd.step();
    const double factors[] = {1, 0, 2};
    for (std::size_t i = 0; i < 24; ++i) {
      const double expected = w0.flat(i) - 0.1 * factors[gate_of(i)] * g.flat(i);
      BOOST_TEST_INFO("element " << i << ", gate " << gate_of(i));
      if (gate_of(i) == 1) {
        BOOST_TEST(w.value().flat(i) == w0.flat(i));  // factor 0: bitwise unchanged
      } else {
        BOOST_TEST(w.value().flat(i) == expected,
                   boost::test_tools::tolerance(dtype == DType::float64 ? 1e-15 : 1e-6));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(per_gate_factors_with_adam_scale_the_step) {
  // Adam's first step is lr f m_hat / (sqrt(v_hat) + eps) = lr f g / (|g| + eps).
  Adam adam(AdamOptions().learning_rate(0.01));
  const Tensor w0 = gate_tensor(DType::float64);
  Value w(w0.clone(), true);
  adam.add_parameter("kernel", w, ParamOptions().learn_rate_factor(GateFactors::per_gate(1, 0, 2)));
  const Tensor g = random_tensor({4, 6}, 13, -1, 1, DType::float64);
  w.set_grad(g);
  adam.step();
  const double factors[] = {1, 0, 2};
  for (std::size_t i = 0; i < 24; ++i) {
    const double gi = g.flat(i);
    const double expected = w0.flat(i) - 0.01 * factors[gate_of(i)] * gi / (std::abs(gi) + 1e-7);
    BOOST_TEST(w.value().flat(i) == expected, boost::test_tools::tolerance(1e-14));
  }
}

BOOST_AUTO_TEST_CASE(per_gate_l2_factors_scale_only_their_gate) {
  // A zero gradient leaves only the coupled L2 term: w1 = w0 - lr (l2 f) w0.
  Sgd sgd(SgdOptions().learning_rate(0.1).l2_regularization(0.5));
  const Tensor w0 = gate_tensor(DType::float64);
  Value w(w0.clone(), true);
  sgd.add_parameter("kernel", w, ParamOptions().l2_factor(GateFactors::per_gate(0, 1, 3)));
  w.set_grad(Tensor::zeros({4, 6}, DType::float64));
  sgd.step();
  const double factors[] = {0, 1, 3};
  for (std::size_t i = 0; i < 24; ++i) {
    const double expected = w0.flat(i) * (1 - 0.1 * 0.5 * factors[gate_of(i)]);
    BOOST_TEST(w.value().flat(i) == expected, boost::test_tools::tolerance(1e-15));
  }
}

BOOST_AUTO_TEST_CASE(per_gate_factors_of_any_gate_count) {
  // Two gate blocks of 3 columns: lr 0.1 x {2, 0}.
  Sgd sgd(SgdOptions().learning_rate(0.1));
  const Tensor w0 = gate_tensor(DType::float64);
  Value w(w0.clone(), true);
  sgd.add_parameter("kernel", w, ParamOptions().learn_rate_factor(GateFactors::per_gate(2, 0)));
  const Tensor g = random_tensor({4, 6}, 14, -1, 1, DType::float64);
  w.set_grad(g);
  sgd.step();
  for (std::size_t i = 0; i < 24; ++i) {
    const bool first = i % 6 < 3;
    const double expected = first ? w0.flat(i) - 0.1 * 2 * g.flat(i) : w0.flat(i);
    BOOST_TEST(w.value().flat(i) == expected, boost::test_tools::tolerance(1e-15));
  }
}

BOOST_AUTO_TEST_CASE(whole_tensor_factors_multiply_the_global_values) {
  Sgd sgd(SgdOptions().learning_rate(0.1).l2_regularization(0.2));
  Value w(Tensor::from_values({3}, {1, -2, 3}, DType::float64), true);
  sgd.add_parameter("w", w, ParamOptions().learn_rate_factor(0.5).l2_factor(4));
  w.set_grad(Tensor::from_values({3}, {0.5, 0.5, -1}, DType::float64));
  sgd.step();
  // w1 = w0 - (0.1 * 0.5) (g + 0.2 * 4 * w0)
  const double w0[] = {1, -2, 3}, g[] = {0.5, 0.5, -1};
  for (std::size_t i = 0; i < 3; ++i) {
    BOOST_TEST(w.value().flat(i) == w0[i] - 0.05 * (g[i] + 0.8 * w0[i]),
               boost::test_tools::tolerance(1e-15));
  }
}

BOOST_AUTO_TEST_CASE(frozen_parameters_stay_bitwise_unchanged_without_state) {
  for (const auto& make : every_optimizer()) {
    for (DType dtype : both_dtypes()) {
      auto optimizer = make();
      const Tensor w0 = gate_tensor(dtype);
      Value frozen(w0.clone(), true), live(w0.clone(), true);
      optimizer->add_parameter("frozen", frozen, ParamOptions().frozen(true));
      optimizer->add_parameter("live", live);
      for (int k = 0; k < 3; ++k) {
        frozen.set_grad(random_tensor({4, 6}, 20 + k, -1, 1, dtype));
        live.set_grad(random_tensor({4, 6}, 20 + k, -1, 1, dtype));
        optimizer->step();
      }
      BOOST_TEST_INFO(optimizer->type() << " " << dtype);
      BOOST_TEST(bitwise_equal(frozen.value(), w0));
      BOOST_TEST(!optimizer->has_state("frozen"));
      BOOST_TEST(!optimizer->state()["parameters"].contains("frozen"));
      // The live twin did move, so the frozen one was skipped, not merely given a zero step.
      BOOST_TEST(!bitwise_equal(live.value(), w0));
      BOOST_TEST(optimizer->has_state("live"));
    }
  }
}

BOOST_AUTO_TEST_CASE(parameters_without_gradient_are_skipped) {
  Adam adam(AdamOptions().learning_rate(0.1));
  const Tensor w0 = Tensor::from_values({2}, {1, 2}, DType::float32);
  Value w(w0.clone(), true);
  adam.add_parameter("w", w);
  adam.step();
  BOOST_TEST(bitwise_equal(w.value(), w0));
  BOOST_TEST(!adam.has_state("w"));
  BOOST_TEST(adam.step_count() == 1u);
  w.set_grad(Tensor::ones({2}, DType::float32));
  adam.zero_grad();
  BOOST_TEST(!w.has_grad());
}

BOOST_AUTO_TEST_CASE(constraints_apply_after_each_step) {
  // One SGD step then max_norm(1) over axis 0 of a (2, 1) column: [3, 4] -> [0.6, 0.8] (times
  // 5 / (5 + 1e-7), Keras' fuzz).
  Sgd sgd(SgdOptions().learning_rate(1));
  Value w(Tensor::from_values({2, 1}, {4, 5}, DType::float64), true);
  sgd.add_parameter("w", w, ParamOptions().constraint(std::make_shared<MaxNorm>(1.0)));
  w.set_grad(Tensor::from_values({2, 1}, {1, 1}, DType::float64));
  sgd.step();
  BOOST_TEST(w.value().flat(0) == 3 / (1e-7 + 5), boost::test_tools::tolerance(1e-15));
  BOOST_TEST(w.value().flat(1) == 4 / (1e-7 + 5), boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(learning_rate_is_settable_and_validated) {
  Sgd sgd(SgdOptions().learning_rate(0.1));
  Value w(Tensor::from_values({1}, {1}, DType::float64), true);
  sgd.add_parameter("w", w);
  sgd.set_learning_rate(0.25);
  BOOST_TEST(sgd.learning_rate() == 0.25);
  w.set_grad(Tensor::from_values({1}, {2}, DType::float64));
  sgd.step();
  BOOST_TEST(w.value().item() == 0.5);
  require_error<ValueError>([&] { sgd.set_learning_rate(-0.5); },
                            {"sgd::set_learning_rate", "learning_rate >= 0", "-0.5"});
  BOOST_TEST(sgd.learning_rate() == 0.25);
}

BOOST_AUTO_TEST_CASE(registration_errors_name_the_parameter) {
  Sgd sgd;
  Value w(Tensor::zeros({4, 5}), true);
  sgd.add_parameter("w", w);
  require_error<ValueError>([&] { sgd.add_parameter("w", Value(Tensor::zeros({1}), true)); },
                            {"sgd::add_parameter 'w'", "a new name"});
  require_error<ValueError>([&] { sgd.add_parameter("again", w); },
                            {"'again'", "registered as 'w'"});
  require_error<ShapeError>(
      [&] {
        sgd.add_parameter("u", Value(Tensor::zeros({4, 5})),
                          ParamOptions().l2_factor(GateFactors::per_gate(1, 2, 3)));
      },
      {"'u'", "3 equal gate blocks", "(4, 5)"});
  require_error<ValueError>(
      [&] {
        sgd.add_parameter("v", Value(Tensor::zeros({3})),
                          ParamOptions().learn_rate_factor(GateFactors::per_gate(1, -2, 1)));
      },
      {"'v'", "learn_rate_factor (gate 2 of 3) >= 0", "-2"});
  require_error<ValueError>([&] { sgd.param_options("nope"); },
                            {"sgd::param_options", "registered parameter name (w)", "'nope'"});
  // Uniform factors need no gate split, whatever the shape.
  sgd.add_parameter("scalar", Value(Tensor::scalar(1.0)), ParamOptions().learn_rate_factor(2));
  BOOST_TEST((sgd.names() == std::vector<std::string>{"w", "scalar"}));
  sgd.set_param_options("w", ParamOptions().frozen(true));
  BOOST_TEST(sgd.param_options("w").frozen());
}

BOOST_AUTO_TEST_CASE(a_gradient_of_another_dtype_is_an_error) {
  Sgd sgd;
  Value w(Tensor::zeros({2}, DType::float32), true);
  sgd.add_parameter("w", w);
  // set_grad checks too; reach the optimizer's own check through the slot.
  w.slot()->grad = Tensor::zeros({2}, DType::float64);
  require_error<ValueError>([&] { sgd.step(); }, {"sgd::step 'w'", "float32 and float64"});
}

BOOST_AUTO_TEST_CASE(state_round_trip_resumes_bitwise) {
  const auto a = quadratic_a(), w0 = quadratic_w0();
  for (const auto& make : every_optimizer()) {
    for (DType dtype : both_dtypes()) {
      auto first = make();
      Value w(Tensor::from_values({w0.size()}, w0, dtype), true);
      first->add_parameter("w", w);
      step_quadratic(*first, w, a, 2);
      // Through text, as a checkpoint file would carry it.
      const std::string saved = first->state().dump();
      const Tensor at_two = w.value().clone();
      step_quadratic(*first, w, a, 2);

      auto second = make();
      Value resumed(at_two, true);
      second->add_parameter("w", resumed);
      second->load_state(nlohmann::json::parse(saved));
      BOOST_TEST(second->step_count() == 2u);
      step_quadratic(*second, resumed, a, 2);
      BOOST_TEST_INFO(first->type() << " " << dtype);
      BOOST_TEST(bitwise_equal(resumed.value(), w.value()));
      BOOST_TEST(second->state() == first->state());
    }
  }
}

BOOST_AUTO_TEST_CASE(load_state_errors_say_what_is_wrong_and_change_nothing) {
  Adam adam(AdamOptions().learning_rate(0.1));
  Value w(Tensor::zeros({2, 3}), true);
  adam.add_parameter("w", w);
  w.set_grad(Tensor::ones({2, 3}));
  adam.step();
  const nlohmann::json good = adam.state();

  Adam fresh;
  fresh.add_parameter("w", Value(Tensor::zeros({2, 3}), true));
  auto broken = [&](const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json state = good;
    edit(state);
    return state;
  };
  require_error<ValueError>([&] { Sgd().load_state(good); },
                            {"sgd::load_state", "state of a sgd optimizer", "\"adam\""});
  require_error<ValueError>(
      [&] {
        fresh.load_state(broken([](auto& s) { s["parameters"]["x"] = s["parameters"]["w"]; }));
      },
      {"adam::load_state", "registered parameter name (w)", "'x'"});
  require_error<ValueError>(
      [&] { fresh.load_state(broken([](auto& s) { s["parameters"]["w"]["slots"].erase("v"); })); },
      {"'w' slots", "keys (m, v)", "got m"});
  require_error<ShapeError>(
      [&] {
        fresh.load_state(broken([](auto& s) {
          s["parameters"]["w"]["slots"]["m"] = tensor_to_json(Tensor::zeros({3, 2}));
        }));
      },
      {"'w' slot 'm'", "shape (2, 3)", "(3, 2)"});
  require_error<ValueError>(
      [&] {
        fresh.load_state(broken([](auto& s) {
          s["parameters"]["w"]["slots"]["v"] =
              tensor_to_json(Tensor::zeros({2, 3}, DType::float64));
        }));
      },
      {"'w' slot 'v'", "dtype float32", "float64"});
  require_error<ValueError>(
      [&] {
        fresh.load_state(
            broken([](auto& s) { s["parameters"]["w"]["slots"]["m"]["bits"] = "00"; }));
      },
      {"slot 'm'", "48 hex digits", "2 digits"});
  require_error<ValueError>(
      [&] { fresh.load_state(broken([](auto& s) { s.erase("step_count"); })); },
      {"adam::load_state", "\"step_count\""});
  BOOST_TEST(!fresh.has_state("w"));
  BOOST_TEST(fresh.step_count() == 0u);
  fresh.load_state(good);
  BOOST_TEST(fresh.has_state("w"));
}

BOOST_AUTO_TEST_CASE(updates_do_not_depend_on_the_thread_count) {
  // Large enough for several parallel chunks, with per-gate blocks that straddle chunk bounds.
  const Tensor w0 = random_tensor({1001, 3 * 37}, 30, -1, 1, DType::float32);
  const Tensor g = random_tensor({1001, 3 * 37}, 31, -1, 1, DType::float32);
  auto run = [&](std::size_t threads) {
    ThreadLimit limit(threads);
    Adam adam(AdamOptions().learning_rate(0.01).l2_regularization(0.1));
    Value w(w0.clone(), true);
    adam.add_parameter("w", w, ParamOptions().learn_rate_factor(GateFactors::per_gate(1, 0.5, 2)));
    for (int k = 0; k < 3; ++k) {
      w.set_grad(g);
      adam.step();
    }
    return w.value();
  };
  const Tensor one = run(1), two = run(2);
  BOOST_TEST(bitwise_equal(one, two));
  BOOST_TEST(!bitwise_equal(one, w0));
}

BOOST_AUTO_TEST_CASE(empty_parameters_step_without_error) {
  Adam adam;
  Value w(Tensor::zeros({0, 6}), true);
  adam.add_parameter("w", w, ParamOptions().learn_rate_factor(GateFactors::per_gate(1, 2, 3)));
  w.set_grad(Tensor::zeros({0, 6}));
  adam.step();
  BOOST_TEST((w.shape() == Shape{0, 6}));
}

BOOST_AUTO_TEST_SUITE_END()
