#pragma once
// The tape: the recorded operations in creation order. Creation order is a topological order, so
// backward is one reverse walk over the entries, with no recursion, for any depth of graph.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "autodiff/value.hpp"

namespace grutape {

/// Given d(loss)/d(output) for each output (undefined where an output received none), returns
/// d(loss)/d(input) for each input (undefined where an input needs none).
using MultiBackward = std::function<std::vector<Tensor>(const std::vector<Tensor>& grad_outputs)>;

struct TapeEntry {
  std::string name;
  std::vector<std::shared_ptr<GradSlot>> inputs;
  std::vector<std::weak_ptr<GradSlot>> outputs;
  MultiBackward backward;
};

class Tape {
 public:
  /// Appends an entry and marks its outputs as created by it.
  void record(TapeEntry entry, const std::vector<std::shared_ptr<GradSlot>>& outputs);

  /// Seeds `root` with `seed` and walks back from its creator to the first entry. Unless
  /// `retain_graph`, the entries the walk used are released afterwards (with everything their
  /// closures hold), and so are entries no living value can reach; other graphs stay.
  void backward(const std::shared_ptr<GradSlot>& root, const Tensor& seed, bool retain_graph);

  /// Drops every entry; values created before can no longer be backpropagated through.
  void clear();
  std::size_t size() const { return entries_.size(); }
  std::uint64_t generation() const { return generation_; }

 private:
  /// A ValueError naming `where` when a non-leaf slot's creating entry is gone.
  void require_recorded(const GradSlot& slot, const std::string& where) const;
  /// Releases the walked entries and the unreachable ones; clears the tape when none is left.
  void release(const std::vector<bool>& walked);

  std::vector<TapeEntry> entries_;
  std::uint64_t generation_ = 1;
};

/// The tape ops record on in this thread.
Tape& current_tape();

}  // namespace grutape
