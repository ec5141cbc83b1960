#include <boost/test/unit_test.hpp>

#include <cmath>
#include <set>

#include <nlohmann/json.hpp>
#include "tests/test_helpers.hpp"

#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/reduce.hpp"
#include "layers/basic/dense.hpp"
#include "layers/basic/embedding.hpp"
#include "layers/gru/gru.hpp"
#include "layers/models/sequential.hpp"
#include "layers/params/regularizers.hpp"
#include "tests/layers/layer_gradients.hpp"

using namespace grutape;
using testing::random_tensor;
using testing::require_error;

namespace {

double sum_abs(const Tensor& t) {
  double total = 0;
  for (double v : t.to_vector()) total += std::abs(v);
  return total;
}

double sum_squares(const Tensor& t) {
  double total = 0;
  for (double v : t.to_vector()) total += v * v;
  return total;
}

// The gradient of every parameter after backward of sum(output) (+ the parameter terms).
std::map<std::string, Tensor> gradients(Layer& layer, const Tensor& x, bool regularized) {
  for (auto& [_, p] : layer.named_parameters()) p.zero_grad();
  Value loss = sum(layer(Value(x)));
  if (regularized) loss = loss + parameter_regularization(layer);
  loss.backward();
  std::map<std::string, Tensor> result;
  for (const auto& [name, p] : layer.named_parameters()) result[name] = p.grad().clone();
  return result;
}

// Checks that the parameter terms of `layer` are l2 * sum w^2 over exactly `regularized`, and
// that adding them changes the gradient of those tensors by 2 l2 w and of no other tensor.
void require_own_terms(Layer& layer, const Tensor& x, double l2,
                       const std::set<std::string>& regularized) {
  const auto plain = gradients(layer, x, false);
  const auto with_terms = gradients(layer, x, true);
  double expected = 0;
  for (const auto& [name, p] : layer.named_parameters()) {
    BOOST_TEST_CONTEXT("parameter " << name) {
      if (regularized.count(name)) {
        expected += l2 * sum_squares(p.value());
        const Tensor w = p.value();
        double worst = 0;
        for (std::size_t i = 0; i < w.size(); ++i) {
          const double change = with_terms.at(name).flat(i) - plain.at(name).flat(i);
          worst = std::max(worst, std::abs(change - 2 * l2 * w.flat(i)));
        }
        BOOST_TEST(worst < 1e-12);
      } else {
        BOOST_TEST(testing::bitwise_equal(with_terms.at(name), plain.at(name)));
      }
    }
  }
  BOOST_TEST(parameter_regularization(layer).value().item() == expected,
             boost::test_tools::tolerance(1e-12));
}

const RegularizerSpec l2_spec("l2", {{"l2", 0.3}});

}  // namespace

BOOST_AUTO_TEST_SUITE(regularizers_test)

BOOST_AUTO_TEST_CASE(terms_have_their_closed_forms) {
  const Tensor w = Tensor::from_values({2, 2}, {1, -2, 0.5, -0.25}, DType::float64);
  const double l1_sum = 3.75, l2_sum = 1 + 4 + 0.25 + 0.0625;
  auto term = [&](const RegularizerSpec& spec) { return regularization_term(spec, Value(w)); };
  BOOST_TEST(term({"l1", {{"l1", 0.3}}}).value().item() == 0.3 * l1_sum,
             boost::test_tools::tolerance(1e-15));
  BOOST_TEST(term({"l2", {{"l2", 0.2}}}).value().item() == 0.2 * l2_sum,
             boost::test_tools::tolerance(1e-15));
  BOOST_TEST(
      term({"l1_l2", {{"l1", 0.1}, {"l2", 0.05}}}).value().item() == 0.1 * l1_sum + 0.05 * l2_sum,
      boost::test_tools::tolerance(1e-15));
  // Keras' defaults: l1 and l2 0.01, l1_l2 0 and 0.
  BOOST_TEST(term({"l1"}).value().item() == 0.01 * l1_sum, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(term({"l2"}).value().item() == 0.01 * l2_sum, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(term({"l1_l2"}).value().item() == 0.0);
  BOOST_TEST(!term({}).defined());
  // float32 stays float32.
  BOOST_TEST(regularization_term({"l2"}, Value(w.to(DType::float32))).dtype() == DType::float32);
}

BOOST_AUTO_TEST_CASE(terms_pass_gradient_checks) {
  // Values away from 0, where |w| is differentiable.
  Tensor w = random_tensor({3, 4}, 3, 0.2, 1.0);
  Tensor signs = random_tensor({3, 4}, 4);
  w = Tensor::from_values(
      w.shape(),
      [&] {
        std::vector<double> v = w.to_vector();
        for (std::size_t i = 0; i < v.size(); ++i) v[i] *= signs.flat(i) < 0 ? -1 : 1;
        return v;
      }(),
      DType::float64);
  for (const RegularizerSpec& spec :
       {RegularizerSpec("l1", {{"l1", 0.3}}), RegularizerSpec("l2", {{"l2", 0.2}}),
        RegularizerSpec("l1_l2", {{"l1", 0.1}, {"l2", 0.7}})}) {
    BOOST_TEST_CONTEXT(spec) {
      testing::require_gradients(
          [&](const std::vector<Value>& v) { return regularization_term(spec, v[0]); }, {w});
      testing::require_gradients(
          [&](const std::vector<Value>& v) { return activity_regularization_term(spec, v[0]); },
          {w});
    }
  }
}

BOOST_AUTO_TEST_CASE(each_gru_tensor_gets_its_own_regularizer) {
  const Tensor x = random_tensor({2, 4, 3}, 5);
  {
    Gru gru(GruOptions(2).depth(2).seed(1).kernel_regularizer(l2_spec));
    require_own_terms(gru, x, 0.3, {"kernel", "kernel_2"});
  }
  {
    Gru gru(GruOptions(2).depth(2).seed(1).recurrent_regularizer(l2_spec));
    require_own_terms(gru, x, 0.3, {"recurrent_kernel", "recurrent_kernel_2"});
  }
  {
    Gru gru(GruOptions(2).seed(1).bias_regularizer(l2_spec));
    require_own_terms(gru, x, 0.3, {"bias", "recurrent_bias"});
  }
  {
    Gru gru(GruOptions(2).seed(1));
    gru(Value(x));
    BOOST_TEST(!parameter_regularization(gru).defined());
  }
}

BOOST_AUTO_TEST_CASE(dense_and_embedding_tensors_get_their_own_regularizers) {
  const Tensor x = random_tensor({3, 4}, 6);
  {
    Dense dense(DenseOptions(2).seed(2).kernel_regularizer(l2_spec));
    require_own_terms(dense, x, 0.3, {"kernel"});
  }
  {
    Dense dense(DenseOptions(2).seed(2).bias_initializer({"ones"}).bias_regularizer(l2_spec));
    require_own_terms(dense, x, 0.3, {"bias"});
  }
  {
    Embedding embedding(EmbeddingOptions(5, 3).embeddings_regularizer({"l1", {{"l1", 0.2}}}));
    const Tensor ids = Tensor::from_values({2, 2}, {0, 3, 4, 3}, DType::float64);
    embedding(Value(ids));
    const Tensor table = embedding.parameter("embeddings").value();
    BOOST_TEST(parameter_regularization(embedding).value().item() == 0.2 * sum_abs(table),
               boost::test_tools::tolerance(1e-12));
  }
}

BOOST_AUTO_TEST_CASE(a_model_sums_its_layers_terms) {
  auto first = std::make_shared<Dense>(DenseOptions(3).seed(1).kernel_regularizer(l2_spec));
  auto second =
      std::make_shared<Dense>(DenseOptions(2).seed(2).kernel_regularizer({"l1", {{"l1", 0.1}}}));
  Sequential model;
  model.add(first).add(second);
  model(Value(random_tensor({2, 4}, 1)));
  const double expected = 0.3 * sum_squares(first->parameter("kernel").value()) +
                          0.1 * sum_abs(second->parameter("kernel").value());
  BOOST_TEST(parameter_regularization(model).value().item() == expected,
             boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(activity_terms_are_collected_per_top_level_call) {
  auto dense = std::make_shared<Dense>(
      DenseOptions(3).seed(1).activation("tanh").activity_regularizer({"l2", {{"l2", 0.5}}}));
  const Tensor x = random_tensor({4, 2}, 2);
  const Tensor y = (*dense)(Value(x)).value();
  BOOST_REQUIRE(dense->activity_losses().size() == 1u);
  // l2 * sum(y^2) / batch.
  BOOST_TEST(activity_regularization(*dense).value().item() == 0.5 * sum_squares(y) / 4,
             boost::test_tools::tolerance(1e-12));
  (*dense)(Value(x));
  BOOST_TEST(dense->activity_losses().size() == 1u);  // the first call's term was dropped

  Sequential model;
  model.add(dense).add(std::make_shared<Dense>(DenseOptions(1).seed(3)));
  // The first call builds the model with a sample call, whose term does not count.
  model(Value(x));
  BOOST_TEST(model.activity_losses().size() == 1u);
  model(Value(x));
  BOOST_TEST(model.activity_losses().size() == 1u);
  BOOST_TEST(regularization_loss(model).value().item() == 0.5 * sum_squares(y) / 4,
             boost::test_tools::tolerance(1e-12));
  // In inference the term is still computed (evaluation reports it), with nothing recorded.
  model.set_training(false);
  model(Value(x));
  BOOST_TEST(model.activity_losses().size() == 1u);
  BOOST_TEST(!model.activity_losses()[0].requires_grad());
}

BOOST_AUTO_TEST_CASE(gru_activity_term_is_on_its_output) {
  Gru gru(GruOptions(3).seed(4).return_sequences(true).activity_regularizer({"l1", {{"l1", 0.2}}}));
  const Tensor x = random_tensor({2, 5, 3}, 9);
  const Tensor out = gru(Value(x)).value();
  BOOST_TEST(activity_regularization(gru).value().item() == 0.2 * sum_abs(out) / 2,
             boost::test_tools::tolerance(1e-12));
  // run() is a top-level call too.
  gru.run(Value(x));
  BOOST_TEST(gru.activity_losses().size() == 1u);
  // The term's gradient reaches the weights.
  testing::require_parameter_gradients(gru, [&] {
    gru(Value(x));
    return activity_regularization(gru);
  });
}

BOOST_AUTO_TEST_CASE(settings_come_from_the_options) {
  Gru gru(GruOptions(2)
              .depth(2)
              .kernel_constraint({"non_neg"})
              .recurrent_learn_rate_factor(GateFactors::per_gate(1, 2, 3))
              .bias_l2_factor(0.5));
  gru(Value(random_tensor({1, 2, 3}, 1)));
  BOOST_TEST(gru.parameter_settings("kernel_2").constraint == ConstraintSpec("non_neg"));
  BOOST_TEST((gru.parameter_settings("recurrent_kernel_2").learn_rate_factor ==
              GateFactors::per_gate(1, 2, 3)));
  BOOST_TEST((gru.parameter_settings("recurrent_bias").l2_factor == GateFactors(0.5)));
  BOOST_TEST((gru.parameter_settings("kernel").l2_factor == GateFactors(1.0)));
  require_error<ValueError>(
      [&] { gru.parameter_settings("weights"); },
      {gru.name() + ": parameter_settings", "kernel, recurrent_kernel", "\"weights\""});
  Dense dense(DenseOptions(2).bias_constraint({"max_norm"}));
  dense(Value(random_tensor({1, 2}, 1)));
  BOOST_TEST(dense.parameter_settings("bias").constraint == ConstraintSpec("max_norm"));
  BOOST_TEST(dense.parameter_settings("kernel").constraint.empty());
}

BOOST_AUTO_TEST_CASE(activity_regularizers_survive_json) {
  const RegularizerSpec spec("l1_l2", {{"l1", 0.1}, {"l2", 0.2}});
  const Dense dense(DenseOptions(2).activity_regularizer(spec));
  BOOST_TEST(Dense::from_json(dense.to_json())->options().activity_regularizer() == spec);
  const GruOptions options = GruOptions(2).activity_regularizer(spec);
  BOOST_TEST(GruOptions::from_json(options.to_json()).activity_regularizer() == spec);
}

BOOST_AUTO_TEST_CASE(errors_name_the_spec_and_the_shape) {
  require_error<ValueError>([] { regularization_term({"l3"}, Value(Tensor::ones({2}))); },
                            {"regularization_term", "l1, l2, l1_l2", "\"l3\""});
  require_error<ValueError>(
      [] {
        regularization_term({"l2", {{"l2", -1}}}, Value(Tensor::ones({2})));
      },
      {"regularization_term: l2", "l2 >= 0", "l2(l2=-1)"});
  require_error<ShapeError>(
      [] {
        activity_regularization_term({"l2"}, Value(Tensor::ones({0, 3})));
      },
      {"activity_regularization_term", "batch > 0", "(0, 3)"});
  require_error<ValueError>([] { DenseOptions(2).activity_regularizer({"l9"}).validate(); },
                            {"DenseOptions: activity_regularizer", "\"l9\""});
  require_error<ValueError>([] { GruOptions(2).activity_regularizer({"l9"}).validate(); },
                            {"GruOptions: activity_regularizer", "\"l9\""});
}

BOOST_AUTO_TEST_SUITE_END()
