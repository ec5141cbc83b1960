#pragma once
// The differentiable value: a cheap handle to a tensor and the slot its gradient accumulates in.
//
// The tape refers to gradient slots, not to values: an intermediate tensor is freed as soon as no
// handle and no backward closure holds it, while its slot lives on for the backward walk.

#include <functional>
#include <limits>
#include <memory>
#include <vector>

#include "core/tensor.hpp"

namespace grutape {

class Tape;

/// Called with a value's gradient when the backward walk has completed it; may change it in place.
using GradHook = std::function<void(Tensor& grad)>;

/// Where the gradient of one value accumulates, and how the tape reaches it.
struct GradSlot {
  static constexpr std::size_t kLeaf = std::numeric_limits<std::size_t>::max();

  Tensor grad;
  Shape shape;
  DType dtype = DType::float32;
  bool requires_grad = false;
  /// Keep the gradient of an intermediate value after backward (leaves always keep theirs).
  bool retain_grad = false;
  /// Index of the creating entry on `tape`, or kLeaf.
  std::size_t creator = kLeaf;
  Tape* tape = nullptr;
  std::uint64_t tape_generation = 0;
  std::vector<GradHook> hooks;

  bool is_leaf() const { return creator == kLeaf; }
};

class Value {
 public:
  /// An undefined value.
  Value() = default;
  /// A leaf; `requires_grad` makes backward compute its gradient (parameters, inputs under test).
  explicit Value(Tensor value, bool requires_grad = false);

  bool defined() const { return node_ != nullptr; }
  const Tensor& value() const;
  /// The tensor itself, for in-place updates that must not be recorded (optimizer steps).
  Tensor& mutable_value();
  DType dtype() const { return value().dtype(); }
  Shape shape() const { return value().shape(); }
  std::size_t rank() const { return value().rank(); }

  bool requires_grad() const;
  /// Only on leaves: an op's output requires a gradient exactly when one of its inputs does.
  void set_requires_grad(bool requires_grad);
  bool is_leaf() const;
  void retain_grad();

  /// The accumulated gradient; undefined until a backward reaches this value.
  const Tensor& grad() const;
  bool has_grad() const { return grad().defined(); }
  void zero_grad();
  void set_grad(Tensor grad);

  /// Runs `hook` on this value's gradient whenever a backward completes it.
  void add_hook(GradHook hook);

  /// Backpropagates d(this)/d(leaves) through the tape; this value must have one element.
  void backward(bool retain_graph = false);
  /// Backpropagates with `seed` as d(loss)/d(this) (same shape as this value).
  void backward(const Tensor& seed, bool retain_graph = false);

  const std::shared_ptr<GradSlot>& slot() const;

 private:
  friend Value make_op_output(Tensor value, std::shared_ptr<GradSlot> slot);
  struct Node {
    Tensor value;
    std::shared_ptr<GradSlot> slot;
  };
  void require_defined(const char* where) const;

  std::shared_ptr<Node> node_;
};

/// Wraps an op's result with its (already recorded) gradient slot. Used by autodiff/custom_op.
Value make_op_output(Tensor value, std::shared_ptr<GradSlot> slot);

}  // namespace grutape
