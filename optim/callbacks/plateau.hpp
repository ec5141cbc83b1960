#pragma once
// Reduce the learning rate when a metric stops improving (Keras' ReduceLROnPlateau).
//
// After each observed metric m:
//   - in cooldown (counter > 0): the counter drops by one and the wait restarts at 0;
//   - m improves on the best (min mode: m < best - min_delta; max mode: m > best + min_delta):
//     best = m, wait = 0;
//   - otherwise, unless still in cooldown: wait += 1; at wait >= patience, if rate > min_rate:
//     rate = max(rate * factor, min_rate), cooldown counter = cooldown, wait = 0.
// A NaN metric never improves.

#include <cstddef>

#include <nlohmann/json_fwd.hpp>

#include "core/enum_names.hpp"
#include "core/option_arg.hpp"

namespace grutape {

enum class PlateauMode { min, max };

template <>
struct EnumNames<PlateauMode> {
  static constexpr NamedValue<PlateauMode> values[] = {{PlateauMode::min, "min"},
                                                       {PlateauMode::max, "max"}};
};

struct ReduceOnPlateauOptions {
  /// Whether a lower (loss) or higher (accuracy) metric is better; default min.
  GRUTAPE_ARG_DEFAULT(PlateauMode, mode, PlateauMode::min);
  /// Multiplies the rate on a plateau, in (0, 1); default 0.1.
  GRUTAPE_ARG_DEFAULT(double, factor, 0.1);
  /// Non-improving observations before a reduction; default 10.
  GRUTAPE_ARG_DEFAULT(std::size_t, patience, 10);
  /// Smallest change that counts as an improvement, >= 0; default 1e-4.
  GRUTAPE_ARG_DEFAULT(double, min_delta, 1e-4);
  /// Observations after a reduction during which no plateau is counted; default 0.
  GRUTAPE_ARG_DEFAULT(std::size_t, cooldown, 0);
  /// The rate is never reduced below this, >= 0; default 0.
  GRUTAPE_ARG_DEFAULT(double, min_rate, 0.0);

 public:
  /// The fields as configs name them (core/fields.hpp).
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit("mode", self.mode_);
    visit("factor", self.factor_);
    visit("patience", self.patience_);
    visit("min_delta", self.min_delta_);
    visit("cooldown", self.cooldown_);
    visit("min_rate", self.min_rate_);
  }
};

class ReduceOnPlateau {
 public:
  /// A ValueError carrying the value for an initial_rate < 0 or an option out of range.
  explicit ReduceOnPlateau(double initial_rate, ReduceOnPlateauOptions options = {});

  /// Takes the metric of one epoch and returns the (possibly reduced) rate.
  double observe(double metric);
  /// The current rate.
  double rate() const { return rate_; }
  /// The best metric so far (+inf in min mode, -inf in max mode before any).
  double best() const { return best_; }
  const ReduceOnPlateauOptions& options() const { return options_; }

  /// {"rate", "best", "wait", "cooldown_counter"}, doubles as exact hex bits.
  nlohmann::json state() const;
  /// Restores state(); a ValueError naming the key for a missing or ill-typed entry. Unchanged
  /// when it throws.
  void load_state(const nlohmann::json& state);

 private:
  bool improves(double metric) const;

  ReduceOnPlateauOptions options_;
  double rate_;
  double best_;
  std::size_t wait_ = 0;
  std::size_t cooldown_counter_ = 0;
};

}  // namespace grutape
