#include "optim/schedules/schedule.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/detail/option_checks.hpp"
#include "core/error.hpp"

namespace grutape {
namespace {

constexpr double kPi = 3.141592653589793238462643383279502884;

void require_rate(double value, const std::string& where, const std::string& name) {
  detail::require_option(detail::finite_non_negative(value), where, name, ">= 0 and finite", value);
}

void require_steps(std::size_t value, const std::string& where, const std::string& name) {
  detail::require_option(value >= 1, where, name, ">= 1", static_cast<double>(value));
}

nlohmann::json spec(const char* name, nlohmann::json parameters) {
  return {{"name", name}, {"parameters", std::move(parameters)}};
}

// Typed access to a schedule's parameters with errors naming the schedule and the key.
class Reader {
 public:
  Reader(const nlohmann::json& parameters, std::string where)
      : parameters_(parameters), where_(std::move(where)) {}

  const nlohmann::json& at(const std::string& key) const {
    if (!parameters_.contains(key)) throw ValueError(where_, "parameter \"" + key + "\"", "none");
    return parameters_.at(key);
  }
  double number(const std::string& key) const {
    const auto& value = at(key);
    if (!value.is_number()) throw ValueError(where_, "a number \"" + key + "\"", value.dump());
    return value.get<double>();
  }
  std::size_t count(const std::string& key) const {
    const auto& value = at(key);
    if (!value.is_number_unsigned()) {
      throw ValueError(where_, "a non-negative integer \"" + key + "\"", value.dump());
    }
    return value.get<std::size_t>();
  }
  bool flag(const std::string& key) const {
    const auto& value = at(key);
    if (!value.is_boolean()) throw ValueError(where_, "a boolean \"" + key + "\"", value.dump());
    return value.get<bool>();
  }

 private:
  const nlohmann::json& parameters_;
  std::string where_;
};

}  // namespace

StepDecay::StepDecay(double initial_rate, double factor, std::size_t step_size)
    : initial_rate_(initial_rate), factor_(factor), step_size_(step_size) {
  require_rate(initial_rate, "step_decay", "initial_rate");
  require_rate(factor, "step_decay", "factor");
  require_steps(step_size, "step_decay", "step_size");
}

double StepDecay::rate(std::size_t step) const {
  // r(s) = initial * factor^floor(s / step_size)
  return initial_rate_ * std::pow(factor_, static_cast<double>(step / step_size_));
}

nlohmann::json StepDecay::to_json() const {
  return spec("step_decay",
              {{"initial_rate", initial_rate_}, {"factor", factor_}, {"step_size", step_size_}});
}

ExponentialDecay::ExponentialDecay(double initial_rate, double decay_rate, std::size_t decay_steps,
                                   bool staircase)
    : initial_rate_(initial_rate),
      decay_rate_(decay_rate),
      decay_steps_(decay_steps),
      staircase_(staircase) {
  require_rate(initial_rate, "exponential_decay", "initial_rate");
  detail::require_option(std::isfinite(decay_rate) && decay_rate > 0, "exponential_decay",
                         "decay_rate", "> 0 and finite", decay_rate);
  require_steps(decay_steps, "exponential_decay", "decay_steps");
}

double ExponentialDecay::rate(std::size_t step) const {
  // r(s) = initial * decay_rate^(s / decay_steps), the exponent floor'd when staircase
  const double exponent = staircase_ ? static_cast<double>(step / decay_steps_)
                                     : static_cast<double>(step) / decay_steps_;
  return initial_rate_ * std::pow(decay_rate_, exponent);
}

nlohmann::json ExponentialDecay::to_json() const {
  return spec("exponential_decay", {{"initial_rate", initial_rate_},
                                    {"decay_rate", decay_rate_},
                                    {"decay_steps", decay_steps_},
                                    {"staircase", staircase_}});
}

CosineDecay::CosineDecay(double initial_rate, std::size_t decay_steps, double minimum_rate)
    : initial_rate_(initial_rate), decay_steps_(decay_steps), minimum_rate_(minimum_rate) {
  require_rate(initial_rate, "cosine_decay", "initial_rate");
  require_steps(decay_steps, "cosine_decay", "decay_steps");
  detail::require_option(
      minimum_rate >= 0 && minimum_rate <= initial_rate, "cosine_decay", "minimum_rate",
      "in [0, initial_rate = " + detail::number_to_string(initial_rate) + "]", minimum_rate);
}

double CosineDecay::rate(std::size_t step) const {
  // r(s) = min + (initial - min) (1 + cos(pi min(s, T) / T)) / 2
  const double progress =
      static_cast<double>(std::min(step, decay_steps_)) / static_cast<double>(decay_steps_);
  return minimum_rate_ + (initial_rate_ - minimum_rate_) * 0.5 * (1 + std::cos(kPi * progress));
}

nlohmann::json CosineDecay::to_json() const {
  return spec("cosine_decay", {{"initial_rate", initial_rate_},
                               {"decay_steps", decay_steps_},
                               {"minimum_rate", minimum_rate_}});
}

LinearWarmup::LinearWarmup(std::shared_ptr<const LearningRateSchedule> after,
                           std::size_t warmup_steps, double start_rate)
    : after_(std::move(after)), warmup_steps_(warmup_steps), start_rate_(start_rate) {
  if (!after_) throw ValueError("linear_warmup", "a schedule to run after the warm-up", "null");
  require_rate(start_rate, "linear_warmup", "start_rate");
}

double LinearWarmup::rate(std::size_t step) const {
  if (step >= warmup_steps_) return after_->rate(step - warmup_steps_);
  // r(s) = start + (after(0) - start) s / warmup_steps
  const double target = after_->rate(0);
  return start_rate_ + (target - start_rate_) * static_cast<double>(step) / warmup_steps_;
}

nlohmann::json LinearWarmup::to_json() const {
  nlohmann::json json =
      spec("linear_warmup", {{"warmup_steps", warmup_steps_}, {"start_rate", start_rate_}});
  json["after"] = after_->to_json();
  return json;
}

PiecewiseConstant::PiecewiseConstant(std::vector<std::size_t> boundaries,
                                     std::vector<double> values)
    : boundaries_(std::move(boundaries)), values_(std::move(values)) {
  if (values_.size() != boundaries_.size() + 1) {
    throw ValueError("piecewise_constant",
                     std::to_string(boundaries_.size() + 1) + " values for " +
                         std::to_string(boundaries_.size()) + " boundaries",
                     std::to_string(values_.size()) + " values");
  }
  for (std::size_t i = 1; i < boundaries_.size(); ++i) {
    if (boundaries_[i] <= boundaries_[i - 1]) {
      throw ValueError(
          "piecewise_constant", "strictly increasing boundaries",
          std::to_string(boundaries_[i - 1]) + " then " + std::to_string(boundaries_[i]));
    }
  }
  for (double value : values_) require_rate(value, "piecewise_constant", "value");
}

double PiecewiseConstant::rate(std::size_t step) const {
  // The first boundary at or past `step` picks the value; past the last one, the last value.
  const auto found = std::lower_bound(boundaries_.begin(), boundaries_.end(), step);
  return values_[static_cast<std::size_t>(found - boundaries_.begin())];
}

nlohmann::json PiecewiseConstant::to_json() const {
  return spec("piecewise_constant", {{"boundaries", boundaries_}, {"values", values_}});
}

std::shared_ptr<const LearningRateSchedule> schedule_from_json(const nlohmann::json& json) {
  const std::string where = "schedule_from_json";
  if (!json.is_object() || !json.contains("name") || !json.at("name").is_string()) {
    throw ValueError(where, "an object with a string \"name\"", json.dump().substr(0, 80));
  }
  const std::string name = json.at("name").get<std::string>();
  if (!json.contains("parameters") || !json.at("parameters").is_object()) {
    throw ValueError(where + " " + name, "a \"parameters\" object", json.dump().substr(0, 80));
  }
  // Parameters are read one statement at a time so that the first missing one is reported.
  const Reader p(json.at("parameters"), where + " " + name);
  if (name == "step_decay") {
    const double initial_rate = p.number("initial_rate"), factor = p.number("factor");
    return std::make_shared<StepDecay>(initial_rate, factor, p.count("step_size"));
  }
  if (name == "exponential_decay") {
    const double initial_rate = p.number("initial_rate"), decay_rate = p.number("decay_rate");
    const std::size_t decay_steps = p.count("decay_steps");
    return std::make_shared<ExponentialDecay>(initial_rate, decay_rate, decay_steps,
                                              p.flag("staircase"));
  }
  if (name == "cosine_decay") {
    const double initial_rate = p.number("initial_rate");
    const std::size_t decay_steps = p.count("decay_steps");
    return std::make_shared<CosineDecay>(initial_rate, decay_steps, p.number("minimum_rate"));
  }
  if (name == "linear_warmup") {
    if (!json.contains("after")) throw ValueError(where + " " + name, "key \"after\"", "none");
    const std::size_t warmup_steps = p.count("warmup_steps");
    const double start_rate = p.number("start_rate");
    return std::make_shared<LinearWarmup>(schedule_from_json(json.at("after")), warmup_steps,
                                          start_rate);
  }
  if (name == "piecewise_constant") {
    std::vector<std::size_t> boundaries;
    std::vector<double> values;
    const auto& b = p.at("boundaries");
    const auto& v = p.at("values");
    if (!b.is_array() || !v.is_array()) {
      throw ValueError(where + " " + name, "arrays \"boundaries\" and \"values\"",
                       b.dump() + " and " + v.dump());
    }
    for (const auto& item : b) {
      if (!item.is_number_unsigned()) {
        throw ValueError(where + " " + name, "non-negative integer boundaries", b.dump());
      }
      boundaries.push_back(item.get<std::size_t>());
    }
    for (const auto& item : v) {
      if (!item.is_number()) throw ValueError(where + " " + name, "numeric values", v.dump());
      values.push_back(item.get<double>());
    }
    return std::make_shared<PiecewiseConstant>(std::move(boundaries), std::move(values));
  }
  throw ValueError(where,
                   "a schedule among (step_decay, exponential_decay, cosine_decay, "
                   "linear_warmup, piecewise_constant)",
                   "'" + name + "'");
}

}  // namespace grutape
