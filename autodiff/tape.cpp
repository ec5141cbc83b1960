#include "autodiff/tape.hpp"

#include <algorithm>

#include "core/tensor_math.hpp"

namespace grutape {
namespace {

void add_gradient(GradSlot& slot, Tensor grad, const std::string& where) {
  if (grad.shape() != slot.shape || grad.dtype() != slot.dtype) {
    throw ShapeError(
        where, "a gradient of shape " + shape_to_string(slot.shape) + " " + dtype_name(slot.dtype),
        "shape " + shape_to_string(grad.shape()) + " " + dtype_name(grad.dtype()));
  }
  // Out of place: the gradient may share its data with another input's (add returns g twice).
  slot.grad = slot.grad.defined() ? add(slot.grad, grad) : std::move(grad);
}

void run_hooks(GradSlot& slot) {
  for (auto& hook : slot.hooks) hook(slot.grad);
}

}  // namespace

void Tape::record(TapeEntry entry, const std::vector<std::shared_ptr<GradSlot>>& outputs) {
  const std::size_t index = entries_.size();
  for (const auto& output : outputs) {
    output->creator = index;
    output->tape = this;
    output->tape_generation = generation_;
    output->requires_grad = true;
    entry.outputs.push_back(output);
  }
  entries_.push_back(std::move(entry));
}

void Tape::backward(const std::shared_ptr<GradSlot>& root, const Tensor& seed, bool retain_graph) {
  if (!root->requires_grad) {
    throw ValueError("backward", "a value that requires a gradient",
                     "a value none of whose inputs requires one (or one computed without grad)");
  }
  if (!root->is_leaf() && (root->tape != this || root->tape_generation != generation_ ||
                           root->creator >= entries_.size())) {
    throw ValueError("backward", "a value whose tape is still recorded",
                     "a value whose tape was released by an earlier backward (pass retain_graph = "
                     "true to keep it)");
  }
  add_gradient(*root, seed, "backward (seed)");
  std::vector<GradSlot*> leaves;
  if (root->is_leaf()) leaves.push_back(root.get());
  const std::size_t last = root->is_leaf() ? 0 : root->creator + 1;
  for (std::size_t i = last; i-- > 0;) {
    TapeEntry& entry = entries_[i];
    std::vector<Tensor> grad_outputs(entry.outputs.size());
    bool any = false;
    for (std::size_t k = 0; k < entry.outputs.size(); ++k) {
      auto output = entry.outputs[k].lock();
      if (!output || !output->grad.defined()) continue;
      run_hooks(*output);
      grad_outputs[k] = output->retain_grad ? output->grad : std::move(output->grad);
      if (!output->retain_grad) output->grad = Tensor();
      any = true;
    }
    if (!any) continue;
    if (!entry.backward) {
      throw ValueError("backward through '" + entry.name + "'", "a recorded graph",
                       "one released by an earlier backward (pass retain_graph = true to keep it)");
    }
    std::vector<Tensor> grad_inputs = entry.backward(grad_outputs);
    if (grad_inputs.size() != entry.inputs.size()) {
      throw ValueError("backward of '" + entry.name + "'",
                       std::to_string(entry.inputs.size()) + " input gradients",
                       std::to_string(grad_inputs.size()));
    }
    for (std::size_t k = 0; k < grad_inputs.size(); ++k) {
      GradSlot& input = *entry.inputs[k];
      if (!grad_inputs[k].defined() || !input.requires_grad) continue;
      add_gradient(input, std::move(grad_inputs[k]),
                   "backward of '" + entry.name + "', input " + std::to_string(k));
      if (input.is_leaf()) leaves.push_back(&input);
    }
  }
  std::sort(leaves.begin(), leaves.end());
  leaves.erase(std::unique(leaves.begin(), leaves.end()), leaves.end());
  for (GradSlot* leaf : leaves) run_hooks(*leaf);
  if (retain_graph) return;
  if (last == entries_.size()) {
    clear();
  } else {
    for (std::size_t i = 0; i < last; ++i) {
      entries_[i].backward = nullptr;
      entries_[i].inputs.clear();
    }
  }
}

void Tape::clear() {
  entries_.clear();
  ++generation_;
}

Tape& current_tape() {
  thread_local Tape tape;
  return tape;
}

}  // namespace grutape
