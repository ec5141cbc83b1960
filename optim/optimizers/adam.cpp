#include "optim/optimizers/adam.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "core/detail/option_checks.hpp"
#include "optim/optimizers/detail/update_kernel.hpp"

namespace grutape {

using detail::splat;

namespace {

AdamOptions validated(const AdamOptions& o, const std::string& where) {
  detail::require_option(detail::in_unit_interval_open(o.beta1()), where, "beta1", "in [0, 1)",
                         o.beta1());
  detail::require_option(detail::in_unit_interval_open(o.beta2()), where, "beta2", "in [0, 1)",
                         o.beta2());
  detail::require_option(detail::finite_non_negative(o.epsilon()), where, "epsilon",
                         ">= 0 and finite", o.epsilon());
  return o;
}

AdamOptions adam_part(const AdamWOptions& o) {
  return AdamOptions()
      .learning_rate(o.learning_rate())
      .beta1(o.beta1())
      .beta2(o.beta2())
      .epsilon(o.epsilon())
      .amsgrad(o.amsgrad())
      .l2_regularization(o.l2_regularization());
}

double validated_decay(double weight_decay) {
  detail::require_option(detail::finite_non_negative(weight_decay), "adamw", "weight_decay",
                         ">= 0 and finite", weight_decay);
  return weight_decay;
}

}  // namespace

Adam::Adam(AdamOptions options) : Adam("adam", std::move(options), 0.0) {}

Adam::Adam(std::string type, AdamOptions options, double weight_decay)
    : Optimizer(type, validated(options, type).learning_rate(), options.l2_regularization()),
      options_(std::move(options)),
      weight_decay_(weight_decay) {}

AdamW::AdamW(AdamWOptions options)
    : Adam("adamw", adam_part(options), validated_decay(options.weight_decay())),
      options_(std::move(options)) {}

nlohmann::json Adam::options_json() const {
  return {{"learning_rate", options_.learning_rate()},
          {"beta1", options_.beta1()},
          {"beta2", options_.beta2()},
          {"epsilon", options_.epsilon()},
          {"amsgrad", options_.amsgrad()},
          {"l2_regularization", options_.l2_regularization()}};
}

nlohmann::json AdamW::options_json() const {
  return {{"learning_rate", options_.learning_rate()},
          {"weight_decay", options_.weight_decay()},
          {"beta1", options_.beta1()},
          {"beta2", options_.beta2()},
          {"epsilon", options_.epsilon()},
          {"amsgrad", options_.amsgrad()},
          {"l2_regularization", options_.l2_regularization()}};
}

std::vector<std::string> Adam::slot_names() const {
  if (options_.amsgrad()) return {"m", "v", "v_max"};
  return {"m", "v"};
}

void Adam::update(Tensor& parameter, const Tensor& grad, ParamState& state,
                  const UpdateBlocks& blocks) {
  const double beta1 = options_.beta1(), beta2 = options_.beta2(), eps = options_.epsilon();
  const double decay = weight_decay_;
  const auto t = static_cast<double>(state.steps);
  // Bias corrections 1 - beta^t of the zero-initialised moments.
  const double correction1 = 1 - std::pow(beta1, t), correction2 = 1 - std::pow(beta2, t);
  Tensor& m = slot(state, "m", parameter, 0.0);
  Tensor& v = slot(state, "v", parameter, 0.0);
  auto step = [=](auto& s, const auto& r, const auto& v_hat) {
    using B = std::decay_t<decltype(v_hat)>;
    // w <- w - lr (m_t / (1 - beta1^t)) / (sqrt(v_t / (1 - beta2^t)) + eps)
    const B m_hat = s[1] / splat<B>(correction1);
    s[0] = s[0] -
           r.learning_rate * m_hat / (xsimd::sqrt(v_hat / splat<B>(correction2)) + splat<B>(eps));
  };
  auto moments = [=](auto& s, auto g, const auto& r) {
    using B = decltype(g);
    // d = g + l2 w_{t-1}
    const B d = g + r.l2 * s[0];
    // AdamW: w <- w - lr (lambda f) w_{t-1} with f the block's L2 factor, before the moment step
    if (decay != 0) s[0] = s[0] - r.learning_rate * (splat<B>(decay) * r.l2_factor) * s[0];
    // m_t = beta1 m_{t-1} + (1 - beta1) d;  v_t = beta2 v_{t-1} + (1 - beta2) d^2
    s[1] = splat<B>(beta1) * s[1] + splat<B>(1 - beta1) * d;
    s[2] = splat<B>(beta2) * s[2] + splat<B>(1 - beta2) * d * d;
  };
  if (!options_.amsgrad()) {
    detail::update_in_place<2>(parameter, {&m, &v}, grad, blocks,
                               [=](auto& s, auto g, const auto& r) {
                                 moments(s, g, r);
                                 step(s, r, s[2]);
                               });
    return;
  }
  Tensor& v_max = slot(state, "v_max", parameter, 0.0);
  detail::update_in_place<3>(parameter, {&m, &v, &v_max}, grad, blocks,
                             [=](auto& s, auto g, const auto& r) {
                               moments(s, g, r);
                               // AMSGrad: v_max_t = max(v_max_{t-1}, v_t) replaces v_t
                               s[3] = xsimd::max(s[3], s[2]);
                               step(s, r, s[3]);
                             });
}

}  // namespace grutape
