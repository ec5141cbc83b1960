#include "layers/losses/losses.hpp"

#include "autodiff/ops/activation.hpp"
#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/reduce.hpp"
#include "autodiff/ops/shape.hpp"
#include "core/text.hpp"
#include "layers/detail/ids.hpp"
#include "layers/losses/sample_weights.hpp"

namespace grutape {
namespace {

constexpr double kEps = kProbabilityEpsilon;

Tensor in_dtype(const Tensor& x, DType dtype) {
  return x.dtype() == dtype ? x : x.to(dtype);
}

void require_batch_axis(const Value& y_pred, std::size_t min_rank, const std::string& where) {
  if (y_pred.rank() < min_rank) {
    const std::string expected = min_rank == 1 ? "predictions with a batch axis (rank >= 1)"
                                               : "predictions (batch, ..., classes) of rank >= 2";
    throw ShapeError(where, expected, shape_to_string(y_pred.shape()));
  }
}

// The targets as a constant of the predictions' dtype; a ShapeError unless the shapes agree.
Value targets(const Tensor& y_true, const Value& y_pred, std::size_t min_rank,
              const std::string& where) {
  require_batch_axis(y_pred, min_rank, where);
  if (y_true.shape() != y_pred.shape()) {
    throw ShapeError(where, "targets of the predictions' shape " + shape_to_string(y_pred.shape()),
                     "targets " + shape_to_string(y_true.shape()));
  }
  return Value(in_dtype(y_true, y_pred.dtype()));
}

// The per-sample loss from elementwise losses: the mean over the last axis (rank-1 predictions
// are one value per sample already).
Value mean_last(const Value& elementwise) {
  return elementwise.rank() == 1 ? elementwise : mean(elementwise, {-1});
}

// The class ids of sparse targets as a gather index (..., 1) into the class axis.
xt::xarray<std::size_t> class_index(const Tensor& y_true, const Value& y_pred,
                                    const std::string& where) {
  require_batch_axis(y_pred, 2, where);
  Shape index_shape = y_pred.shape();
  const std::size_t classes = index_shape.back();
  index_shape.back() = 1;
  const Shape without_classes(index_shape.begin(), index_shape.end() - 1);
  if (y_true.shape() != without_classes && y_true.shape() != index_shape) {
    throw ShapeError(where,
                     "class ids of shape " + shape_to_string(without_classes) + " or " +
                         shape_to_string(index_shape),
                     "targets " + shape_to_string(y_true.shape()));
  }
  const std::vector<std::size_t> ids = read_ids(y_true, classes, where);
  xt::xarray<std::size_t> index = xt::xarray<std::size_t>::from_shape(index_shape);
  std::copy(ids.begin(), ids.end(), index.begin());
  return index;
}

}  // namespace

const char* reduction_name(Reduction reduction) {
  return enum_name(reduction);
}

Reduction reduction_from_name(const std::string& name) {
  return enum_from_name<Reduction>(name, "reduction_from_name");
}

namespace losses {

Value reduce_loss(const Value& per_sample, const LossArgs& args, const std::string& caller) {
  const Shape shape = per_sample.shape();
  const DType dtype = per_sample.dtype();
  Value weighted = per_sample;
  if (args.sample_weight().defined()) {
    weighted = weighted * Value(align_sample_weight(args.sample_weight(), shape, dtype,
                                                    caller + ": sample_weight"));
  }
  std::size_t count = shape_size(shape);
  if (args.mask().defined()) {
    const Tensor valid = valid_steps(args.mask(), shape, dtype, caller + ": mask");
    count = count_valid(valid);
    // A choice, not a product: a masked loss of NaN or inf becomes 0 rather than NaN.
    weighted = where(valid, weighted, Value(Tensor::zeros({}, dtype)));
  }
  switch (args.reduction()) {
    case Reduction::none:
      return weighted;
    case Reduction::sum:
      return sum(weighted);
    default:
      // With no valid entry the sum is 0 and so is the mean, not 0 / 0.
      return sum(weighted) * (count > 0 ? 1.0 / static_cast<double>(count) : 0.0);
  }
}

Value mean_squared_error(const Tensor& y_true, const Value& y_pred, const LossArgs& args) {
  const std::string where = "mean_squared_error";
  const Value y = targets(y_true, y_pred, 1, where);
  return reduce_loss(mean_last(square(y_pred - y)), args, where);
}

Value mean_absolute_error(const Tensor& y_true, const Value& y_pred, const LossArgs& args) {
  const std::string where = "mean_absolute_error";
  const Value y = targets(y_true, y_pred, 1, where);
  return reduce_loss(mean_last(abs(y_pred - y)), args, where);
}

Value huber(const Tensor& y_true, const Value& y_pred, double delta, const LossArgs& args) {
  const std::string where = "huber";
  if (!(delta > 0 && std::isfinite(delta))) {
    throw ValueError(where, "a finite delta > 0", format_number(delta));
  }
  const Value y = targets(y_true, y_pred, 1, where);
  // With a = |e| and q = min(a, delta): 0.5 q^2 + delta (a - q) is 0.5 e^2 up to delta and
  // delta (|e| - 0.5 delta) beyond, with no branch.
  const Value a = abs(y_pred - y);
  const Value q = clip(a, 0.0, delta);
  return reduce_loss(mean_last(square(q) * 0.5 + (a - q) * delta), args, where);
}

Value binary_crossentropy(const Tensor& y_true, const Value& y_pred, bool from_logits,
                          const LossArgs& args) {
  const std::string where = "binary_crossentropy";
  const Value y = targets(y_true, y_pred, 1, where);
  if (from_logits) {
    // -(y ln s(x) + (1 - y) ln(1 - s(x))) = ln(1 + e^x) - x y, finite for any x.
    return reduce_loss(mean_last(softplus(y_pred) - y_pred * y), args, where);
  }
  const Value p = clip(y_pred, kEps, 1.0 - kEps);
  return reduce_loss(mean_last(-(y * log(p) + (1.0 - y) * log(1.0 - p))), args, where);
}

Value categorical_crossentropy(const Tensor& y_true, const Value& y_pred, bool from_logits,
                               const LossArgs& args) {
  const std::string where = "categorical_crossentropy";
  const Value y = targets(y_true, y_pred, 2, where);
  Value log_p;
  if (from_logits) {
    log_p = log_softmax(y_pred, -1);
  } else {
    log_p = log(clip(y_pred / sum(y_pred, {-1}, true), kEps, 1.0 - kEps));
  }
  return reduce_loss(-sum(y * log_p, {-1}), args, where);
}

Value sparse_categorical_crossentropy(const Tensor& y_true, const Value& y_pred, bool from_logits,
                                      const LossArgs& args) {
  const std::string where = "sparse_categorical_crossentropy";
  const xt::xarray<std::size_t> index = class_index(y_true, y_pred, where);
  Shape per_sample_shape = y_pred.shape();
  per_sample_shape.pop_back();
  Value log_p;
  if (from_logits) {
    log_p = gather(log_softmax(y_pred, -1), -1, index);
  } else {
    // Only the target class's probability enters: normalise, pick it, clip, take the log.
    log_p = log(clip(gather(y_pred / sum(y_pred, {-1}, true), -1, index), kEps, 1.0 - kEps));
  }
  return reduce_loss(-reshape(log_p, per_sample_shape), args, where);
}

}  // namespace losses
}  // namespace grutape
