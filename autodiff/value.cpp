#include "autodiff/value.hpp"

#include "autodiff/tape.hpp"
#include "core/tensor_math.hpp"

namespace grutape {

Value::Value(Tensor value, bool requires_grad) {
  if (!value.defined()) throw ValueError("Value", "a defined tensor", "an undefined tensor");
  auto slot = std::make_shared<GradSlot>();
  slot->shape = value.shape();
  slot->dtype = value.dtype();
  slot->requires_grad = requires_grad;
  node_ = std::make_shared<Node>(Node{std::move(value), std::move(slot)});
}

Value make_op_output(Tensor value, std::shared_ptr<GradSlot> slot) {
  Value result;
  result.node_ = std::make_shared<Value::Node>(Value::Node{std::move(value), std::move(slot)});
  return result;
}

void Value::require_defined(const char* where) const {
  if (!node_) throw ValueError(where, "a defined value", "an undefined value");
}

const Tensor& Value::value() const {
  require_defined("Value::value");
  return node_->value;
}

Tensor& Value::mutable_value() {
  require_defined("Value::mutable_value");
  return node_->value;
}

const std::shared_ptr<GradSlot>& Value::slot() const {
  require_defined("Value::slot");
  return node_->slot;
}

bool Value::requires_grad() const {
  return slot()->requires_grad;
}

bool Value::is_leaf() const {
  return slot()->is_leaf();
}

void Value::set_requires_grad(bool requires_grad) {
  if (!is_leaf()) {
    throw ValueError("Value::set_requires_grad", "a leaf value", "the output of a recorded op");
  }
  slot()->requires_grad = requires_grad;
}

void Value::retain_grad() {
  slot()->retain_grad = true;
}

const Tensor& Value::grad() const {
  return slot()->grad;
}

void Value::zero_grad() {
  slot()->grad = Tensor();
}

void Value::set_grad(Tensor grad) {
  if (grad.defined()) {
    require_shape(grad, shape(), "Value::set_grad");
    require_same_dtype(grad, value(), "Value::set_grad");
  }
  slot()->grad = std::move(grad);
}

void Value::add_hook(GradHook hook) {
  slot()->hooks.push_back(std::move(hook));
}

void Value::backward(bool retain_graph) {
  if (value().size() != 1) {
    throw ShapeError("Value::backward", "a one-element value (or an explicit seed)",
                     "shape " + shape_to_string(shape()));
  }
  backward(Tensor::ones(shape(), dtype()), retain_graph);
}

void Value::backward(const Tensor& seed, bool retain_graph) {
  const auto& root = slot();
  Tape* tape = root->is_leaf() ? &current_tape() : root->tape;
  tape->backward(root, seed, retain_graph);
}

}  // namespace grutape
