// Bad ONNX input: truncated and corrupted bytes, an unsupported op, mismatched weight shapes, an
// opset too new, and models the export cannot express: one-line errors naming where and what.

#include <onnx/onnx_pb.h>

#include "tests/layers/onnx/onnx_support.hpp"

using namespace grutape;
using testing::require_error;

namespace {

std::string gru_model_bytes() {
  auto model = testing::onnx_test_model({std::make_shared<Gru>(GruOptions(3))}, 2,
                                        DType::float32, 1);
  return format_onnx(*model);
}

onnx::ModelProto parsed(const std::string& bytes) {
  onnx::ModelProto model;
  BOOST_TEST_REQUIRE(model.ParseFromString(bytes));
  return model;
}

std::string serialized(const onnx::ModelProto& model) {
  std::string bytes;
  model.SerializeToString(&bytes);
  return bytes;
}

onnx::NodeProto& node_of(onnx::ModelProto& model, const std::string& op) {
  for (onnx::NodeProto& node : *model.mutable_graph()->mutable_node()) {
    if (node.op_type() == op) return node;
  }
  BOOST_FAIL("no " << op << " node");
  throw;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(onnx_import_errors_test)

BOOST_AUTO_TEST_CASE(truncated_and_corrupted_bytes) {
  if (!testing::onnx_or_skip()) return;
  const std::string bytes = gru_model_bytes();
  require_error<IoError>([&] { parse_onnx(bytes.substr(0, bytes.size() / 2), "half"); },
                         {"parse_onnx half", "an ONNX model"});
  require_error<IoError>([&] { parse_onnx("not a model at all", "text"); }, {"parse_onnx text"});
  // Every truncation and every single-byte flip: an Error or a model, never a crash.
  for (std::size_t cut = 0; cut < bytes.size(); cut += 7) {
    try {
      parse_onnx(bytes.substr(0, cut));
    } catch (const Error&) {
    }
  }
  for (std::size_t at = 0; at < bytes.size(); at += 3) {
    std::string flipped = bytes;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x5a);
    try {
      parse_onnx(flipped);
    } catch (const Error&) {
    }
  }
  require_error<IoError>([] { load_onnx("/nonexistent/model.onnx"); }, {"/nonexistent/model.onnx"});
}

BOOST_AUTO_TEST_CASE(unsupported_op) {
  if (!testing::onnx_or_skip()) return;
  onnx::ModelProto model = parsed(gru_model_bytes());
  onnx::NodeProto& node = node_of(model, "Identity");
  node.set_op_type("LSTM");
  require_error<ValueError>([&] { parse_onnx(serialized(model), "m"); },
                            {"node \"" + node.name() + "\" (LSTM)", "supported op types", "GRU, MatMul",
                             "op type \"LSTM\""});
}

BOOST_AUTO_TEST_CASE(mismatched_weight_shapes) {
  if (!testing::onnx_or_skip()) return;
  onnx::ModelProto model = parsed(gru_model_bytes());
  const std::string r_name = node_of(model, "GRU").input(2);
  for (onnx::TensorProto& tensor : *model.mutable_graph()->mutable_initializer()) {
    if (tensor.name() == r_name) tensor.set_dims(2, 4);
  }
  require_error<ValueError>([&] { parse_onnx(serialized(model), "m"); }, {"initializer", "expected 144 bytes of data, got 108"});
  model = parsed(gru_model_bytes());
  node_of(model, "GRU").mutable_attribute(0)->set_i(5);  // hidden_size 5 for weights of 3
  require_error<ShapeError>([&] { parse_onnx(serialized(model), "m"); },
                            {"(GRU) W", "expected dims [1, 15, 2]", "got [1, 9, 2]"});
}

BOOST_AUTO_TEST_CASE(opset_too_new) {
  if (!testing::onnx_or_skip()) return;
  onnx::ModelProto model = parsed(gru_model_bytes());
  model.mutable_opset_import(0)->set_version(30);
  require_error<ValueError>([&] { parse_onnx(serialized(model), "m"); },
                            {"parse_onnx m", "opset 1 to 17", "got opset 30"});
}

BOOST_AUTO_TEST_CASE(what_the_export_cannot_express) {
  if (!testing::onnx_or_skip()) return;
  auto gelu = testing::onnx_test_model(
      {std::make_shared<Gru>(GruOptions(2).activation("gelu"))}, 2, DType::float32, 1);
  require_error<ValueError>([&] { format_onnx(*gelu); },
                            {"option activation", "relu", "got \"gelu\""});
  auto stateful = testing::onnx_test_model(
      {std::make_shared<Gru>(GruOptions(2).stateful(true))}, 2, DType::float32, 1);
  require_error<ValueError>([&] { format_onnx(*stateful); }, {"option stateful"});
  auto unbuilt = std::make_shared<Sequential>();
  unbuilt->add(sequence_input(2)).add(std::make_shared<Gru>(GruOptions(2)));
  require_error<ValueError>([&] { format_onnx(*unbuilt); }, {"save_onnx", "a built model"});
}

BOOST_AUTO_TEST_SUITE_END()
