#include "layers/serialization/model_file.hpp"

#include "core/io/atomic_file.hpp"
#include "core/json_reader.hpp"
#include "layers/serialization/detail/model_container.hpp"
#include "layers/serialization/detail/model_weights.hpp"

namespace grutape {
namespace {

// A checkpoint is a model file with more keys (optim/training/checkpoint.hpp), so both load as
// models.
const std::vector<std::string>& model_formats() {
  static const std::vector<std::string> formats = {kModelFormat, "grutape-checkpoint"};
  return formats;
}

std::string file_where(const std::string& source) {
  return "model file \"" + source + "\"";
}

// A model file's tensors cover its data; a checkpoint's data also holds the optimizer's.
void finish_if_model(const Container& container, const TensorReader& reader) {
  if (container.header.at("format") == kModelFormat) reader.finish();
}

}  // namespace

std::string format_model(const Layer& model) {
  return format_model(model, nlohmann::json::object());
}

std::string format_model(const Layer& model, const nlohmann::json& metadata) {
  if (!metadata.is_object()) {
    throw ValueError("format_model", "metadata that is a JSON object", json_type_name(metadata));
  }
  TensorWriter writer;
  nlohmann::json header = {{"format", kModelFormat}, {"version", kModelFormatVersion}};
  header.update(write_model_section(model, writer, "format_model"));
  if (!metadata.empty()) header["metadata"] = metadata;
  try {
    return pack_container(header, writer.data());
  } catch (const nlohmann::json::type_error& error) {
    throw ValueError("format_model", "names and options in UTF-8", error.what());
  }
}

void save_model(const std::string& path, const Layer& model) {
  write_file_atomically(path, format_model(model));
}

void save_model(const std::string& path, const Layer& model, const nlohmann::json& metadata) {
  write_file_atomically(path, format_model(model, metadata));
}

nlohmann::json load_model_metadata(const std::string& path) {
  const std::string where = file_where(path);
  const std::string bytes = read_file(path);
  return as_io_error(where, [&] {
    const Container container = unpack_container(bytes, where, model_formats());
    const auto found = container.header.find("metadata");
    if (found == container.header.end()) return nlohmann::json::object();
    if (!found->is_object()) {
      throw IoError(where + ": \"metadata\"", "an object", json_type_name(*found));
    }
    return *found;
  });
}

std::shared_ptr<Layer> parse_model(const std::string& bytes, const std::string& source) {
  const std::string where = file_where(source);
  return as_io_error(where, [&] {
    const Container container = unpack_container(bytes, where, model_formats());
    TensorReader reader(container.data, where);
    std::shared_ptr<Layer> model = rebuild_model(container.header, where);
    const ModelWeights weights = read_model_weights(container.header, reader, *model, where);
    finish_if_model(container, reader);
    weights.assign(*model, where);
    return model;
  });
}

std::shared_ptr<Layer> load_model(const std::string& path) {
  return parse_model(read_file(path), path);
}

void load_weights(const std::string& path, Layer& model) {
  const std::string where = file_where(path);
  const std::string bytes = read_file(path);
  as_io_error(where, [&] {
    const Container container = unpack_container(bytes, where, model_formats());
    TensorReader reader(container.data, where);
    const ModelWeights weights = read_model_weights(container.header, reader, model, where);
    finish_if_model(container, reader);
    weights.assign(model, where);
  });
}

}  // namespace grutape
