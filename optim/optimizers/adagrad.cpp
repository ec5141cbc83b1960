#include "optim/optimizers/adagrad.hpp"

#include <nlohmann/json.hpp>

#include "core/detail/option_checks.hpp"
#include "optim/optimizers/detail/update_kernel.hpp"

namespace grutape {

using detail::splat;

namespace {

const AdagradOptions& validated(const AdagradOptions& o) {
  detail::require_option(detail::finite_non_negative(o.initial_accumulator_value()), "adagrad",
                         "initial_accumulator_value", ">= 0 and finite",
                         o.initial_accumulator_value());
  detail::require_option(detail::finite_non_negative(o.epsilon()), "adagrad", "epsilon",
                         ">= 0 and finite", o.epsilon());
  return o;
}

}  // namespace

Adagrad::Adagrad(AdagradOptions options)
    : Optimizer("adagrad", validated(options).learning_rate(), options.l2_regularization()),
      options_(std::move(options)) {}

nlohmann::json Adagrad::options_json() const {
  return {{"learning_rate", options_.learning_rate()},
          {"initial_accumulator_value", options_.initial_accumulator_value()},
          {"epsilon", options_.epsilon()},
          {"l2_regularization", options_.l2_regularization()}};
}

void Adagrad::update(Tensor& parameter, const Tensor& grad, ParamState& state,
                     const UpdateBlocks& blocks) {
  const double eps = options_.epsilon();
  Tensor& sum = slot(state, "sum", parameter, options_.initial_accumulator_value());
  detail::update_in_place<1>(parameter, {&sum}, grad, blocks, [=](auto& s, auto g, const auto& r) {
    using B = decltype(g);
    const B d = g + r.l2 * s[0];
    // sum_t = sum_{t-1} + d^2;  w <- w - lr d / (sqrt(sum_t) + eps)
    s[1] = s[1] + d * d;
    s[0] = s[0] - r.learning_rate * d / (xsimd::sqrt(s[1]) + splat<B>(eps));
  });
}

}  // namespace grutape
