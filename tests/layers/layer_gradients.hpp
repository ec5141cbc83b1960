#pragma once
// Gradient checks of a layer's parameters: check_gradients varies the inputs it is given, but a
// layer's parameters live inside it, so here each parameter element is shifted in place.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <functional>

#include "autodiff/grad_mode.hpp"
#include "layers/layer.hpp"
#include "tests/test_helpers.hpp"

namespace grutape::testing {

/// Float64 central differences of sum(w * run()) with respect to every element of every
/// parameter of `layer`, against the tape's gradients; the error measure and tolerance are those
/// of check_gradients. `run` must call the layer on fixed inputs.
inline void require_parameter_gradients(Layer& layer, const std::function<Value()>& run,
                                        double tolerance = 1e-7) {
  const double step = 1e-6;
  Value out = run();  // builds the layer on its first call
  auto parameters = layer.named_parameters();
  BOOST_REQUIRE(!parameters.empty());
  for (auto& [_, parameter] : parameters) parameter.zero_grad();
  const Tensor weights = random_tensor(out.shape(), 7, 0.5, 1.5);
  out.backward(weights);
  auto loss = [&] {
    NoGradScope no_grad;
    const Tensor y = run().value();
    double total = 0;
    for (std::size_t i = 0; i < y.size(); ++i) total += y.flat(i) * weights.flat(i);
    return total;
  };
  for (auto& [name, parameter] : parameters) {
    BOOST_REQUIRE_MESSAGE(parameter.has_grad(), name << " received no gradient");
    const Tensor grad = parameter.grad().clone();
    double* data = parameter.mutable_value().array<double>().data();
    double worst = 0;
    for (std::size_t j = 0; j < grad.size(); ++j) {
      const double saved = data[j];
      data[j] = saved + step;
      const double plus = loss();
      data[j] = saved - step;
      const double minus = loss();
      data[j] = saved;
      const double numeric = (plus - minus) / (2 * step), analytic = grad.flat(j);
      const double scale = std::max({1.0, std::abs(analytic), std::abs(numeric)});
      worst = std::max(worst, std::abs(analytic - numeric) / scale);
    }
    BOOST_TEST(worst <= tolerance, name << ": worst relative error " << worst);
  }
}

}  // namespace grutape::testing
