#include <boost/test/unit_test.hpp>

#include "autodiff/ops/reduce.hpp"
#include "layers/basic/dense.hpp"
#include "layers/gru/gru.hpp"
#include "layers/models/sequential.hpp"
#include "layers/params/constraint.hpp"
#include "optim/optimizers/adam.hpp"
#include "optim/optimizers/parameter_registration.hpp"
#include "optim/optimizers/sgd.hpp"
#include "optim/training/fit.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::random_tensor;
using testing::require_error;

namespace {

const Tensor gru_input = random_tensor({3, 4, 2}, 11);

// One SGD step of sum(gru(x)) on a fresh layer of `options`; returns the weights before and after
// and the gradients.
struct StepRecord {
  std::map<std::string, Tensor> before, after, grads;
};

StepRecord one_step(const GruOptions& options, const SgdOptions& sgd_options) {
  Gru gru(GruOptions(options).seed(3));
  gru(Value(gru_input));
  Sgd sgd(sgd_options);
  register_parameters(sgd, gru);
  StepRecord record;
  for (const auto& [name, p] : gru.named_parameters()) record.before[name] = p.value().clone();
  sum(gru(Value(gru_input))).backward();
  for (const auto& [name, p] : gru.named_parameters()) record.grads[name] = p.grad().clone();
  sgd.step();
  for (const auto& [name, p] : gru.named_parameters()) record.after[name] = p.value().clone();
  return record;
}

// Element i of a (.., 3u) tensor lies in gate block (i % 3u) / u.
std::size_t gate_of(std::size_t i, std::size_t units) {
  return (i % (3 * units)) / units;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(parameter_registration_test)

BOOST_AUTO_TEST_CASE(options_follow_the_layers) {
  auto gru = std::make_shared<Gru>(GruOptions(2)
                                       .kernel_learn_rate_factor(GateFactors::per_gate(1, 2, 3))
                                       .recurrent_l2_factor(GateFactors::per_gate(0, 0.5, 1))
                                       .bias_constraint({"max_norm", {{"max_value", 3}}}));
  auto dense = std::make_shared<Dense>(DenseOptions(1));
  dense->set_update(false);
  Sequential model;
  model.add(gru).add(dense);
  model(Value(gru_input));
  Sgd sgd;
  BOOST_TEST(register_parameters(sgd, model) == 6u);
  std::vector<std::string> expected;
  for (const auto& [name, _] : model.named_parameters()) expected.push_back(name);
  BOOST_TEST(sgd.names() == expected, boost::test_tools::per_element());
  const std::string g = gru->name() + ".";
  BOOST_TEST(
      (sgd.param_options(g + "kernel").learn_rate_factor() == GateFactors::per_gate(1, 2, 3)));
  BOOST_TEST(
      (sgd.param_options(g + "recurrent_kernel").l2_factor() == GateFactors::per_gate(0, 0.5, 1)));
  // MATLAB's BiasL2Factor default 0 reaches the optimizer.
  BOOST_TEST((sgd.param_options(g + "bias").l2_factor() == GateFactors(0.0)));
  const auto& constraint = sgd.param_options(g + "recurrent_bias").constraint();
  BOOST_REQUIRE(constraint);
  BOOST_TEST(constraint->name() == "max_norm");
  BOOST_TEST(constraint->parameters().at("max_value") == 3.0);
  BOOST_TEST(!sgd.param_options(g + "kernel").frozen());
  BOOST_TEST(sgd.param_options(dense->name() + ".kernel").frozen());

  // A second registration adds nothing and refreshes the options from the flags.
  dense->set_update(true);
  gru->set_update(false);
  BOOST_TEST(register_parameters(sgd, model) == 0u);
  BOOST_TEST(!sgd.param_options(dense->name() + ".kernel").frozen());
  BOOST_TEST(sgd.param_options(g + "kernel").frozen());
}

BOOST_AUTO_TEST_CASE(per_gate_learn_rate_factors_change_only_their_gate) {
  const std::size_t units = 2;
  for (GruGate gate : gru_gate_order) {
    std::array<double, 3> factors{0, 0, 0};
    factors[gate_index(gate)] = 1;
    const GateFactors only = GateFactors::per_gate(factors[0], factors[1], factors[2]);
    const auto record = one_step(GruOptions(units)
                                     .kernel_learn_rate_factor(only)
                                     .recurrent_learn_rate_factor(only)
                                     .bias_learn_rate_factor(only),
                                 SgdOptions().learning_rate(0.1));
    for (const auto& [name, before] : record.before) {
      BOOST_TEST_CONTEXT(gate_name(gate) << " gate, " << name) {
        const Tensor& after = record.after.at(name);
        const Tensor& grad = record.grads.at(name);
        bool others_unchanged = true;
        double worst = 0;
        for (std::size_t i = 0; i < before.size(); ++i) {
          if (gate_of(i, units) == gate_index(gate)) {
            worst =
                std::max(worst, std::abs(after.flat(i) - (before.flat(i) - 0.1 * grad.flat(i))));
          } else {
            others_unchanged = others_unchanged && after.flat(i) == before.flat(i);
          }
        }
        BOOST_TEST(others_unchanged);
        BOOST_TEST(worst < 1e-15);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(per_gate_l2_factors_decay_only_their_gate) {
  const std::size_t units = 2;
  const auto record = one_step(GruOptions(units)
                                   .kernel_l2_factor(0.0)
                                   .recurrent_l2_factor(GateFactors::per_gate(0, 0, 1))
                                   .bias_l2_factor(GateFactors::per_gate(1, 0, 0)),
                               SgdOptions().learning_rate(0.1).l2_regularization(0.5));
  auto factor = [&](const std::string& name, std::size_t i) {
    if (name == "kernel") return 0.0;
    const std::size_t gate = gate_of(i, units);
    if (name == "recurrent_kernel") return gate == 2 ? 1.0 : 0.0;
    return gate == 0 ? 1.0 : 0.0;  // bias and recurrent_bias
  };
  for (const auto& [name, before] : record.before) {
    BOOST_TEST_CONTEXT(name) {
      double worst = 0;
      for (std::size_t i = 0; i < before.size(); ++i) {
        // w <- w - lr (g + l2 x factor x w)
        const double w = before.flat(i), g = record.grads.at(name).flat(i);
        const double expected = w - 0.1 * (g + 0.5 * factor(name, i) * w);
        worst = std::max(worst, std::abs(record.after.at(name).flat(i) - expected));
      }
      BOOST_TEST(worst < 1e-15);
    }
  }
}

BOOST_AUTO_TEST_CASE(frozen_layers_stay_bitwise_unchanged_through_fit) {
  auto gru = std::make_shared<Gru>(GruOptions(3).seed(5));
  auto dense = std::make_shared<Dense>(DenseOptions(1).seed(6));
  Sequential model;
  model.add(gru).add(dense);
  const Tensor x = random_tensor({8, 4, 2}, 12);
  const Tensor y = random_tensor({8, 1}, 13);
  model(Value(x));
  gru->set_update(false);
  const GruWeights frozen = gru->weights();
  const Tensor dense_before = dense->parameter("kernel").value().clone();
  auto adam = std::make_shared<Adam>(AdamOptions().learning_rate(0.01));
  fit(model, x, y,
      FitOptions().optimizer(adam).epochs(3).batch_size(4).verbosity(Verbosity::quiet));
  const GruWeights after = gru->weights();
  BOOST_TEST(testing::bitwise_equal(after.kernel, frozen.kernel));
  BOOST_TEST(testing::bitwise_equal(after.recurrent_kernel, frozen.recurrent_kernel));
  BOOST_TEST(testing::bitwise_equal(after.bias, frozen.bias));
  BOOST_TEST(testing::bitwise_equal(after.recurrent_bias, frozen.recurrent_bias));
  BOOST_TEST(!adam->has_state(gru->name() + ".kernel"));
  BOOST_TEST(!testing::bitwise_equal(dense->parameter("kernel").value(), dense_before));
  BOOST_TEST(adam->step_count() == 6u);
}

BOOST_AUTO_TEST_CASE(constraints_hold_after_fit) {
  auto dense = std::make_shared<Dense>(DenseOptions(2).seed(7).kernel_constraint({"non_neg"}));
  auto gru =
      std::make_shared<Gru>(GruOptions(2).seed(8).return_sequences(true).recurrent_constraint(
          {"max_norm", {{"max_value", 0.5}}}));
  Sequential model;
  model.add(gru).add(dense);
  const Tensor x = random_tensor({6, 3, 2}, 14);
  const Tensor y = random_tensor({6, 3, 2}, 15);
  fit(model, x, y,
      FitOptions()
          .optimizer(std::make_shared<Sgd>(SgdOptions().learning_rate(0.5)))
          .epochs(2)
          .batch_size(3)
          .verbosity(Verbosity::quiet));
  for (double w : dense->parameter("kernel").value().to_vector()) BOOST_TEST(w >= 0.0);
  // max_norm over axis 0: every column of the recurrent kernel has norm <= 0.5 (+ Keras' eps).
  const Tensor u = gru->parameter("recurrent_kernel").value();
  for (std::size_t column = 0; column < u.shape()[1]; ++column) {
    double norm = 0;
    for (std::size_t row = 0; row < u.shape()[0]; ++row) {
      norm += std::pow(u.flat(row * u.shape()[1] + column), 2);
    }
    BOOST_TEST(std::sqrt(norm) <= 0.5 + 1e-6);
  }
}

BOOST_AUTO_TEST_CASE(a_name_taken_by_another_tensor_is_an_error) {
  Dense first(DenseOptions(2)), second(DenseOptions(2));
  first(Value(Tensor::ones({1, 2})));
  second(Value(Tensor::ones({1, 2})));
  Sgd sgd;
  register_parameters(sgd, first);
  require_error<ValueError>(
      [&] { register_parameters(sgd, second); },
      {"register_parameters \"kernel\"", "the tensor registered", "another tensor"});
  require_error<ValueError>(
      [] {
        param_options_from(ParameterSettings{{}, {"max_norm", {{"max_value", -1}}}, 1, 1}, false);
      },
      {"max_value"});
}

BOOST_AUTO_TEST_SUITE_END()
