#include "optim/data/normalizer.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "core/detail/option_checks.hpp"
#include "core/tensor_math.hpp"

namespace grutape {
namespace {

struct Moments {
  std::vector<double> first;   // mean or min
  std::vector<double> second;  // std or max
};

// Per-feature statistics of `data` (rows..., features) in float64; `standard` chooses mean and
// std over min and max. Sums run in row order: the same data gives the same bits.
Moments statistics(const Tensor& data, bool standard, const char* where) {
  if (data.rank() < 2 || data.shape().back() == 0 || data.size() == 0) {
    throw ShapeError(where,
                     "data of rank >= 2 (rows..., features) with at least one row and feature",
                     "shape " + shape_to_string(data.shape()));
  }
  const std::size_t features = data.shape().back();
  const std::size_t rows = data.size() / features;
  Moments moments;
  data.visit([&](const auto& array) {
    const auto* x = array.data();
    for (std::size_t i = 0; i < array.size(); ++i) {
      if (!std::isfinite(static_cast<double>(x[i]))) {
        throw ValueError(where, "finite values",
                         detail::number_to_string(static_cast<double>(x[i])) + " in feature " +
                             std::to_string(i % features) + " of row " +
                             std::to_string(i / features));
      }
    }
    if (standard) {
      moments.first.assign(features, 0.0);
      moments.second.assign(features, 0.0);
      for (std::size_t i = 0; i < array.size(); ++i) moments.first[i % features] += x[i];
      for (double& mean : moments.first) mean /= static_cast<double>(rows);
      // Two passes: the squared deviations from the mean lose nothing to cancellation.
      for (std::size_t i = 0; i < array.size(); ++i) {
        const double deviation = x[i] - moments.first[i % features];
        moments.second[i % features] += deviation * deviation;
      }
      for (double& spread : moments.second) spread = std::sqrt(spread / static_cast<double>(rows));
    } else {
      moments.first.assign(x, x + features);
      moments.second.assign(x, x + features);
      for (std::size_t i = features; i < array.size(); ++i) {
        moments.first[i % features] = std::min<double>(moments.first[i % features], x[i]);
        moments.second[i % features] = std::max<double>(moments.second[i % features], x[i]);
      }
    }
  });
  return moments;
}

std::vector<double> number_list(const nlohmann::json& json, const char* key) {
  if (!json.contains(key) || !json.at(key).is_array()) {
    throw ValueError("Normalizer::from_json", std::string("an array \"") + key + "\"",
                     json.dump().substr(0, 120));
  }
  std::vector<double> values;
  for (const auto& item : json.at(key)) {
    if (!item.is_number() || !std::isfinite(item.get<double>())) {
      throw ValueError("Normalizer::from_json", std::string("finite numbers in \"") + key + "\"",
                       item.dump());
    }
    values.push_back(item.get<double>());
  }
  return values;
}

void require_range(double low, double high, const char* where) {
  if (!(std::isfinite(low) && std::isfinite(high) && low < high)) {
    throw ValueError(
        where, "a finite range low < high",
        "low = " + detail::number_to_string(low) + ", high = " + detail::number_to_string(high));
  }
}

}  // namespace

const char* normalizer_kind_name(NormalizerKind kind) {
  return kind == NormalizerKind::standard ? "standard" : "min_max";
}

NormalizerKind normalizer_kind_from_name(const std::string& name) {
  if (name == "standard") return NormalizerKind::standard;
  if (name == "min_max") return NormalizerKind::min_max;
  throw ValueError("normalizer_kind_from_name", "\"standard\" or \"min_max\"", "\"" + name + "\"");
}

Normalizer::Normalizer(NormalizerKind kind, std::vector<double> first, std::vector<double> second,
                       double low, double high)
    : kind_(kind), first_(std::move(first)), second_(std::move(second)), low_(low), high_(high) {}

Normalizer Normalizer::fit_standard(const Tensor& data) {
  Moments moments = statistics(data, true, "Normalizer::fit_standard");
  return Normalizer(NormalizerKind::standard, std::move(moments.first), std::move(moments.second),
                    0, 1);
}

Normalizer Normalizer::fit_min_max(const Tensor& data, double low, double high) {
  require_range(low, high, "Normalizer::fit_min_max");
  Moments moments = statistics(data, false, "Normalizer::fit_min_max");
  return Normalizer(NormalizerKind::min_max, std::move(moments.first), std::move(moments.second),
                    low, high);
}

void Normalizer::require_fitted(const char* where) const {
  if (!fitted()) throw ValueError(where, "a fitted normalizer", "an unfitted one");
}

const std::vector<double>& Normalizer::mean() const {
  if (kind_ != NormalizerKind::standard) {
    throw ValueError("Normalizer::mean", "a standard normalizer", "a min_max one");
  }
  return first_;
}
const std::vector<double>& Normalizer::stddev() const {
  if (kind_ != NormalizerKind::standard) {
    throw ValueError("Normalizer::stddev", "a standard normalizer", "a min_max one");
  }
  return second_;
}
const std::vector<double>& Normalizer::minimum() const {
  if (kind_ != NormalizerKind::min_max) {
    throw ValueError("Normalizer::minimum", "a min_max normalizer", "a standard one");
  }
  return first_;
}
const std::vector<double>& Normalizer::maximum() const {
  if (kind_ != NormalizerKind::min_max) {
    throw ValueError("Normalizer::maximum", "a min_max normalizer", "a standard one");
  }
  return second_;
}

Tensor Normalizer::shift(const Tensor& like) const {
  return Tensor::from_values({features()}, first_, like.dtype());
}

Tensor Normalizer::scale(const Tensor& like) const {
  std::vector<double> scale(features());
  for (std::size_t f = 0; f < features(); ++f) {
    if (kind_ == NormalizerKind::standard) {
      scale[f] = second_[f] == 0 ? 1.0 : second_[f];
    } else {
      const double range = second_[f] - first_[f];
      scale[f] = (range == 0 ? high_ - low_ : range) / (high_ - low_);
    }
  }
  return Tensor::from_values({features()}, scale, like.dtype());
}

namespace {

void require_features(const Tensor& x, std::size_t features, const char* where) {
  if (x.rank() == 0 || x.shape().back() != features) {
    throw ShapeError(where, "a last axis of " + std::to_string(features) + " features",
                     "shape " + shape_to_string(x.shape()));
  }
}

}  // namespace

Tensor Normalizer::apply(const Tensor& x) const {
  require_fitted("Normalizer::apply");
  require_features(x, features(), "Normalizer::apply");
  const Tensor y = div(sub(x, shift(x)), scale(x));
  return base() == 0 ? y : add(y, Tensor::scalar(base(), x.dtype()));
}

Tensor Normalizer::invert(const Tensor& y) const {
  require_fitted("Normalizer::invert");
  require_features(y, features(), "Normalizer::invert");
  const Tensor centred = base() == 0 ? y : sub(y, Tensor::scalar(base(), y.dtype()));
  return add(mul(centred, scale(y)), shift(y));
}

Normalizer Normalizer::select(const std::vector<std::size_t>& features) const {
  require_fitted("Normalizer::select");
  std::vector<double> first, second;
  for (std::size_t f : features) {
    if (f >= this->features()) {
      throw ValueError("Normalizer::select", "features below " + std::to_string(this->features()),
                       "feature " + std::to_string(f));
    }
    first.push_back(first_[f]);
    second.push_back(second_[f]);
  }
  return Normalizer(kind_, std::move(first), std::move(second), low_, high_);
}

nlohmann::json Normalizer::to_json() const {
  require_fitted("Normalizer::to_json");
  if (kind_ == NormalizerKind::standard) {
    return {{"kind", "standard"}, {"mean", first_}, {"std", second_}};
  }
  return {{"kind", "min_max"}, {"min", first_}, {"max", second_}, {"range", {low_, high_}}};
}

Normalizer Normalizer::from_json(const nlohmann::json& json) {
  const char* where = "Normalizer::from_json";
  if (!json.is_object() || !json.contains("kind") || !json.at("kind").is_string()) {
    throw ValueError(where, "an object with a string \"kind\"", json.dump().substr(0, 120));
  }
  const NormalizerKind kind = normalizer_kind_from_name(json.at("kind").get<std::string>());
  const bool standard = kind == NormalizerKind::standard;
  std::vector<double> first = number_list(json, standard ? "mean" : "min");
  std::vector<double> second = number_list(json, standard ? "std" : "max");
  if (first.empty() || first.size() != second.size()) {
    throw ValueError(
        where, "two non-empty statistics of one length",
        std::to_string(first.size()) + " and " + std::to_string(second.size()) + " values");
  }
  double low = 0, high = 1;
  if (!standard) {
    const std::vector<double> range = number_list(json, "range");
    if (range.size() != 2) {
      throw ValueError(where, "a range [low, high]", std::to_string(range.size()) + " values");
    }
    low = range[0];
    high = range[1];
    require_range(low, high, where);
  }
  for (std::size_t f = 0; f < first.size(); ++f) {
    const bool ordered = standard ? second[f] >= 0 : first[f] <= second[f];
    if (!ordered) {
      throw ValueError(where, standard ? "std >= 0" : "min <= max",
                       "feature " + std::to_string(f) + ": " + detail::number_to_string(first[f]) +
                           ", " + detail::number_to_string(second[f]));
    }
  }
  return Normalizer(kind, std::move(first), std::move(second), low, high);
}

}  // namespace grutape
