#pragma once
// Training data described in JSON (the "data" section of a grutape train config,
// docs/config.md), and the pipeline that turns a file into model inputs the same way later.
//
// Two sources:
//   a table   "file": one CSV or rank-2 .npy file; "target_columns" and "input_columns" pick its
//             columns, by header name or 0-based index. With "window", the table is a series
//             cut into forecasting windows (make_windows); without, each row is one sample.
//   arrays    "inputs" and "targets": one file each (.npy of any rank, or CSV), sample i in
//             row i of both.
// The samples are split into training, validation and test sets (split_indices). A normaliser
// is fitted on the training part only (for windows: on the table rows the training windows
// read) and applied to every set; the pipeline keeps it, so that predict and evaluate normalise
// new data with the same statistics and predictions are mapped back to the data's units.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/io/csv.hpp"
#include "optim/data/dataset.hpp"
#include "optim/data/normalizer.hpp"
#include "optim/training/fit_options.hpp"

namespace grutape {

/// `path` taken from the folder `base_dir` unless absolute (or `base_dir` is empty): the rule
/// for every relative path of a config.
std::string resolve_config_path(const std::string& path, const std::string& base_dir);

/// How a file becomes model inputs and targets; saved with a trained model.
struct DataPipeline {
  /// True for a table source ("file"), false for arrays ("inputs" and "targets").
  bool table = true;
  /// The CSV header rule and separator used for every CSV file read.
  CsvHeader header = CsvHeader::detect;
  char delimiter = ',';
  /// Table columns of the inputs and the targets, resolved (names where the table had a header).
  std::vector<CsvColumn> input_columns;
  std::vector<CsvColumn> target_columns;
  /// Forecasting windows over the table; none for one sample per row.
  std::optional<WindowOptions> window;
  /// Fitted on the training inputs (features on the last axis); unfitted for none.
  Normalizer input_normalizer;
  /// Fitted on the training targets (for windows: one copy per horizon step); unfitted for none.
  Normalizer target_normalizer;
  /// The dtype of the model's inputs and targets.
  DType dtype = DType::float32;

  /// The model inputs in the file at `path`: a table's input columns (cut into input windows up
  /// to the series' end), or an inputs array; normalised.
  Tensor inputs_from_file(const std::string& path) const;
  /// Inputs and targets both from the table file at `path` (windows as in training); a
  /// ValueError for an arrays pipeline, which needs a targets file.
  LabeledData labeled_from_file(const std::string& path) const;
  /// inputs_from_file(inputs_path) with the targets array in `targets_path` (every column of a
  /// CSV), normalised as the training targets were.
  LabeledData labeled_from_files(const std::string& inputs_path,
                                 const std::string& targets_path) const;
  /// Model outputs mapped back to the targets' units (unchanged without a target normaliser;
  /// a ShapeError when their last extent differs from its features).
  Tensor invert_targets(const Tensor& outputs) const;

  /// Every field as JSON (normalisers as Normalizer::to_json, null when unfitted).
  nlohmann::json to_json() const;
  /// The inverse of to_json; a ValueError names the key at fault.
  static DataPipeline from_json(const nlohmann::json& json, const std::string& where);
};

/// The "data" section of a config: the sources and how they are prepared.
struct DataConfig {
  /// The table file (table source); empty for arrays.
  std::string file;
  /// The inputs and targets files (arrays source); empty for a table.
  std::string inputs;
  std::string targets;
  /// CSV reading: header rule and separator.
  CsvHeader header = CsvHeader::detect;
  char delimiter = ',';
  /// Table columns as written; empty inputs: every other column, or the targets with windows.
  std::vector<CsvColumn> input_columns;
  std::vector<CsvColumn> target_columns;
  /// Forecasting windows; none for one sample per row.
  std::optional<WindowOptions> window;
  /// The scaling of the inputs; none by default.
  std::optional<NormalizerKind> normalize;
  /// Scale the targets too (regression); default false (class ids stay as they are).
  bool normalize_targets = false;
  /// Training / validation / test fractions.
  SplitOptions split;
  /// The dtype of the model's inputs and targets; default float32.
  DType dtype = DType::float32;

  /// Reads the section; relative paths are taken from `base_dir`. A ValueError names the key
  /// at fault after `where` (e.g. "data: key \"window\": key \"size\"") for an unknown key, a
  /// wrong type or a bad value.
  static DataConfig from_json(const nlohmann::json& json, const std::string& where,
                              const std::string& base_dir);
};

/// The three sets and the pipeline that made them.
struct PreparedData {
  LabeledData train;
  /// Undefined tensors when the split leaves no validation rows.
  LabeledData validation;
  /// Undefined tensors when the split leaves no test rows.
  LabeledData test;
  DataPipeline pipeline;
};

/// Loads, windows, splits and normalises as `config` says. IoErrors name a file that cannot be
/// read, ValueErrors a column that is not in the table or a training set left empty.
PreparedData prepare_data(const DataConfig& config);

}  // namespace grutape
