#include "autodiff/custom_op.hpp"

#include "autodiff/grad_mode.hpp"

namespace grutape {

bool should_record(const std::vector<Value>& inputs) {
  if (!grad_enabled()) return false;
  for (const Value& input : inputs) {
    if (input.requires_grad()) return true;
  }
  return false;
}

std::vector<Value> record_multi_op(const std::string& name, std::vector<Tensor> results,
                                   const std::vector<Value>& inputs, MultiBackward backward) {
  std::vector<std::shared_ptr<GradSlot>> slots;
  for (const Tensor& result : results) {
    auto slot = std::make_shared<GradSlot>();
    slot->shape = result.shape();
    slot->dtype = result.dtype();
    slots.push_back(std::move(slot));
  }
  if (should_record(inputs)) {
    TapeEntry entry;
    entry.name = name;
    for (const Value& input : inputs) entry.inputs.push_back(input.slot());
    entry.backward = std::move(backward);
    current_tape().record(std::move(entry), slots);
  }
  std::vector<Value> outputs;
  for (std::size_t k = 0; k < results.size(); ++k) {
    outputs.push_back(make_op_output(std::move(results[k]), std::move(slots[k])));
  }
  return outputs;
}

Value record_op(const std::string& name, Tensor result, const std::vector<Value>& inputs,
                Backward backward) {
  MultiBackward multi;
  if (backward) {
    multi = [backward = std::move(backward)](const std::vector<Tensor>& grads) {
      return backward(grads[0]);
    };
  }
  std::vector<Tensor> results;
  results.push_back(std::move(result));
  return record_multi_op(name, std::move(results), inputs, std::move(multi))[0];
}

Tensor grad_or_zeros(const Tensor& grad, const Shape& shape, DType dtype) {
  return grad.defined() ? grad : Tensor::zeros(shape, dtype);
}

}  // namespace grutape
