#pragma once
// Per-feature normalisation whose statistics travel with the model. Fit it on the training rows
// only (statistics of validation or test rows would leak into training), apply it to every set,
// and invert it on predictions. The features are the last axis; the statistics are taken over
// every other axis, in float64 whatever the data's dtype.
//
//   standard: y = (x - mean) / std         population std (divisor n, as scikit-learn's
//                                          StandardScaler); a constant feature uses std 1
//   min_max:  y = low + (x - min) * (high - low) / (max - min)
//                                          a constant feature uses max - min = high - low
//
// Its JSON form holds the statistics as numbers that read back to the same doubles.

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/tensor.hpp"

namespace grutape {

/// Standardisation (mean and std) or rescaling of [min, max] onto a range.
enum class NormalizerKind { standard, min_max };

/// "standard" or "min_max".
const char* normalizer_kind_name(NormalizerKind kind);
/// The inverse of normalizer_kind_name; a ValueError names the unknown string.
NormalizerKind normalizer_kind_from_name(const std::string& name);

/// Per-feature scaling fitted on training data, as described at the top of this file.
class Normalizer {
 public:
  /// An unfitted normalizer: apply and invert are ValueErrors until it is fitted or loaded.
  Normalizer() = default;

  /// Mean and population std per feature of `data` (rank >= 2, at least one row, finite values;
  /// a ShapeError or ValueError otherwise).
  static Normalizer fit_standard(const Tensor& data);
  /// Minimum and maximum per feature of `data`, mapped to [low, high] (low < high, finite).
  static Normalizer fit_min_max(const Tensor& data, double low = 0, double high = 1);

  /// True once fitted or loaded.
  bool fitted() const { return !first_.empty(); }
  /// Which of the two scalings it applies.
  NormalizerKind kind() const { return kind_; }
  /// The number of features.
  std::size_t features() const { return first_.size(); }
  /// Per-feature statistics: mean and std (standard), or min and max (min_max); a ValueError
  /// when asked of the other kind.
  const std::vector<double>& mean() const;
  const std::vector<double>& stddev() const;
  const std::vector<double>& minimum() const;
  const std::vector<double>& maximum() const;
  /// The target range of min_max (0 and 1 unless given).
  double low() const { return low_; }
  double high() const { return high_; }

  /// x normalised; x's last extent must be features(). Keeps the dtype.
  Tensor apply(const Tensor& x) const;
  /// The inverse of apply: normalised values back in the data's units.
  Tensor invert(const Tensor& y) const;
  /// A normalizer of the chosen features only, in this order: e.g. the target columns, to
  /// invert predictions of those columns.
  Normalizer select(const std::vector<std::size_t>& features) const;

  /// {"kind": "standard", "mean": [...], "std": [...]} or
  /// {"kind": "min_max", "min": [...], "max": [...], "range": [low, high]}.
  nlohmann::json to_json() const;
  /// The inverse of to_json; a ValueError naming the missing or ill-typed key.
  static Normalizer from_json(const nlohmann::json& json);

 private:
  Normalizer(NormalizerKind kind, std::vector<double> first, std::vector<double> second, double low,
             double high);
  void require_fitted(const char* where) const;
  /// y = (x - shift) / scale + base per feature; shift and scale as tensors of x's dtype.
  Tensor shift(const Tensor& like) const;
  Tensor scale(const Tensor& like) const;
  double base() const { return kind_ == NormalizerKind::min_max ? low_ : 0.0; }

  NormalizerKind kind_ = NormalizerKind::standard;
  std::vector<double> first_;   // mean or min
  std::vector<double> second_;  // std or max
  double low_ = 0;
  double high_ = 1;
};

}  // namespace grutape
