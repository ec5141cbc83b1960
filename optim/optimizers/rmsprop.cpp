#include "optim/optimizers/rmsprop.hpp"

#include "optim/optimizers/detail/update_kernel.hpp"

namespace grutape {

using detail::splat;

namespace {

// The four variants share the mean-square update and differ in the slots they carry: v, then
// g_mean when centered, then the momentum buffer when momentum > 0.
template <bool Centered, bool Momentum>
void rmsprop_pass(Tensor& parameter, const std::array<Tensor*, 1 + Centered + Momentum>& slots,
                  const Tensor& grad, const UpdateBlocks& blocks, double rho, double momentum,
                  double eps) {
  constexpr std::size_t S = 1 + Centered + Momentum;
  detail::update_in_place<S>(parameter, slots, grad, blocks, [=](auto& s, auto g, const auto& r) {
    using B = decltype(g);
    const B d = g + r.l2 * s[0];
    // v_t = rho v_{t-1} + (1 - rho) d^2
    s[1] = splat<B>(rho) * s[1] + splat<B>(1 - rho) * d * d;
    B variance = s[1];
    if constexpr (Centered) {
      // g_mean_t = rho g_mean_{t-1} + (1 - rho) d;  variance = v_t - g_mean_t^2
      s[2] = splat<B>(rho) * s[2] + splat<B>(1 - rho) * d;
      variance = s[1] - s[2] * s[2];
    }
    const B scaled = d / (xsimd::sqrt(variance) + splat<B>(eps));
    if constexpr (Momentum) {
      // b_t = momentum b_{t-1} + d / (sqrt(variance) + eps);  w <- w - lr b_t
      s[S] = splat<B>(momentum) * s[S] + scaled;
      s[0] = s[0] - r.learning_rate * s[S];
    } else {
      // w <- w - lr d / (sqrt(variance) + eps)
      s[0] = s[0] - r.learning_rate * scaled;
    }
  });
}

}  // namespace

Rmsprop::Rmsprop(RmspropOptions options) : OptimizerWith("rmsprop", std::move(options)) {}

std::vector<std::string> Rmsprop::slot_names() const {
  std::vector<std::string> names{"v"};
  if (options().centered()) names.push_back("g_mean");
  if (options().momentum() > 0) names.push_back("momentum");
  return names;
}

void Rmsprop::update(Tensor& parameter, const Tensor& grad, ParamState& state,
                     const UpdateBlocks& blocks) {
  const double rho = options().rho(), momentum = options().momentum(), eps = options().epsilon();
  const bool centered = options().centered();
  Tensor* v = &slot(state, "v", parameter, 0.0);
  Tensor* g_mean = centered ? &slot(state, "g_mean", parameter, 0.0) : nullptr;
  Tensor* buffer = momentum > 0 ? &slot(state, "momentum", parameter, 0.0) : nullptr;
  if (centered && buffer) {
    rmsprop_pass<true, true>(parameter, {v, g_mean, buffer}, grad, blocks, rho, momentum, eps);
  } else if (centered) {
    rmsprop_pass<true, false>(parameter, {v, g_mean}, grad, blocks, rho, momentum, eps);
  } else if (buffer) {
    rmsprop_pass<false, true>(parameter, {v, buffer}, grad, blocks, rho, momentum, eps);
  } else {
    rmsprop_pass<false, false>(parameter, {v}, grad, blocks, rho, momentum, eps);
  }
}

}  // namespace grutape
