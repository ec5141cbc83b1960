#include "layers/gru/layouts/npy.hpp"

#include <filesystem>
#include <map>
#include <system_error>

#include "core/io/npy.hpp"

namespace grutape {
namespace {

std::string file_path(const std::string& directory, const std::string& name) {
  return (std::filesystem::path(directory) / name).string();
}

std::string where_of(const char* function, const std::string& directory, GruLayout layout) {
  return std::string(function) + " \"" + directory + "\" (" + gru_layout_name(layout) + ")";
}

}  // namespace

std::string gru_npy_file_name(GruLayout layout, const std::string& tensor, std::size_t level) {
  // PyTorch numbers the levels of a deep GRU in its parameter names; the others have one level.
  const std::string suffix =
      layout == GruLayout::pytorch ? "_l" + std::to_string(level == 0 ? 0 : level - 1) : "";
  return tensor + suffix + ".npy";
}

void export_gru_weights(const std::string& directory, const Gru& gru, GruLayout layout,
                        std::size_t level) {
  const std::string where = where_of("export_gru_weights", directory, layout);
  const std::map<std::string, Tensor> tensors = gru.get_weights(layout, level);
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) throw IoError(where, "a directory that can be created", error.message());
  for (const std::string& name : gru_layout_tensor_names(layout)) {
    const std::string path = file_path(directory, gru_npy_file_name(layout, name, level));
    const auto found = tensors.find(name);
    if (found != tensors.end()) {
      save_npy(path, found->second);
    } else if (std::filesystem::remove(path, error); error) {
      throw IoError(where, "to remove the stale file \"" + path + "\"", error.message());
    }
  }
}

void import_gru_weights(const std::string& directory, Gru& gru, GruLayout layout,
                        std::size_t level) {
  const std::string where = where_of("import_gru_weights", directory, layout);
  const std::vector<std::string>& names = gru_layout_tensor_names(layout);
  std::map<std::string, Tensor> tensors;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string path = file_path(directory, gru_npy_file_name(layout, names[i], level));
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
      // The input and recurrent weights come first in every layout; the rest may be absent.
      if (i < 2) throw IoError(where, "the file \"" + path + "\"", "none");
      continue;
    }
    tensors[names[i]] = load_npy(path);
  }
  try {
    gru.set_weights(layout, tensors, level);
  } catch (const IoError&) {
    throw;
  } catch (const Error& error) {
    throw IoError(where + ": " + error.what());
  }
}

}  // namespace grutape
