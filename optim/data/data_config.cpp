#include "optim/data/data_config.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/indexing.hpp"
#include "core/io/array_file.hpp"
#include "core/json_reader.hpp"
#include "core/text.hpp"

namespace grutape {
namespace {

const char* header_name(CsvHeader header) {
  switch (header) {
    case CsvHeader::present:
      return "present";
    case CsvHeader::absent:
      return "absent";
    default:
      return "detect";
  }
}

CsvHeader header_from_name(const std::string& name, const std::string& where) {
  if (name == "detect") return CsvHeader::detect;
  if (name == "present") return CsvHeader::present;
  if (name == "absent") return CsvHeader::absent;
  throw ValueError(where, "one of \"detect\", \"present\", \"absent\"", "\"" + name + "\"");
}

char delimiter_from(const std::string& text, const std::string& where) {
  if (text.size() != 1) throw ValueError(where, "one character", "\"" + text + "\"");
  return text[0];
}

nlohmann::json column_to_json(const CsvColumn& column) {
  if (column.by_index()) return column.index();
  return column.name();
}

std::vector<CsvColumn> columns_from_json(const nlohmann::json& json, const std::string& where) {
  if (!json.is_array())
    throw ValueError(where, "an array of names or indices", json_type_name(json));
  std::vector<CsvColumn> columns;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const nlohmann::json& item = json[i];
    if (item.is_string()) {
      columns.emplace_back(item.get<std::string>());
    } else if (item.is_number_integer() && item.get<long long>() >= 0) {
      columns.emplace_back(item.get<std::size_t>());
    } else {
      throw ValueError(where + "[" + std::to_string(i) + "]",
                       "a column name (string) or 0-based index", json_type_name(item));
    }
  }
  return columns;
}

nlohmann::json columns_to_json(const std::vector<CsvColumn>& columns) {
  nlohmann::json json = nlohmann::json::array();
  for (const CsvColumn& column : columns) json.push_back(column_to_json(column));
  return json;
}

// A table file as float64 (rows, columns) with its header names (empty for .npy or no header).
struct Table {
  Tensor values;
  std::vector<std::string> names;
};

Table load_table(const std::string& path, CsvHeader header, char delimiter) {
  Table table;
  table.values = load_array(path, CsvOptions().header(header).delimiter(delimiter), &table.names)
                     .to(DType::float64);
  if (table.values.rank() == 1) table.values = table.values.reshaped({table.values.shape()[0], 1});
  if (table.values.rank() != 2) {
    throw ShapeError("data \"" + path + "\"", "a table of rank 2 (rows, columns)",
                     "shape " + shape_to_string(table.values.shape()));
  }
  return table;
}

std::size_t resolve_column(const CsvColumn& column, const Table& table, const std::string& path) {
  const std::size_t width = table.values.shape()[1];
  const std::string where = "data \"" + path + "\"";
  if (column.by_index()) {
    if (column.index() < 0 || static_cast<std::size_t>(column.index()) >= width) {
      throw ValueError(where, "a column index below " + std::to_string(width), column.to_string());
    }
    return static_cast<std::size_t>(column.index());
  }
  const auto found = std::find(table.names.begin(), table.names.end(), column.name());
  if (found == table.names.end()) {
    throw ValueError(where,
                     table.names.empty() ? "column indices (the file has no header)"
                                         : "a column among " + join(table.names),
                     column.to_string());
  }
  return static_cast<std::size_t>(found - table.names.begin());
}

std::vector<std::size_t> resolve_columns(const std::vector<CsvColumn>& columns, const Table& table,
                                         const std::string& path) {
  std::vector<std::size_t> indices;
  for (const CsvColumn& column : columns) indices.push_back(resolve_column(column, table, path));
  return indices;
}

// The columns `indices` of a (rows, width) table, in that order.
Tensor take_columns(const Tensor& table, const std::vector<std::size_t>& indices) {
  const std::size_t rows = table.shape()[0], width = table.shape()[1];
  const std::vector<double> values = table.to_vector();
  std::vector<double> taken;
  taken.reserve(rows * indices.size());
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c : indices) taken.push_back(values[r * width + c]);
  }
  return Tensor::from_values({rows, indices.size()}, taken, DType::float64);
}

// The columns of `left`, then those of `right`, rows side by side.
Tensor concat_columns(const Tensor& left, const Tensor& right) {
  return detail::concat_tensors({left, right}, 1);
}

Tensor load_arrays_file(const std::string& path, const DataPipeline& pipeline) {
  Tensor values =
      load_array(path, CsvOptions().header(pipeline.header).delimiter(pipeline.delimiter));
  return values.to(DType::float64);
}

Tensor normalized(const Normalizer& normalizer, const Tensor& x) {
  return normalizer.fitted() ? normalizer.apply(x) : x;
}

Normalizer fit_normalizer(NormalizerKind kind, const Tensor& data) {
  return kind == NormalizerKind::standard ? Normalizer::fit_standard(data)
                                          : Normalizer::fit_min_max(data);
}

LabeledData take_set(const Tensor& x, const Tensor& y, const std::vector<std::size_t>& rows) {
  LabeledData set;
  if (rows.empty()) return set;
  set.x = take_rows(x, rows);
  set.y = take_rows(y, rows);
  return set;
}

// The column indices of the pipeline's windows within the columns it keeps: inputs first, then
// the targets.
WindowOptions pipeline_window(const WindowOptions& window, std::size_t inputs,
                              std::size_t targets) {
  std::vector<std::size_t> input_columns(inputs), target_columns(targets);
  for (std::size_t i = 0; i < inputs; ++i) input_columns[i] = i;
  for (std::size_t i = 0; i < targets; ++i) target_columns[i] = inputs + i;
  return WindowOptions(window.window())
      .horizon(window.horizon())
      .stride(window.stride())
      .input_columns(input_columns)
      .target_columns(target_columns);
}

}  // namespace

std::string resolve_config_path(const std::string& path, const std::string& base_dir) {
  if (path.empty() || std::filesystem::path(path).is_absolute() || base_dir.empty()) return path;
  std::string joined = (std::filesystem::path(base_dir) / path).lexically_normal().string();
  // "dir/." normalises to "dir/"; the folder itself is meant.
  if (joined.size() > 1 && joined.back() == '/') joined.pop_back();
  return joined;
}

Tensor DataPipeline::inputs_from_file(const std::string& path) const {
  if (!table) return normalized(input_normalizer, load_arrays_file(path, *this)).to(dtype);
  const Table loaded = load_table(path, header, delimiter);
  const Tensor inputs = take_columns(loaded.values, resolve_columns(input_columns, loaded, path));
  if (!window) return normalized(input_normalizer, inputs).to(dtype);
  const Tensor windows =
      make_input_windows(inputs, WindowOptions(window->window()).stride(window->stride()));
  return normalized(input_normalizer, windows).to(dtype);
}

LabeledData DataPipeline::labeled_from_file(const std::string& path) const {
  if (!table) {
    throw ValueError("data \"" + path + "\"", "a targets file (the model was trained on arrays)",
                     "none");
  }
  const Table loaded = load_table(path, header, delimiter);
  const Tensor inputs = take_columns(loaded.values, resolve_columns(input_columns, loaded, path));
  const Tensor targets = take_columns(loaded.values, resolve_columns(target_columns, loaded, path));
  LabeledData data;
  if (window) {
    const Windows windows =
        make_windows(concat_columns(inputs, targets),
                     pipeline_window(*window, inputs.shape()[1], targets.shape()[1]));
    data.x = windows.inputs;
    data.y = windows.targets;
  } else {
    data.x = inputs;
    data.y = targets;
  }
  data.x = normalized(input_normalizer, data.x).to(dtype);
  data.y = normalized(target_normalizer, data.y).to(dtype);
  return data;
}

LabeledData DataPipeline::labeled_from_files(const std::string& inputs_path,
                                             const std::string& targets_path) const {
  LabeledData data;
  data.x = inputs_from_file(inputs_path);
  data.y = normalized(target_normalizer, load_arrays_file(targets_path, *this)).to(dtype);
  return data;
}

Tensor DataPipeline::invert_targets(const Tensor& outputs) const {
  return target_normalizer.fitted() ? target_normalizer.invert(outputs) : outputs;
}

nlohmann::json DataPipeline::to_json() const {
  nlohmann::json json = {{"source", table ? "table" : "arrays"},
                         {"header", header_name(header)},
                         {"delimiter", std::string(1, delimiter)},
                         {"input_columns", columns_to_json(input_columns)},
                         {"target_columns", columns_to_json(target_columns)},
                         {"dtype", dtype_name(dtype)}};
  json["window"] = nullptr;
  if (window) {
    json["window"] = {
        {"size", window->window()}, {"horizon", window->horizon()}, {"stride", window->stride()}};
  }
  json["input_normalizer"] = input_normalizer.fitted() ? input_normalizer.to_json() : nullptr;
  json["target_normalizer"] = target_normalizer.fitted() ? target_normalizer.to_json() : nullptr;
  return json;
}

DataPipeline DataPipeline::from_json(const nlohmann::json& json, const std::string& where) {
  JsonReader in(json, where);
  DataPipeline pipeline;
  const std::string source = in.string("source");
  if (source != "table" && source != "arrays") {
    throw ValueError(in.where("source"), "\"table\" or \"arrays\"", "\"" + source + "\"");
  }
  pipeline.table = source == "table";
  pipeline.header = header_from_name(in.string("header"), in.where("header"));
  pipeline.delimiter = delimiter_from(in.string("delimiter"), in.where("delimiter"));
  pipeline.input_columns = columns_from_json(in.value("input_columns"), in.where("input_columns"));
  pipeline.target_columns =
      columns_from_json(in.value("target_columns"), in.where("target_columns"));
  pipeline.dtype = dtype_from_name(in.string("dtype"));
  const nlohmann::json& window = in.value("window");
  if (!window.is_null()) {
    JsonReader w(window, in.where("window"));
    pipeline.window =
        WindowOptions(w.size("size")).horizon(w.size("horizon")).stride(w.size("stride"));
    w.finish();
  }
  for (const auto& [key, normalizer] :
       {std::pair{"input_normalizer", &pipeline.input_normalizer},
        std::pair{"target_normalizer", &pipeline.target_normalizer}}) {
    const nlohmann::json& value = in.value(key);
    if (!value.is_null()) *normalizer = Normalizer::from_json(value);
  }
  in.finish();
  return pipeline;
}

DataConfig DataConfig::from_json(const nlohmann::json& json, const std::string& where,
                                 const std::string& base_dir) {
  JsonReader in(json, where);
  DataConfig config;
  config.file = resolve_config_path(in.string("file", ""), base_dir);
  config.inputs = resolve_config_path(in.string("inputs", ""), base_dir);
  config.targets = resolve_config_path(in.string("targets", ""), base_dir);
  config.header = header_from_name(in.string("header", "detect"), in.where("header"));
  config.delimiter = delimiter_from(in.string("delimiter", ","), in.where("delimiter"));
  if (in.has("input_columns")) {
    config.input_columns = columns_from_json(in.value("input_columns"), in.where("input_columns"));
  }
  if (in.has("target_columns")) {
    config.target_columns =
        columns_from_json(in.value("target_columns"), in.where("target_columns"));
  }
  if (in.has("window")) {
    JsonReader w(in.value("window"), in.where("window"));
    config.window =
        WindowOptions(w.size("size")).horizon(w.size("horizon", 1)).stride(w.size("stride", 1));
    w.finish();
  }
  const std::string normalize = in.string("normalize", "none");
  if (normalize != "none") {
    try {
      config.normalize = normalizer_kind_from_name(normalize);
    } catch (const ValueError&) {
      throw ValueError(in.where("normalize"), "one of \"none\", \"standard\", \"min_max\"",
                       "\"" + normalize + "\"");
    }
  }
  config.normalize_targets = in.boolean("normalize_targets", false);
  if (in.has("split")) {
    JsonReader s(in.value("split"), in.where("split"));
    config.split = SplitOptions()
                       .train(s.number("train", 0.8))
                       .validation(s.number("validation", 0.1))
                       .shuffle(s.boolean("shuffle", false));
    if (s.has("seed")) config.split.seed(s.unsigned_integer("seed"));
    s.finish();
  }
  if (in.has("dtype")) {
    try {
      config.dtype = dtype_from_name(in.string("dtype"));
    } catch (const ValueError&) {
      throw ValueError(in.where("dtype"), "\"float32\" or \"float64\"",
                       "\"" + in.string("dtype") + "\"");
    }
  }
  in.finish();

  const bool table = !config.file.empty();
  const bool arrays = !config.inputs.empty() || !config.targets.empty();
  if (table == arrays) {
    throw ValueError(where, "either \"file\" or both \"inputs\" and \"targets\"",
                     table ? "both kinds of source" : "no source");
  }
  if (arrays && (config.inputs.empty() || config.targets.empty())) {
    throw ValueError(where, "both \"inputs\" and \"targets\"",
                     config.inputs.empty() ? "no \"inputs\"" : "no \"targets\"");
  }
  if (table && config.target_columns.empty()) {
    throw ValueError(where, "\"target_columns\" for a table \"file\"", "none");
  }
  if (arrays &&
      (config.window || !config.input_columns.empty() || !config.target_columns.empty())) {
    throw ValueError(where, "no \"window\" or columns with \"inputs\" and \"targets\" arrays",
                     "them");
  }
  return config;
}

PreparedData prepare_data(const DataConfig& config) {
  PreparedData prepared;
  DataPipeline& pipeline = prepared.pipeline;
  pipeline.table = !config.file.empty();
  pipeline.header = config.header;
  pipeline.delimiter = config.delimiter;
  pipeline.window = config.window;
  pipeline.dtype = config.dtype;

  Tensor x, y;
  // Rows of the table (windows: of the series) the training samples read, for the normaliser.
  std::vector<std::size_t> training_rows;
  Split split;
  if (pipeline.table) {
    const Table loaded = load_table(config.file, config.header, config.delimiter);
    const std::vector<std::size_t> targets =
        resolve_columns(config.target_columns, loaded, config.file);
    std::vector<std::size_t> inputs = resolve_columns(config.input_columns, loaded, config.file);
    if (config.input_columns.empty()) {
      // Forecasting reads the series it predicts; a table's inputs are its other columns.
      if (config.window) {
        inputs = targets;
      } else {
        const std::set<std::size_t> target_set(targets.begin(), targets.end());
        for (std::size_t c = 0; c < loaded.values.shape()[1]; ++c) {
          if (!target_set.count(c)) inputs.push_back(c);
        }
      }
    }
    // Saved by name where the table has a header, so a file with its columns moved still works.
    const auto as_columns = [&](const std::vector<std::size_t>& indices) {
      std::vector<CsvColumn> columns;
      for (std::size_t c : indices) {
        if (loaded.names.empty()) {
          columns.emplace_back(c);
        } else {
          columns.emplace_back(loaded.names[c]);
        }
      }
      return columns;
    };
    pipeline.input_columns = as_columns(inputs);
    pipeline.target_columns = as_columns(targets);
    const Tensor input_table = take_columns(loaded.values, inputs);
    const Tensor target_table = take_columns(loaded.values, targets);
    if (config.window) {
      const WindowOptions options = pipeline_window(*config.window, inputs.size(), targets.size());
      const Tensor series = concat_columns(input_table, target_table);
      const Windows windows = make_windows(series, options);
      split = split_indices(windows.inputs.shape()[0], config.split);
      std::set<std::size_t> rows;
      const std::size_t span = config.window->window() + config.window->horizon();
      for (std::size_t i : split.train) {
        for (std::size_t t = 0; t < span; ++t) rows.insert(i * config.window->stride() + t);
      }
      training_rows.assign(rows.begin(), rows.end());
      x = windows.inputs;
      y = windows.targets;
      if (config.normalize && !training_rows.empty()) {
        const Normalizer series_normalizer =
            fit_normalizer(*config.normalize, take_rows(series, training_rows));
        std::vector<std::size_t> input_features(inputs.size()), target_features;
        for (std::size_t i = 0; i < inputs.size(); ++i) input_features[i] = i;
        // Targets are step-major: the target columns once per horizon step.
        for (std::size_t h = 0; h < config.window->horizon(); ++h) {
          for (std::size_t j = 0; j < targets.size(); ++j)
            target_features.push_back(inputs.size() + j);
        }
        pipeline.input_normalizer = series_normalizer.select(input_features);
        if (config.normalize_targets) {
          pipeline.target_normalizer = series_normalizer.select(target_features);
        }
      }
    } else {
      x = input_table;
      y = target_table;
    }
  } else {
    x = load_arrays_file(config.inputs, pipeline);
    y = load_arrays_file(config.targets, pipeline);
    if (x.rank() == 0 || y.rank() == 0 || x.shape()[0] != y.shape()[0]) {
      throw ShapeError(
          "data", "inputs and targets with the same number of rows",
          "shapes " + shape_to_string(x.shape()) + " and " + shape_to_string(y.shape()));
    }
  }
  if (!config.window) {
    split = split_indices(x.shape()[0], config.split);
    if (config.normalize && !split.train.empty()) {
      pipeline.input_normalizer = fit_normalizer(*config.normalize, take_rows(x, split.train));
      if (config.normalize_targets) {
        pipeline.target_normalizer = fit_normalizer(*config.normalize, take_rows(y, split.train));
      }
    }
  }
  if (split.train.empty()) {
    throw ValueError("data", "at least one training sample",
                     "none of " + std::to_string(x.shape()[0]) + " samples (split train " +
                         format_number(config.split.train()) + ")");
  }
  x = normalized(pipeline.input_normalizer, x).to(config.dtype);
  y = normalized(pipeline.target_normalizer, y).to(config.dtype);
  prepared.train = take_set(x, y, split.train);
  prepared.validation = take_set(x, y, split.validation);
  prepared.test = take_set(x, y, split.test);
  return prepared;
}

}  // namespace grutape
