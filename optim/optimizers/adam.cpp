#include "optim/optimizers/adam.hpp"

#include <cmath>

#include "optim/optimizers/detail/update_kernel.hpp"

namespace grutape {

using detail::splat;

namespace {

// Adam has no decoupled decay; AdamW's is its option.
double decoupled_decay(const AdamOptions&) {
  return 0.0;
}
double decoupled_decay(const AdamWOptions& options) {
  return options.weight_decay();
}

struct AdamCoefficients {
  double beta1, beta2, epsilon, weight_decay;
};

// One step of the moments m and v (and v_max with AMSGrad) and of the parameter.
void adam_pass(Tensor& parameter, Tensor& m, Tensor& v, Tensor* v_max, const Tensor& grad,
               const UpdateBlocks& blocks, std::size_t steps, const AdamCoefficients& c) {
  const double beta1 = c.beta1, beta2 = c.beta2, eps = c.epsilon, decay = c.weight_decay;
  const auto t = static_cast<double>(steps);
  // Bias corrections 1 - beta^t of the zero-initialised moments.
  const double correction1 = 1 - std::pow(beta1, t), correction2 = 1 - std::pow(beta2, t);
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
  if (v_max == nullptr) {
    detail::update_in_place<2>(parameter, {&m, &v}, grad, blocks,
                               [=](auto& s, auto g, const auto& r) {
                                 moments(s, g, r);
                                 step(s, r, s[2]);
                               });
    return;
  }
  detail::update_in_place<3>(parameter, {&m, &v, v_max}, grad, blocks,
                             [=](auto& s, auto g, const auto& r) {
                               moments(s, g, r);
                               // AMSGrad: v_max_t = max(v_max_{t-1}, v_t) replaces v_t
                               s[3] = xsimd::max(s[3], s[2]);
                               step(s, r, s[3]);
                             });
}

}  // namespace

template <class Options>
std::vector<std::string> AdamFamily<Options>::slot_names() const {
  if (this->options().amsgrad()) return {"m", "v", "v_max"};
  return {"m", "v"};
}

template <class Options>
void AdamFamily<Options>::update(Tensor& parameter, const Tensor& grad,
                                 Optimizer::ParamState& state, const UpdateBlocks& blocks) {
  const Options& o = this->options();
  Tensor& m = this->slot(state, "m", parameter, 0.0);
  Tensor& v = this->slot(state, "v", parameter, 0.0);
  Tensor* v_max = o.amsgrad() ? &this->slot(state, "v_max", parameter, 0.0) : nullptr;
  adam_pass(parameter, m, v, v_max, grad, blocks, state.steps,
            {o.beta1(), o.beta2(), o.epsilon(), decoupled_decay(o)});
}

template class AdamFamily<AdamOptions>;
template class AdamFamily<AdamWOptions>;

Adam::Adam(AdamOptions options) : AdamFamily("adam", std::move(options)) {}

AdamW::AdamW(AdamWOptions options) : AdamFamily("adamw", std::move(options)) {}

}  // namespace grutape
