#pragma once
// A user's layer with states, for the tests of states in model files and checkpoints:
// y = x + offset + total on x (batch, ...), where the stored state "offset" (broadcast to a
// sample) is part of the model and the carried state "total" (a sample's shape) is the sum of the
// samples of every input since the last reset_states().

#include <nlohmann/json.hpp>

#include "autodiff/ops/elementwise.hpp"
#include "core/json_reader.hpp"
#include "core/reduce.hpp"
#include "core/tensor_math.hpp"
#include "layers/layer.hpp"
#include "layers/layer_json.hpp"
#include "layers/layer_registry.hpp"

namespace grutape::testing {

class RunningSum : public Layer {
 public:
  static constexpr const char* kType = "running_sum";

  RunningSum() : Layer(kType) {
    // A plain member, taken as a file gives it: an offset that does not broadcast to the input
    // is a ShapeError at the next call.
    register_state("offset", StateKind::stored, &offset_);
    // Checked when restored, so that a file cannot give a total of the wrong shape.
    register_state(
        "total", StateKind::carried,
        {[this] { return total_.defined() ? std::vector<Tensor>{total_} : std::vector<Tensor>{}; },
         [this](std::vector<Tensor> tensors) { set_total(std::move(tensors)); }});
  }

  void set_offset(Tensor offset) { offset_ = std::move(offset); }
  const Tensor& offset() const { return offset_; }
  const Tensor& total() const { return total_; }

  Value forward(const Value& x) override {
    Value y = x;
    if (offset_.defined()) y = y + Value(offset_);
    if (total_.defined()) y = y + Value(total_);
    const Tensor rows = reduce_sum(x.value(), {0}, false);
    total_ = total_.defined() ? add(total_, rows) : rows;
    return y;
  }

  nlohmann::json to_json() const override { return layer_json_header(*this); }

  static std::shared_ptr<Layer> from_json(const nlohmann::json& json) {
    JsonReader in(json, "RunningSum::from_json");
    const LayerHeader header = read_layer_header(in, kType);
    in.finish();
    auto layer = std::make_shared<RunningSum>();
    apply_layer_header(header, *layer);
    return layer;
  }

 protected:
  void build_parameters(const Shape& input_shape, DType) override {
    sample_shape_.assign(input_shape.begin() + 1, input_shape.end());
  }

 private:
  void set_total(std::vector<Tensor> tensors) {
    const std::string where = name() + ": total";
    if (tensors.size() > 1) {
      throw ValueError(where, "at most one tensor", std::to_string(tensors.size()));
    }
    if (!tensors.empty()) require_shape(tensors[0], sample_shape_, where);
    total_ = tensors.empty() ? Tensor() : tensors[0];
  }

  Shape sample_shape_;
  Tensor offset_;
  Tensor total_;
};

/// Makes RunningSum known to layer_from_json while it lives.
class RunningSumType {
 public:
  RunningSumType() { register_layer_type(RunningSum::kType, RunningSum::from_json); }
  ~RunningSumType() { unregister_layer_type(RunningSum::kType); }
  RunningSumType(const RunningSumType&) = delete;
  RunningSumType& operator=(const RunningSumType&) = delete;
};

}  // namespace grutape::testing
