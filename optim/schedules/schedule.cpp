#include "optim/schedules/schedule.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/detail/option_checks.hpp"
#include "core/error.hpp"
#include "core/fields.hpp"
#include "core/json_reader.hpp"
#include "core/registry.hpp"

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

namespace {

// The two levels of a schedule's spec {"name", "parameters": {...}}: each built-in reads its
// parameters one statement at a time, so that the first missing one is the one reported, then
// finish() rejects every key it did not read.
struct SpecReader {
  JsonReader spec;
  JsonReader parameters;

  SpecReader(const nlohmann::json& json, const std::string& where)
      : spec(json, where), parameters(spec.value("parameters"), spec.where("parameters")) {
    spec.has("name");
  }
  void finish() const {
    parameters.finish();
    spec.finish();
  }
};

std::shared_ptr<const LearningRateSchedule> step_decay_from_json(const nlohmann::json& json,
                                                                 const std::string& where) {
  SpecReader in(json, where);
  const double initial_rate = in.parameters.number("initial_rate");
  const double factor = in.parameters.number("factor");
  const std::size_t step_size = in.parameters.size("step_size");
  in.finish();
  return std::make_shared<StepDecay>(initial_rate, factor, step_size);
}

std::shared_ptr<const LearningRateSchedule> exponential_decay_from_json(const nlohmann::json& json,
                                                                        const std::string& where) {
  SpecReader in(json, where);
  const double initial_rate = in.parameters.number("initial_rate");
  const double decay_rate = in.parameters.number("decay_rate");
  const std::size_t decay_steps = in.parameters.size("decay_steps");
  const bool staircase = in.parameters.boolean("staircase");
  in.finish();
  return std::make_shared<ExponentialDecay>(initial_rate, decay_rate, decay_steps, staircase);
}

std::shared_ptr<const LearningRateSchedule> cosine_decay_from_json(const nlohmann::json& json,
                                                                   const std::string& where) {
  SpecReader in(json, where);
  const double initial_rate = in.parameters.number("initial_rate");
  const std::size_t decay_steps = in.parameters.size("decay_steps");
  const double minimum_rate = in.parameters.number("minimum_rate");
  in.finish();
  return std::make_shared<CosineDecay>(initial_rate, decay_steps, minimum_rate);
}

std::shared_ptr<const LearningRateSchedule> linear_warmup_from_json(const nlohmann::json& json,
                                                                    const std::string& where) {
  SpecReader in(json, where);
  const std::size_t warmup_steps = in.parameters.size("warmup_steps");
  const double start_rate = in.parameters.number("start_rate");
  auto after = schedule_from_json(in.spec.value("after"));
  in.finish();
  return std::make_shared<LinearWarmup>(std::move(after), warmup_steps, start_rate);
}

std::shared_ptr<const LearningRateSchedule> piecewise_constant_from_json(const nlohmann::json& json,
                                                                         const std::string& where) {
  SpecReader in(json, where);
  auto boundaries = field_from_json<std::vector<std::size_t>>(in.parameters.value("boundaries"),
                                                              in.parameters.where("boundaries"));
  auto values = field_from_json<std::vector<double>>(in.parameters.value("values"),
                                                     in.parameters.where("values"));
  in.finish();
  return std::make_shared<PiecewiseConstant>(std::move(boundaries), std::move(values));
}

Registry<ScheduleFactory>& schedule_registry() {
  static Registry<ScheduleFactory> registry(
      {"name", "a schedule", "register_schedule", "unregister_schedule"},
      {{"step_decay", step_decay_from_json},
       {"exponential_decay", exponential_decay_from_json},
       {"cosine_decay", cosine_decay_from_json},
       {"linear_warmup", linear_warmup_from_json},
       {"piecewise_constant", piecewise_constant_from_json}});
  return registry;
}

}  // namespace

void register_schedule(const std::string& name, ScheduleFactory factory) {
  schedule_registry().add(name, std::move(factory));
}

void unregister_schedule(const std::string& name) {
  schedule_registry().remove(name);
}

std::vector<std::string> schedule_names() {
  return schedule_registry().names();
}

std::shared_ptr<const LearningRateSchedule> schedule_from_json(const nlohmann::json& json) {
  const std::string where = "schedule_from_json";
  JsonReader in(json, where);
  const std::string name = in.string("name");
  return schedule_registry().find(name, where)(json, where + " " + name);
}

}  // namespace grutape
