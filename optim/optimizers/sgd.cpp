#include "optim/optimizers/sgd.hpp"

#include <nlohmann/json.hpp>

#include "core/detail/option_checks.hpp"
#include "optim/optimizers/detail/update_kernel.hpp"

namespace grutape {

using detail::splat;

namespace {

const SgdOptions& validated(const SgdOptions& o) {
  detail::require_option(detail::finite_non_negative(o.momentum()), "sgd", "momentum",
                         ">= 0 and finite", o.momentum());
  detail::require_option(o.dampening() >= 0 && o.dampening() <= 1, "sgd", "dampening", "in [0, 1]",
                         o.dampening());
  if (o.nesterov()) {
    detail::require_option(o.momentum() > 0, "sgd", "momentum", "> 0 for Nesterov", o.momentum());
    detail::require_option(o.dampening() == 0, "sgd", "dampening", "= 0 for Nesterov",
                           o.dampening());
  }
  return o;
}

}  // namespace

Sgd::Sgd(SgdOptions options)
    : Optimizer("sgd", options.learning_rate(), options.l2_regularization()),
      options_(validated(options)) {}

std::vector<std::string> Sgd::slot_names() const {
  if (options_.momentum() == 0) return {};
  return {"momentum"};
}

nlohmann::json Sgd::options_json() const {
  return {{"learning_rate", options_.learning_rate()},
          {"momentum", options_.momentum()},
          {"dampening", options_.dampening()},
          {"nesterov", options_.nesterov()},
          {"l2_regularization", options_.l2_regularization()}};
}

void Sgd::update(Tensor& parameter, const Tensor& grad, ParamState& state,
                 const UpdateBlocks& blocks) {
  if (options_.momentum() == 0) {
    detail::update_in_place<0>(parameter, {}, grad, blocks, [](auto& s, auto g, const auto& r) {
      // w <- w - lr (g + l2 w)
      s[0] = s[0] - r.learning_rate * (g + r.l2 * s[0]);
    });
    return;
  }
  const double mu = options_.momentum(), dampening = options_.dampening();
  const bool first = state.steps == 1, nesterov = options_.nesterov();
  Tensor& buffer = slot(state, "momentum", parameter, 0.0);
  detail::update_in_place<1>(parameter, {&buffer}, grad, blocks,
                             [=](auto& s, auto g, const auto& r) {
                               using B = decltype(g);
                               const B d = g + r.l2 * s[0];
                               // b_1 = d_1;  b_t = mu b_{t-1} + (1 - dampening) d_t
                               s[1] = first ? d : splat<B>(mu) * s[1] + splat<B>(1 - dampening) * d;
                               // Nesterov: w <- w - lr (d_t + mu b_t);  heavy ball: w <- w - lr b_t
                               const B direction = nesterov ? d + splat<B>(mu) * s[1] : s[1];
                               s[0] = s[0] - r.learning_rate * direction;
                             });
}

}  // namespace grutape
