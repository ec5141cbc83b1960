#include "layers/onnx/detail/import_build.hpp"

#include "core/error.hpp"
#include "core/text.hpp"
#include "layers/basic/activation_layer.hpp"
#include "layers/basic/dense.hpp"
#include "layers/basic/embedding.hpp"
#include "layers/basic/flatten.hpp"
#include "layers/basic/input_layer.hpp"
#include "layers/basic/masking.hpp"
#include "layers/basic/reshape.hpp"
#include "layers/basic/softmax_layer.hpp"
#include "layers/gru/bidirectional.hpp"
#include "layers/gru/gru.hpp"
#include "layers/models/sequential.hpp"

namespace grutape::onnx_detail {
namespace {

std::shared_ptr<Layer> make_layer(const LayerSpec& spec) {
  switch (spec.kind) {
    case LayerSpec::Kind::gru: {
      GruOptions options = *spec.gru;
      options.return_sequences(spec.return_sequences.value_or(false));
      if (spec.bidirectional) {
        return std::make_shared<Bidirectional>(options, spec.merge.value_or(MergeMode::concat));
      }
      return std::make_shared<Gru>(options);
    }
    case LayerSpec::Kind::dense:
      return std::make_shared<Dense>(DenseOptions(spec.kernel.shape()[1])
                                         .activation(spec.activation)
                                         .use_bias(spec.bias.defined()));
    case LayerSpec::Kind::activation:
      return std::make_shared<Activation>(spec.activation);
    case LayerSpec::Kind::softmax:
      return std::make_shared<Softmax>(spec.axis);
    case LayerSpec::Kind::flatten:
      return std::make_shared<Flatten>();
    case LayerSpec::Kind::reshape:
      return std::make_shared<Reshape>(spec.target_shape);
    case LayerSpec::Kind::masking:
      return std::make_shared<Masking>(spec.mask_value);
    case LayerSpec::Kind::embedding:
      return std::make_shared<Embedding>(
          EmbeddingOptions(spec.embeddings.shape()[0], spec.embeddings.shape()[1])
              .mask_zero(spec.mask_zero));
  }
  return nullptr;
}

void set_parameter(Layer& layer, const std::string& name, const Tensor& value,
                   const std::string& where) {
  Value parameter = layer.parameter(name);
  if (parameter.shape() != value.shape()) {
    throw ShapeError(where, name + " of shape " + shape_to_string(parameter.shape()),
                     shape_to_string(value.shape()));
  }
  parameter.mutable_value() = value.clone();
}

void set_weights(Layer& layer, const LayerSpec& spec, const std::string& where) {
  try {
    if (auto* bidirectional = dynamic_cast<Bidirectional*>(&layer)) {
      bidirectional->forward_layer().set_weights(spec.forward_levels[0]);
      bidirectional->backward_layer().set_weights(spec.backward_levels[0]);
    } else if (auto* gru = dynamic_cast<Gru*>(&layer)) {
      for (std::size_t level = 0; level < spec.forward_levels.size(); ++level) {
        gru->set_weights(spec.forward_levels[level], level + 1);
      }
    } else if (spec.kind == LayerSpec::Kind::dense) {
      set_parameter(layer, "kernel", spec.kernel, where);
      if (spec.bias.defined()) set_parameter(layer, "bias", spec.bias, where);
    } else if (spec.kind == LayerSpec::Kind::embedding) {
      set_parameter(layer, "embeddings", spec.embeddings, where);
    }
  } catch (const Error& error) {
    throw ShapeError(where + ": " + error.what());
  }
}

ShapePattern sample_shape(const ImportState& state) {
  ShapePattern sample;
  const auto& dims = state.input_dims;
  if (dims.size() == 3) sample.push_back(state.time_major_input ? dims[0] : dims[1]);
  sample.push_back(dims.back());
  const bool ids = !state.chain.empty() && state.chain.front().kind == LayerSpec::Kind::embedding;
  if (!sample.back() && !ids) {
    throw ValueError("parse_onnx " + state.source + " input", "a known number of features",
                     "a free last extent");
  }
  return sample;
}

}  // namespace

std::shared_ptr<Layer> build_imported_model(const ImportState& state) {
  auto model = std::make_shared<Sequential>();
  model->add(std::make_shared<InputLayer>(sample_shape(state), state.dtype));
  for (const LayerSpec& spec : state.chain) model->add(make_layer(spec));
  try {
    model->build();
  } catch (const Error& error) {
    throw ShapeError("parse_onnx " + state.source + ": the layers do not fit together: " + error.what());
  }
  for (std::size_t i = 0; i < state.chain.size(); ++i) {
    const std::string where = "parse_onnx " + state.source + ": node " +
                              double_quoted(state.chain[i].node);
    set_weights(*model->layers()[i + 1], state.chain[i], where);
  }
  return model;
}

}  // namespace grutape::onnx_detail
