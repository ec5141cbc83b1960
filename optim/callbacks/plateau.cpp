#include "optim/callbacks/plateau.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/detail/option_checks.hpp"
#include "core/error.hpp"
#include "optim/optimizers/detail/state_json.hpp"

namespace grutape {
namespace {

const ReduceOnPlateauOptions& validated(const ReduceOnPlateauOptions& o) {
  detail::require_option(o.factor() > 0 && o.factor() < 1, "reduce_on_plateau", "factor",
                         "in (0, 1)", o.factor());
  detail::require_option(detail::finite_non_negative(o.min_delta()), "reduce_on_plateau",
                         "min_delta", ">= 0 and finite", o.min_delta());
  detail::require_option(detail::finite_non_negative(o.min_rate()), "reduce_on_plateau", "min_rate",
                         ">= 0 and finite", o.min_rate());
  return o;
}

}  // namespace

ReduceOnPlateau::ReduceOnPlateau(double initial_rate, ReduceOnPlateauOptions options)
    : options_(validated(options)),
      rate_(initial_rate),
      best_(options.mode() == PlateauMode::min ? std::numeric_limits<double>::infinity()
                                               : -std::numeric_limits<double>::infinity()) {
  detail::require_option(detail::finite_non_negative(initial_rate), "reduce_on_plateau",
                         "initial_rate", ">= 0 and finite", initial_rate);
}

bool ReduceOnPlateau::improves(double metric) const {
  if (options_.mode() == PlateauMode::min) return metric < best_ - options_.min_delta();
  return metric > best_ + options_.min_delta();
}

double ReduceOnPlateau::observe(double metric) {
  if (cooldown_counter_ > 0) {
    --cooldown_counter_;
    wait_ = 0;
  }
  if (improves(metric)) {
    best_ = metric;
    wait_ = 0;
  } else if (cooldown_counter_ == 0) {
    ++wait_;
    if (wait_ >= options_.patience()) {
      if (rate_ > options_.min_rate()) {
        rate_ = std::max(rate_ * options_.factor(), options_.min_rate());
        cooldown_counter_ = options_.cooldown();
        wait_ = 0;
      }
    }
  }
  return rate_;
}

nlohmann::json ReduceOnPlateau::state() const {
  return {{"rate", double_to_hex(rate_)},
          {"best", double_to_hex(best_)},
          {"wait", wait_},
          {"cooldown_counter", cooldown_counter_}};
}

void ReduceOnPlateau::load_state(const nlohmann::json& state) {
  const std::string where = "reduce_on_plateau::load_state";
  auto member = [&](const char* key) -> const nlohmann::json& {
    if (!state.is_object() || !state.contains(key)) {
      throw ValueError(where, std::string("key \"") + key + "\"", state.dump().substr(0, 80));
    }
    return state.at(key);
  };
  auto hex = [&](const char* key) {
    const auto& value = member(key);
    if (!value.is_string())
      throw ValueError(where, std::string("a hex string \"") + key + "\"", value.dump());
    return double_from_hex(value.get<std::string>(), where + " " + key);
  };
  auto count = [&](const char* key) {
    const auto& value = member(key);
    if (!value.is_number_unsigned()) {
      throw ValueError(where, std::string("a non-negative integer \"") + key + "\"", value.dump());
    }
    return value.get<std::size_t>();
  };
  const double rate = hex("rate"), best = hex("best");
  const std::size_t wait = count("wait"), cooldown_counter = count("cooldown_counter");
  detail::require_option(detail::finite_non_negative(rate), where, "rate", ">= 0 and finite", rate);
  rate_ = rate;
  best_ = best;
  wait_ = wait;
  cooldown_counter_ = cooldown_counter;
}

}  // namespace grutape
