#include <boost/test/unit_test.hpp>

#include "optim/optimizers/adam.hpp"
#include "tests/optim/quadratic.hpp"

using namespace grutape;
using namespace grutape::testing;

BOOST_AUTO_TEST_SUITE(adam_test)

namespace {

// Adam's recurrence for one element; `decay` is AdamW's decoupled lambda, `l2` the coupled one.
struct AdamReference {
  double lr, beta1, beta2, eps, l2 = 0, decay = 0;
  bool amsgrad = false;
  std::vector<double> m = std::vector<double>(19), v = std::vector<double>(19),
                      v_max = std::vector<double>(19);

  double operator()(double w, double g, std::size_t t, std::size_t i) {
    const double d = g + l2 * w;
    m[i] = beta1 * m[i] + (1 - beta1) * d;
    v[i] = beta2 * v[i] + (1 - beta2) * d * d;
    v_max[i] = std::max(v_max[i], v[i]);
    const double m_hat = m[i] / (1 - std::pow(beta1, t));
    const double v_hat = (amsgrad ? v_max[i] : v[i]) / (1 - std::pow(beta2, t));
    return w - lr * decay * w - lr * m_hat / (std::sqrt(v_hat) + eps);
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(adam_matches_the_recurrence) {
  for (DType dtype : both_dtypes()) {
    Adam adam(AdamOptions().learning_rate(0.1).beta1(0.8).beta2(0.9));
    const auto got = run_quadratic(adam, dtype, 5);
    const auto expected = reference_quadratic(5, AdamReference{0.1, 0.8, 0.9, 1e-7});
    require_trajectory(got, expected, dtype);
  }
}

BOOST_AUTO_TEST_CASE(adam_with_coupled_l2_and_amsgrad_matches_the_recurrence) {
  for (DType dtype : both_dtypes()) {
    Adam adam(AdamOptions()
                  .learning_rate(0.2)
                  .beta1(0.5)
                  .beta2(0.6)
                  .epsilon(1e-3)
                  .amsgrad(true)
                  .l2_regularization(0.3));
    const auto got = run_quadratic(adam, dtype, 5);
    AdamReference reference{0.2, 0.5, 0.6, 1e-3, 0.3};
    reference.amsgrad = true;
    require_trajectory(got, reference_quadratic(5, reference), dtype);
  }
}

BOOST_AUTO_TEST_CASE(adamw_decays_the_weights_decoupled) {
  for (DType dtype : both_dtypes()) {
    AdamW adamw(AdamWOptions().learning_rate(0.1).weight_decay(0.5).beta1(0.8).beta2(0.9));
    const auto got = run_quadratic(adamw, dtype, 5);
    AdamReference reference{0.1, 0.8, 0.9, 1e-7};
    reference.decay = 0.5;
    require_trajectory(got, reference_quadratic(5, reference), dtype);
  }
}

BOOST_AUTO_TEST_CASE(adamw_decay_scales_with_the_l2_factor) {
  // With a zero gradient the moments stay 0 and only the decay acts: w1 = w0 (1 - lr lambda f).
  AdamW adamw(AdamWOptions().learning_rate(0.1).weight_decay(0.5));
  Value w(Tensor::from_values({2, 3}, {1, 2, 3, 4, 5, 6}, DType::float64), true);
  adamw.add_parameter("w", w, ParamOptions().l2_factor(0.4));
  w.set_grad(Tensor::zeros({2, 3}, DType::float64));
  adamw.step();
  for (std::size_t i = 0; i < 6; ++i) {
    BOOST_TEST(w.value().flat(i) == (i + 1) * (1 - 0.1 * 0.5 * 0.4),
               boost::test_tools::tolerance(1e-15));
  }
}

BOOST_AUTO_TEST_CASE(defaults_are_keras) {
  const AdamOptions adam;
  BOOST_TEST(adam.learning_rate() == 1e-3);
  BOOST_TEST(adam.beta1() == 0.9);
  BOOST_TEST(adam.beta2() == 0.999);
  BOOST_TEST(adam.epsilon() == 1e-7);
  BOOST_TEST(AdamWOptions().weight_decay() == 0.004);
  BOOST_TEST(Adam().type() == "adam");
  BOOST_TEST(AdamW().type() == "adamw");
}

BOOST_AUTO_TEST_CASE(bad_options_are_errors_carrying_the_value) {
  require_error<ValueError>([] { Adam(AdamOptions().learning_rate(-0.001)); },
                            {"adam", "learning_rate >= 0", "-0.001"});
  require_error<ValueError>([] { Adam(AdamOptions().beta1(1.0)); },
                            {"adam: beta1", "beta1 in [0, 1)", "got 1"});
  require_error<ValueError>([] { Adam(AdamOptions().beta2(-0.1)); }, {"adam", "beta2", "-0.1"});
  require_error<ValueError>([] { Adam(AdamOptions().epsilon(-1e-8)); },
                            {"adam", "epsilon", "-1e-08"});
  require_error<ValueError>([] { AdamW(AdamWOptions().weight_decay(-0.25)); },
                            {"adamw", "weight_decay", "-0.25"});
  require_error<ValueError>([] { AdamW(AdamWOptions().beta1(1.5)); }, {"adamw", "beta1", "1.5"});
}

BOOST_AUTO_TEST_SUITE_END()
