// The import of the nodes that only move data or compute shapes: Identity, Dropout (inference:
// identity), Constant, Cast, Shape, Gather / Unsqueeze / Concat on shapes, Expand of zeros (an
// initial state), Transpose, Squeeze, Unsqueeze, Reshape of a GRU's output, and the Slice with
// step -1 that puts a reverse GRU's sequence in reading order.

#include <algorithm>
#include <limits>
#include <numeric>
#include <set>

#include "core/error.hpp"
#include "core/text.hpp"
#include "layers/onnx/detail/import_state.hpp"

namespace grutape::onnx_detail {
namespace {

std::string where(const ImportState& state, const onnx::NodeProto& node) {
  return node_where(state, node);
}

// An axis argument in [-rank, rank) as an index.
std::size_t axis_index(const ImportState& state, const onnx::NodeProto& node, std::int64_t axis,
                       std::size_t rank) {
  const auto r = static_cast<std::int64_t>(rank);
  if (axis < -r || axis >= r) {
    throw ValueError(where(state, node), "an axis in [" + std::to_string(-r) + ", " + std::to_string(r) + ")",
                     std::to_string(axis));
  }
  return static_cast<std::size_t>(axis < 0 ? axis + r : axis);
}

// Axes from the attribute (opset < 13) or input 1 (opset >= 13).
std::vector<std::int64_t> axes_argument(const ImportState& state, const onnx::NodeProto& node,
                                        std::size_t input) {
  if (has_input(node, input)) {
    return int_values(constant_input(state, node, input, "axes"), where(state, node) + " axes");
  }
  return ints_attribute(state, node, "axes");
}

Symbol shape_symbol() {
  Symbol symbol;
  symbol.kind = Symbol::Kind::shape;
  return symbol;
}

Symbol data_symbol(DataValue data) {
  Symbol symbol;
  symbol.kind = Symbol::Kind::data;
  symbol.data = std::move(data);
  return symbol;
}

AxisGroup merged(const std::vector<AxisGroup>& groups, std::size_t begin, std::size_t end) {
  AxisGroup group;
  group.extent = 1;
  for (std::size_t i = begin; i < end; ++i) {
    group.axes.insert(group.axes.end(), groups[i].axes.begin(), groups[i].axes.end());
    if (group.extent && groups[i].extent) {
      *group.extent *= *groups[i].extent;
    } else {
      group.extent.reset();
    }
  }
  if (group.axes.empty()) group.axes.push_back(Axis::unit);
  return group;
}

// Groups [from, ...) whose extents multiply to `extent`, read from the left (or, with
// `backwards`, groups (..., from] from the right); how many, or 0 when none do.
std::size_t groups_of_extent(const std::vector<AxisGroup>& groups, std::size_t from,
                             std::size_t limit, std::int64_t extent, bool backwards) {
  std::int64_t product = 1;
  for (std::size_t count = 1; count <= limit; ++count) {
    const AxisGroup& group = groups[backwards ? from - count + 1 : from + count - 1];
    if (!group.extent) return 0;
    product *= *group.extent;
    if (product == extent) return count;
    if (product > extent) return 0;
  }
  return 0;
}

// Reshape as a regrouping of whole groups: 0 copies a group, n > 0 takes groups of that total
// extent, -1 the groups left between. Empty when the target is no regrouping.
std::optional<std::vector<AxisGroup>> regroup(const std::vector<AxisGroup>& groups,
                                              const std::vector<std::int64_t>& target) {
  const auto inferred = std::find(target.begin(), target.end(), -1);
  if (std::count(target.begin(), target.end(), -1) > 1) return std::nullopt;
  std::vector<AxisGroup> left, right;
  std::size_t begin = 0, end = groups.size();
  auto take = [&](std::int64_t entry, bool backwards) -> bool {
    const std::size_t available = end - begin;
    if (available == 0) return false;
    if (entry == 0) {
      if (backwards) return false;  // 0 copies the input's extent at the same index
      left.push_back(groups[begin++]);
      return true;
    }
    const std::size_t count =
        groups_of_extent(groups, backwards ? end - 1 : begin, available, entry, backwards);
    if (count == 0) return false;
    if (backwards) {
      right.insert(right.begin(), merged(groups, end - count, end));
      end -= count;
    } else {
      left.push_back(merged(groups, begin, begin + count));
      begin += count;
    }
    return true;
  };
  for (auto it = target.begin(); it != inferred; ++it) {
    if (!take(*it, false)) return std::nullopt;
  }
  if (inferred == target.end()) {
    if (begin != end) return std::nullopt;
    return left;
  }
  for (auto it = target.end(); it != inferred + 1;) {
    --it;
    if (!take(*it, true)) return std::nullopt;
  }
  left.push_back(merged(groups, begin, end));
  left.insert(left.end(), right.begin(), right.end());
  return left;
}

bool has_gru_axes(const DataValue& data) {
  for (const AxisGroup& group : data.groups) {
    for (Axis axis : group.axes) {
      if (axis == Axis::direction || axis == Axis::hidden) return true;
    }
  }
  return false;
}

void import_constant(ImportState& state, const onnx::NodeProto& node) {
  Symbol symbol;
  for (const onnx::AttributeProto& attribute : node.attribute()) {
    const std::string& name = attribute.name();
    if (name == "value" && attribute.type() == onnx::AttributeProto::TENSOR) {
      symbol.constant = read_tensor_proto(attribute.t(), where(state, node) + " value");
    } else if (name == "value_float" || name == "value_int") {
      symbol.constant.values = {name == "value_int" ? static_cast<double>(attribute.i())
                                                    : static_cast<double>(attribute.f())};
    } else if (name == "value_floats" || name == "value_ints") {
      for (float v : attribute.floats()) symbol.constant.values.push_back(v);
      for (std::int64_t v : attribute.ints()) symbol.constant.values.push_back(static_cast<double>(v));
      symbol.constant.dims = {static_cast<std::int64_t>(symbol.constant.values.size())};
    } else {
      throw ValueError(where(state, node), "a value, value_float(s) or value_int(s) attribute",
                       "attribute " + double_quoted(name));
    }
  }
  if (node.attribute_size() != 1) {
    throw ValueError(where(state, node), "one value attribute",
                     std::to_string(node.attribute_size()) + " attributes");
  }
  set_output(state, node, 0, symbol);
}

void import_squeeze(ImportState& state, const onnx::NodeProto& node, DataValue data) {
  std::vector<std::int64_t> axes = axes_argument(state, node, 1);
  std::set<std::size_t> drop;
  for (std::int64_t axis : axes) drop.insert(axis_index(state, node, axis, data.groups.size()));
  if (axes.empty()) {
    for (std::size_t i = 0; i < data.groups.size(); ++i) {
      if (data.groups[i].extent == 1) drop.insert(i);
    }
  }
  std::vector<AxisGroup> kept;
  for (std::size_t i = 0; i < data.groups.size(); ++i) {
    if (drop.count(i) == 0) {
      kept.push_back(data.groups[i]);
    } else if (data.groups[i].extent != 1) {
      throw ValueError(where(state, node), "axes of extent 1 to squeeze",
                       "axis " + std::to_string(i) + " of another or unknown extent");
    }
  }
  data.groups = kept;
  set_output(state, node, 0, data_symbol(data));
}

void import_unsqueeze(ImportState& state, const onnx::NodeProto& node, DataValue data) {
  std::vector<std::int64_t> axes = axes_argument(state, node, 1);
  const std::size_t rank = data.groups.size() + axes.size();
  std::vector<std::size_t> positions;
  for (std::int64_t axis : axes) positions.push_back(axis_index(state, node, axis, rank));
  std::sort(positions.begin(), positions.end());
  for (std::size_t position : positions) {
    data.groups.insert(data.groups.begin() + static_cast<long>(position), AxisGroup{{Axis::unit}, 1});
  }
  set_output(state, node, 0, data_symbol(data));
}

void import_transpose(ImportState& state, const onnx::NodeProto& node, DataValue data) {
  std::vector<std::int64_t> perm = ints_attribute(state, node, "perm");
  const std::size_t rank = data.groups.size();
  if (perm.empty()) {
    for (std::size_t i = rank; i > 0; --i) perm.push_back(static_cast<std::int64_t>(i - 1));
  }
  std::vector<std::int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::int64_t> identity(rank);
  std::iota(identity.begin(), identity.end(), 0);
  if (sorted != identity) {
    throw ValueError(where(state, node), "perm a permutation of the " + std::to_string(rank) + " axes",
                     std::to_string(perm.size()) + " entries that are not");
  }
  std::vector<AxisGroup> groups;
  for (std::int64_t axis : perm) groups.push_back(data.groups[static_cast<std::size_t>(axis)]);
  data.groups = groups;
  set_output(state, node, 0, data_symbol(data));
}

void import_reshape(ImportState& state, const onnx::NodeProto& node, DataValue data) {
  const std::vector<std::int64_t> target =
      int_values(constant_input(state, node, 1, "the shape"), where(state, node) + " shape");
  const std::optional<std::vector<AxisGroup>> groups = regroup(data.groups, target);
  const bool view = groups && (has_gru_axes(data) || groups->size() == data.groups.size());
  if (view) {
    data.groups = *groups;
    set_output(state, node, 0, data_symbol(data));
    return;
  }
  // Anything else reshapes the samples: a Reshape layer (batch copied by the 0 in front).
  consume(state, node, data, false);
  if (target.empty() || target.front() != 0) {
    throw ValueError(where(state, node), "a shape that keeps the batch axis (0 first)",
                     "a shape of " + std::to_string(target.size()) + " entries starting otherwise");
  }
  LayerSpec spec;
  spec.kind = LayerSpec::Kind::reshape;
  spec.node = node.name();
  DataValue output;
  output.groups.push_back(data.groups.front());
  for (std::size_t i = 1; i < target.size(); ++i) {
    std::int64_t extent = target[i];
    if (extent == 0 && i < data.groups.size() && data.groups[i].extent) extent = *data.groups[i].extent;
    if (extent == 0 || extent < -1) {
      throw ValueError(where(state, node), "shape entries > 0, -1, or 0 for an axis of known extent",
                       std::to_string(target[i]));
    }
    spec.target_shape.push_back(static_cast<long>(extent));
    output.groups.push_back(AxisGroup{{Axis::feature}, extent > 0 ? std::optional<std::int64_t>(extent) : std::nullopt});
  }
  output.producer = add_layer(state, spec);
  set_output(state, node, 0, data_symbol(output));
}

// The one Slice this import reads: the whole time axis reversed (start -1, end before the
// first step, step -1).
void import_slice(ImportState& state, const onnx::NodeProto& node, DataValue data) {
  const std::string at = where(state, node);
  auto ints = [&](std::size_t index, const char* what) {
    return int_values(constant_input(state, node, index, what), at + " " + what);
  };
  const std::vector<std::int64_t> starts = ints(1, "starts"), ends = ints(2, "ends");
  const std::vector<std::int64_t> axes = has_input(node, 3) ? ints(3, "axes") : std::vector<std::int64_t>{0};
  const std::vector<std::int64_t> steps = has_input(node, 4) ? ints(4, "steps") : std::vector<std::int64_t>{1};
  const bool reverses = starts == std::vector<std::int64_t>{-1} && steps == std::vector<std::int64_t>{-1} &&
                        ends.size() == 1 && axes.size() == 1;
  const std::size_t axis = reverses ? axis_index(state, node, axes[0], data.groups.size()) : 0;
  const AxisGroup& group = data.groups[axis];
  const bool whole = reverses && (ends[0] == std::numeric_limits<std::int64_t>::min() ||
                                  (group.extent && ends[0] <= -*group.extent - 1));
  if (!whole || group.axes != std::vector<Axis>{Axis::time}) {
    throw ValueError(at, "a Slice that reverses the whole time axis (starts -1, ends INT64_MIN, step -1)",
                     "another slice");
  }
  data.time_reversed = !data.time_reversed;
  set_output(state, node, 0, data_symbol(data));
}

void import_expand(ImportState& state, const onnx::NodeProto& node) {
  const ConstantValue& value = constant_input(state, node, 0, "the value to expand");
  input_symbol(state, node, 1);
  if (std::any_of(value.values.begin(), value.values.end(), [](double v) { return v != 0; })) {
    throw ValueError(where(state, node), "an Expand of zeros (an initial state)", "nonzero values");
  }
  Symbol zeros;
  zeros.kind = Symbol::Kind::zeros;
  set_output(state, node, 0, zeros);
}

}  // namespace

bool is_shape_op(const std::string& op) {
  static const std::set<std::string> ops = {"Identity", "Dropout", "Constant",  "Cast",
                                            "Shape",    "Gather",  "Unsqueeze", "Squeeze",
                                            "Concat",   "Expand",  "Transpose", "Reshape",
                                            "Slice"};
  return ops.count(op) != 0;
}

void import_shape_node(ImportState& state, const onnx::NodeProto& node) {
  const std::string& op = node.op_type();
  if (op == "Constant") return import_constant(state, node);
  if (op == "Expand") return import_expand(state, node);
  const Symbol& input = input_symbol(state, node, 0);
  if (op == "Identity" || op == "Dropout" || op == "Cast") return set_output(state, node, 0, input);
  if (op == "Shape") return set_output(state, node, 0, shape_symbol());
  if (input.kind == Symbol::Kind::shape || op == "Concat") {
    for (int i = 0; i < node.input_size(); ++i) {
      const Symbol::Kind kind = input_symbol(state, node, static_cast<std::size_t>(i)).kind;
      if (kind != Symbol::Kind::shape && kind != Symbol::Kind::constant) {
        throw ValueError(where(state, node), "shape values (the shape of an initial state)",
                         "data or masks");
      }
    }
    return set_output(state, node, 0, shape_symbol());
  }
  if (input.kind != Symbol::Kind::data) {
    throw ValueError(where(state, node), "data, or the shape of data", "a constant, mask or lengths");
  }
  const DataValue data = input.data;
  if (op == "Squeeze") return import_squeeze(state, node, data);
  if (op == "Unsqueeze") return import_unsqueeze(state, node, data);
  if (op == "Transpose") return import_transpose(state, node, data);
  if (op == "Reshape") return import_reshape(state, node, data);
  if (op == "Slice") return import_slice(state, node, data);
  throw ValueError(where(state, node), "Gather of a shape, or of embeddings by ids", "Gather of data");
}

}  // namespace grutape::onnx_detail
