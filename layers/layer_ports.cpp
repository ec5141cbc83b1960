// The port interface of Layer (layer.hpp): the defaults, one port "in" -> "out", and the checks
// every forward_ports call passes through.
#include "core/text.hpp"
#include "layers/layer.hpp"

namespace grutape {
namespace {

std::vector<std::string> input_port_names(const std::vector<InputPort>& ports) {
  std::vector<std::string> names;
  for (const InputPort& port : ports) names.push_back(port.name);
  return names;
}

}  // namespace

std::vector<InputPort> Layer::input_ports() const {
  return {{"in", true}};
}

std::vector<std::string> Layer::output_ports() const {
  return {"out"};
}

std::map<std::string, Value> Layer::forward_ports(const std::map<std::string, Value>& inputs,
                                                  const Tensor& mask) {
  const std::string where = name_ + ": forward_ports";
  const std::vector<InputPort> ports = input_ports();
  const std::string known = "[" + join(input_port_names(ports)) + "]";
  for (const auto& [port, value] : inputs) {
    bool found = false;
    for (const InputPort& declared : ports) found = found || declared.name == port;
    if (!found) throw ValueError(where, "input ports among " + known, "\"" + port + "\"");
    if (!value.defined()) throw ValueError(where, "a value at port \"" + port + "\"", "none");
  }
  for (const InputPort& declared : ports) {
    if (declared.required && inputs.count(declared.name) == 0) {
      throw ValueError(where, "a value at every required port of " + known,
                       "none at \"" + declared.name + "\"");
    }
  }
  std::map<std::string, Value> outputs = compute_ports(inputs, mask);
  for (const std::string& port : output_ports()) {
    if (outputs.count(port) == 0 || !outputs.at(port).defined()) {
      throw ValueError(where, "a value at every output port of [" + join(output_ports()) + "]",
                       "none at \"" + port + "\"");
    }
  }
  return outputs;
}

std::map<std::string, Value> Layer::compute_ports(const std::map<std::string, Value>& inputs,
                                                  const Tensor& mask) {
  return {{"out", (*this)(inputs.at("in"), mask)}};
}

}  // namespace grutape
