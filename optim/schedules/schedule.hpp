#pragma once
// Learning-rate schedules: the rate as a pure function of the position (epoch or iteration,
// counted from 0), so a checkpoint needs to store only the position to resume a schedule exactly.
// The caller feeds the result to Optimizer::set_learning_rate. ReduceOnPlateau, which depends on
// the metrics seen, is in plateau.hpp.
//
//   step_decay         r(s) = initial * factor^floor(s / step_size)
//   exponential_decay  r(s) = initial * decay_rate^(s / decay_steps)   (floor'd when staircase)
//   cosine_decay       r(s) = min + (initial - min) * (1 + cos(pi * min(s, decay_steps) /
//                             decay_steps)) / 2
//   linear_warmup      r(s) = start + (after(0) - start) * s / warmup_steps  for s < warmup_steps,
//                             after(s - warmup_steps) from then on
//   piecewise_constant r(s) = values[i] for boundaries[i-1] < s <= boundaries[i] (Keras)
//
// Configs name a schedule as {"name": ..., "parameters": {...}}; linear_warmup adds "after". The
// names are a registry (core/registry.hpp): the five above and every schedule a program
// registers, which configs then name like a built-in one.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace grutape {

class LearningRateSchedule {
 public:
  virtual ~LearningRateSchedule() = default;
  /// The learning rate at position `step` (0 for the first).
  virtual double rate(std::size_t step) const = 0;
  /// The configuration, rebuilt by schedule_from_json.
  virtual nlohmann::json to_json() const = 0;
};

class StepDecay : public LearningRateSchedule {
 public:
  /// A ValueError carrying the value unless initial_rate and factor are finite and >= 0 and
  /// step_size >= 1.
  StepDecay(double initial_rate, double factor, std::size_t step_size);
  double rate(std::size_t step) const override;
  nlohmann::json to_json() const override;

 private:
  double initial_rate_, factor_;
  std::size_t step_size_;
};

class ExponentialDecay : public LearningRateSchedule {
 public:
  /// A ValueError carrying the value unless initial_rate >= 0, decay_rate > 0 (both finite) and
  /// decay_steps >= 1.
  ExponentialDecay(double initial_rate, double decay_rate, std::size_t decay_steps,
                   bool staircase = false);
  double rate(std::size_t step) const override;
  nlohmann::json to_json() const override;

 private:
  double initial_rate_, decay_rate_;
  std::size_t decay_steps_;
  bool staircase_;
};

class CosineDecay : public LearningRateSchedule {
 public:
  /// A ValueError carrying the value unless 0 <= minimum_rate <= initial_rate (finite) and
  /// decay_steps >= 1.
  CosineDecay(double initial_rate, std::size_t decay_steps, double minimum_rate = 0);
  double rate(std::size_t step) const override;
  nlohmann::json to_json() const override;

 private:
  double initial_rate_;
  std::size_t decay_steps_;
  double minimum_rate_;
};

class LinearWarmup : public LearningRateSchedule {
 public:
  /// Ramps from start_rate to after->rate(0) over warmup_steps, then runs `after` from its start;
  /// a ValueError for a null `after` or a start_rate that is negative or not finite.
  LinearWarmup(std::shared_ptr<const LearningRateSchedule> after, std::size_t warmup_steps,
               double start_rate = 0);
  double rate(std::size_t step) const override;
  nlohmann::json to_json() const override;

 private:
  std::shared_ptr<const LearningRateSchedule> after_;
  std::size_t warmup_steps_;
  double start_rate_;
};

class PiecewiseConstant : public LearningRateSchedule {
 public:
  /// A ValueError unless values has one more entry than boundaries, boundaries increase
  /// strictly and every value is finite and >= 0.
  PiecewiseConstant(std::vector<std::size_t> boundaries, std::vector<double> values);
  double rate(std::size_t step) const override;
  nlohmann::json to_json() const override;

 private:
  std::vector<std::size_t> boundaries_;
  std::vector<double> values_;
};

/// Builds a schedule from its whole spec {"name", "parameters", ...}; `where` names the spec in
/// messages. A ValueError for a missing, unknown or ill-typed key or a value out of range.
using ScheduleFactory = std::function<std::shared_ptr<const LearningRateSchedule>(
    const nlohmann::json& spec, const std::string& where)>;

/// Makes schedule_from_json call `factory` for specs with "name": `name` (the schedule's
/// to_json should write that name). A ValueError for an empty name or factory, a built-in name
/// or one registered already.
void register_schedule(const std::string& name, ScheduleFactory factory);
/// Forgets a registered schedule; a ValueError for a built-in name or one not registered.
void unregister_schedule(const std::string& name);

/// step_decay, exponential_decay, cosine_decay, linear_warmup, piecewise_constant, then the
/// registered names, sorted.
std::vector<std::string> schedule_names();

/// The schedule a to_json() wrote; a ValueError naming the key for an unknown name (listing the
/// known ones), a missing, unknown or ill-typed parameter or a value out of range.
std::shared_ptr<const LearningRateSchedule> schedule_from_json(const nlohmann::json& json);

}  // namespace grutape
