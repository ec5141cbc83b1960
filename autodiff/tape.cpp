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
  require_recorded(*root, "backward");
  add_gradient(*root, seed, "backward (seed)");
  std::vector<GradSlot*> leaves;
  if (root->is_leaf()) leaves.push_back(root.get());
  const std::size_t last = root->is_leaf() ? 0 : root->creator + 1;
  std::vector<bool> walked(entries_.size(), false);
  for (std::size_t i = last; i-- > 0;) {
    TapeEntry& entry = entries_[i];
    std::vector<Tensor> grad_outputs(entry.outputs.size());
    bool any = false;
    for (std::size_t k = 0; k < entry.outputs.size(); ++k) {
      auto output = entry.outputs[k].lock();
      if (!output || !output->grad.defined()) continue;
      run_hooks(*output);
      grad_outputs[k] = output->grad;
      if (!output->retain_grad) output->grad = Tensor();
      any = true;
    }
    if (!any) continue;
    if (!entry.backward) {
      throw ValueError("backward through '" + entry.name + "'", "a recorded graph",
                       "one released by an earlier backward (pass retain_graph = true to keep it)");
    }
    walked[i] = true;
    std::vector<Tensor> grad_inputs = entry.backward(grad_outputs);
    if (grad_inputs.size() != entry.inputs.size()) {
      throw ValueError("backward of '" + entry.name + "'",
                       std::to_string(entry.inputs.size()) + " input gradients",
                       std::to_string(grad_inputs.size()));
    }
    for (std::size_t k = 0; k < grad_inputs.size(); ++k) {
      GradSlot& input = *entry.inputs[k];
      if (!grad_inputs[k].defined() || !input.requires_grad) continue;
      const std::string where = "backward of '" + entry.name + "', input " + std::to_string(k);
      require_recorded(input, where);
      add_gradient(input, std::move(grad_inputs[k]), where);
      if (input.is_leaf()) leaves.push_back(&input);
    }
  }
  std::sort(leaves.begin(), leaves.end());
  leaves.erase(std::unique(leaves.begin(), leaves.end()), leaves.end());
  for (GradSlot* leaf : leaves) run_hooks(*leaf);
  if (!retain_graph) release(walked);
}

void Tape::require_recorded(const GradSlot& slot, const std::string& where) const {
  if (slot.is_leaf()) return;
  if (slot.tape != this || slot.tape_generation != generation_ || slot.creator >= entries_.size()) {
    throw ValueError(
        where, "a value whose graph is still recorded",
        "one whose graph was released by an earlier backward (pass retain_graph = true "
        "to keep it)");
  }
}

void Tape::release(const std::vector<bool>& walked) {
  // In reverse order: releasing an entry drops its references to its inputs, which may leave an
  // earlier entry with no living output, so one pass releases every graph nothing can reach.
  bool all_released = true;
  for (std::size_t i = entries_.size(); i-- > 0;) {
    TapeEntry& entry = entries_[i];
    const bool unreachable = std::all_of(entry.outputs.begin(), entry.outputs.end(),
                                         [](const auto& output) { return output.expired(); });
    if ((i < walked.size() && walked[i]) || unreachable) {
      entry.backward = nullptr;
      entry.inputs.clear();
    }
    all_released = all_released && !entry.backward;
  }
  if (all_released) clear();
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
