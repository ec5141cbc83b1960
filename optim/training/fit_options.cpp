#include "optim/training/fit_options.hpp"

#include <algorithm>
#include <cmath>

#include "core/detail/option_checks.hpp"

namespace grutape {
namespace {

void require_clip(const std::optional<double>& limit, const std::string& name) {
  if (limit) {
    detail::require_option(std::isfinite(*limit) && *limit > 0, "FitOptions", name,
                           "> 0 and finite", *limit);
  }
}

}  // namespace

std::size_t FitOptions::epoch_batch_size(std::size_t epoch) const {
  return batch_sizes_.at(std::min(epoch, batch_sizes_.size() - 1));
}

void FitOptions::validate() const {
  if (!optimizer_) throw ValueError("FitOptions: optimizer", "an optimizer", "none");
  if (loss_.reduction() == Reduction::none) {
    throw ValueError("FitOptions: loss", "reduction mean or sum (one number to minimise)",
                     "reduction none");
  }
  if (batch_sizes_.empty()) throw ValueError("FitOptions: batch_sizes", "at least one size", "{}");
  for (std::size_t size : batch_sizes_) {
    if (size == 0) throw ValueError("FitOptions: batch_sizes", "sizes >= 1", "a size of 0");
  }
  detail::require_option(validation_split_ >= 0 && validation_split_ < 1, "FitOptions",
                         "validation_split", "in [0, 1)", validation_split_);
  if (validation_split_ > 0 && validation_data_) {
    throw ValueError("FitOptions", "validation_split or validation_data",
                     "both (validation_split = " + detail::number_to_string(validation_split_) +
                         " and validation data)");
  }
  require_clip(clip_value_, "clip_value");
  require_clip(clip_norm_, "clip_norm");
  require_clip(global_clip_norm_, "global_clip_norm");
  if (!output_ && verbosity_ != Verbosity::quiet) {
    throw ValueError("FitOptions: output", "a stream (or verbosity quiet)", "a null pointer");
  }
  for (const auto& callback : callbacks_) {
    if (!callback) throw ValueError("FitOptions: callbacks", "callbacks", "a null pointer");
  }
}

}  // namespace grutape
