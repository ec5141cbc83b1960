// Running a Graph (graph.hpp): the inputs' checks, the layers in order with their masks, the
// layer interface of a one-input, one-output graph and the ports of a graph inside another.
#include <algorithm>

#include "autodiff/grad_mode.hpp"
#include "core/text.hpp"
#include "layers/models/graph.hpp"
#include "layers/training_scope.hpp"

namespace grutape {
namespace {

std::string batch_shape_text(const Shape& sample_shape) {
  std::string text = "(batch";
  for (std::size_t extent : sample_shape) text += ", " + std::to_string(extent);
  return text + ")";
}

}  // namespace

void Graph::check_inputs(const std::map<std::string, Value>& inputs,
                         const std::map<std::string, Tensor>& masks) const {
  const std::string where = name() + ": forward";
  const std::string known = "[" + join(input_names()) + "]";
  for (const auto& [input, value] : inputs) {
    if (!has_input(input))
      throw ValueError(where, "values for the inputs " + known,
                       "one for unknown " + double_quoted(input));
    if (!value.defined())
      throw ValueError(where, "a value for input " + double_quoted(input), "none");
  }
  for (const auto& [input, _] : masks) {
    if (!has_input(input))
      throw ValueError(where, "masks for inputs among " + known,
                       "one for unknown " + double_quoted(input));
  }
  for (const GraphInput& input : inputs_) {
    const auto found = inputs.find(input.name);
    if (found == inputs.end())
      throw ValueError(where, "a value for every input " + known,
                       "none for " + double_quoted(input.name));
    if (!input.sample_shape) continue;
    const Shape shape = found->second.shape();
    const Shape& sample = *input.sample_shape;
    const bool fits = shape.size() == sample.size() + 1 &&
                      std::equal(sample.begin(), sample.end(), shape.begin() + 1);
    if (!fits) {
      throw ShapeError(name() + ": input " + double_quoted(input.name),
                       "shape " + batch_shape_text(sample), "shape " + shape_to_string(shape));
    }
  }
}

GraphOutputs Graph::evaluate(const std::map<std::string, Value>& inputs,
                             const std::map<std::string, Tensor>& masks) {
  const std::vector<std::size_t> order = ordered_nodes();
  check_inputs(inputs, masks);
  struct Produced {
    Value value;
    Tensor mask;
  };
  // By (node, port); a graph input's port is empty.
  std::map<std::pair<std::string, std::string>, Produced> produced;
  for (const auto& [input, value] : inputs) {
    const auto mask = masks.find(input);
    produced[{input, ""}] = {value, mask == masks.end() ? Tensor() : mask->second};
  }
  for (std::size_t k : order) {
    const Node& node = nodes_[k];
    std::map<std::string, Value> ports;
    std::vector<std::string> fed;
    Tensor mask;
    for (const Connection& c : connections_) {
      if (c.to.node != node.name) continue;
      const Produced& from = produced.at({c.from.node, c.from.port});
      ports[c.to.port] = from.value;
      if (c.to.port == "in") mask = from.mask;
      fed.push_back(c.to.port + " from " + double_quoted(c.from.text()) + " of shape " +
                    shape_to_string(from.value.shape()));
    }
    std::map<std::string, Value> outputs;
    // The layer's own message says what it wanted; this one adds where its inputs came from.
    const std::string where = name() + ": layer " + double_quoted(node.name);
    const std::string expected = "inputs it accepts: ";
    try {
      outputs = node.layer->forward_ports(ports, mask);
    } catch (const ShapeError& error) {
      throw ShapeError(where, expected + error.what(), join(fed));
    } catch (const ValueError& error) {
      throw ValueError(where, expected + error.what(), join(fed));
    }
    const auto in = ports.find("in");
    const Tensor out_mask =
        in == ports.end() ? Tensor() : node.layer->output_mask(in->second, mask);
    for (const auto& [port, value] : outputs)
      produced[{node.name, port}] = {value, port == "out" ? out_mask : Tensor()};
  }
  GraphOutputs result;
  for (const auto& [output, from] : outputs_) {
    const Produced& value = produced.at({from.node, from.port});
    result.values[output] = value.value;
    if (value.mask.defined()) result.masks[output] = value.mask;
  }
  last_ = LastCall();
  const std::string in = masked_input(), out = masked_output();
  if (!in.empty()) {
    last_.input = inputs.at(in).value();
    if (masks.count(in)) last_.input_mask = masks.at(in);
  }
  if (!out.empty() && result.masks.count(out)) last_.output_mask = result.masks.at(out);
  return result;
}

GraphOutputs Graph::run(const std::map<std::string, Value>& inputs,
                        const std::map<std::string, Tensor>& masks) {
  if (!flags().training) {
    NoGradScope inference;
    return evaluate(inputs, masks);
  }
  std::map<std::string, Value> prepared;
  for (const auto& [input, value] : inputs)
    prepared[input] = value.defined() ? prepare_input(value) : value;
  return evaluate(prepared, masks);
}

std::map<std::string, Value> Graph::forward(const std::map<std::string, Value>& inputs,
                                            const std::map<std::string, Tensor>& masks) {
  return run(inputs, masks).values;
}

std::string Graph::masked_input() const {
  if (has_input("in")) return "in";
  return inputs_.size() == 1 ? inputs_.front().name : "";
}

std::string Graph::masked_output() const {
  for (const auto& [output, _] : outputs_)
    if (output == "out") return output;
  return outputs_.size() == 1 ? outputs_.front().first : "";
}

std::pair<std::string, std::string> Graph::single_input_output(const std::string& where) const {
  if (inputs_.size() != 1 || outputs_.size() != 1) {
    throw ValueError(where, "a graph of one input and one output (else run it on a map of inputs)",
                     std::to_string(inputs_.size()) + " inputs and " +
                         std::to_string(outputs_.size()) + " outputs");
  }
  return {inputs_.front().name, outputs_.front().first};
}

void Graph::build_parameters(const Shape& input_shape, DType dtype) {
  // A graph of one input builds its layers with one zero sample, so that a built graph has its
  // parameters (a model file's loader builds before it assigns the weights). With several inputs
  // one shape does not say what to feed; each layer then builds on its first input.
  if (inputs_.size() != 1 || input_shape.empty()) return;
  Shape sample = input_shape;
  sample[0] = 1;
  {
    std::vector<Layer*> layers;
    for (const Node& node : nodes_) layers.push_back(node.layer.get());
    TrainingScope inference(layers, false);
    NoGradScope no_grad;
    evaluate({{inputs_.front().name, Value(Tensor::zeros(sample, dtype))}}, {});
  }
  // The sample must leave nothing behind in stateful layers.
  for (const Node& node : nodes_) node.layer->reset_states();
}

Value Graph::forward(const Value& input) {
  return forward_masked(input, Tensor());
}

Value Graph::forward_masked(const Value& input, const Tensor& mask) {
  const auto [in, out] = single_input_output(name() + ": forward");
  std::map<std::string, Tensor> masks;
  if (mask.defined()) masks[in] = mask;
  return evaluate({{in, input}}, masks).values.at(out);
}

Tensor Graph::output_mask(const Value& input, const Tensor& input_mask) const {
  if (!input.value().shares_data(last_.input) || !input_mask.shares_data(last_.input_mask)) {
    throw ValueError(name() + ": output_mask", "the input and mask of the last call",
                     "another input or mask");
  }
  return last_.output_mask;
}

std::map<std::string, Value> Graph::compute_ports(const std::map<std::string, Value>& inputs,
                                                  const Tensor& mask) {
  std::map<std::string, Tensor> masks;
  if (mask.defined() && has_input("in")) masks["in"] = mask;
  return forward(inputs, masks);
}

}  // namespace grutape
