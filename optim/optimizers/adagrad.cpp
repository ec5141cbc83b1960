#include "optim/optimizers/adagrad.hpp"

#include "optim/optimizers/detail/update_kernel.hpp"

namespace grutape {

using detail::splat;

Adagrad::Adagrad(AdagradOptions options) : OptimizerWith("adagrad", std::move(options)) {}

void Adagrad::update(Tensor& parameter, const Tensor& grad, ParamState& state,
                     const UpdateBlocks& blocks) {
  const double eps = options().epsilon();
  Tensor& sum = slot(state, "sum", parameter, options().initial_accumulator_value());
  detail::update_in_place<1>(parameter, {&sum}, grad, blocks, [=](auto& s, auto g, const auto& r) {
    using B = decltype(g);
    const B d = g + r.l2 * s[0];
    // sum_t = sum_{t-1} + d^2;  w <- w - lr d / (sqrt(sum_t) + eps)
    s[1] = s[1] + d * d;
    s[0] = s[0] - r.learning_rate * d / (xsimd::sqrt(s[1]) + splat<B>(eps));
  });
}

}  // namespace grutape
