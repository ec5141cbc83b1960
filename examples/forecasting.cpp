// Forecasting a time series: next year's sunspot number from the 10 years before it
// (examples/data/sunspots.csv, 1700-2008). A GRU reads the window, a Dense layer gives one number.
//
// The years stay in order: the first 70% of the windows train the model, the next 10% validate
// it (the val_loss curve; training stops early when it stops improving), and the last 20% are
// held out for the result. The normalisation is
// fitted on the training years only, so nothing of the future leaks into training. The result is
// the RMSE on the held-out years against the naive forecast "same as last year", the baseline a
// forecaster has to beat.
//
// Writes into the output folder: forecast.svg (held-out forecast against the truth and the naive
// forecast), loss.svg (training and validation loss per epoch), history.csv, the model file
// sunspots.model and normalizer.json (to turn new years into model inputs and back).
//
//   forecasting [epochs] [units] [max_ratio] [output folder]   (defaults 60, 32, 0.8, out)
//
// Exits with 1 when the model's RMSE is above max_ratio x the naive forecast's.

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include <grutape/grutape.hpp>

#ifndef GRUTAPE_EXAMPLE_DATA
#define GRUTAPE_EXAMPLE_DATA "examples/data"
#endif

using namespace grutape;

namespace {

constexpr std::size_t kWindow = 10;  // years the model sees before the year it predicts

double rmse(const std::vector<double>& a, const std::vector<double>& b) {
  double total = 0;
  for (std::size_t i = 0; i < a.size(); ++i) total += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(total / static_cast<double>(a.size()));
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t epochs = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 60;
  const std::size_t units = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 32;
  const double max_ratio = argc > 3 ? std::atof(argv[3]) : 0.8;
  const std::string out = argc > 4 ? argv[4] : "out";
  if (epochs < 1 || units < 1) {
    std::fprintf(stderr, "usage: forecasting [epochs] [units] [max_ratio] [output folder]\n");
    return 2;
  }

  // (309, 1): one column, the yearly mean sunspot number.
  const Tensor series = load_csv(std::string(GRUTAPE_EXAMPLE_DATA) + "/sunspots.csv",
                                 CsvOptions().columns({"SUNACTIVITY"}));
  const Tensor years =
      load_csv(std::string(GRUTAPE_EXAMPLE_DATA) + "/sunspots.csv", CsvOptions().columns({"YEAR"}));
  const std::size_t samples = series.shape()[0] - kWindow;  // window i predicts year i + 10
  const Split split = split_indices(samples, SplitOptions().train(0.7).validation(0.1));

  // Standardise with the mean and spread of the years the training windows cover (their
  // targets included), then cut the series into windows (samples, 10, 1) and targets (samples, 1).
  std::vector<std::size_t> training_years;
  for (std::size_t year = 0; year < split.train.size() + kWindow; ++year) {
    training_years.push_back(year);
  }
  const Normalizer normalizer = Normalizer::fit_standard(take_rows(series, training_years));
  const Windows windows =
      make_windows(normalizer.apply(series).to(DType::float32), WindowOptions(kWindow));
  LabeledData train, validation;
  train.x = take_rows(windows.inputs, split.train);
  train.y = take_rows(windows.targets, split.train);
  validation.x = take_rows(windows.inputs, split.validation);
  validation.y = take_rows(windows.targets, split.validation);
  const Tensor x_test = take_rows(windows.inputs, split.test);

  Sequential model;
  model.add(std::make_shared<Gru>(GruOptions(units).seed(11)))
      .add(std::make_shared<Dense>(DenseOptions(1).seed(12)));
  std::printf("training GRU(%zu) -> Dense(1) on %zu windows of %zu years, validating on %zu\n",
              units, split.train.size(), kWindow, split.validation.size());
  // Stop when the validation loss has not improved for 20 epochs and go back to the weights of
  // its best epoch: more epochs would only fit the noise of the training years.
  auto stopping = std::make_shared<EarlyStopping>(
      EarlyStoppingOptions().patience(20).restore_best_weights(true));
  const History history =
      fit(model, train,
          FitOptions()  // mean squared error, the default loss
              .optimizer(std::make_shared<Adam>(AdamOptions().learning_rate(0.005)))
              .validation_data(validation)
              .callbacks({stopping})
              .epochs(epochs)
              .batch_size(16)
              .seed(5));

  if (stopping->best_epoch()) {
    std::printf("ran %zu epochs; kept the weights of epoch %zu (validation loss %.4f)\n",
                history.size(), *stopping->best_epoch() + 1, stopping->best());
  }

  // The held-out years in sunspot numbers: the truth, the naive forecast, the model's.
  std::vector<double> held_out_years, truth, naive;
  for (std::size_t i : split.test) {
    held_out_years.push_back(years.flat(i + kWindow));
    truth.push_back(series.flat(i + kWindow));
    naive.push_back(series.flat(i + kWindow - 1));
  }
  const std::vector<double> forecast = normalizer.invert(predict(model, x_test)).to_vector();
  const double model_rmse = rmse(truth, forecast), naive_rmse = rmse(truth, naive);
  std::printf(
      "held-out years %.0f-%.0f: RMSE %.2f, naive 'same as last year' %.2f (%.1f%% lower)\n",
      held_out_years.front(), held_out_years.back(), model_rmse, naive_rmse,
      100 * (1 - model_rmse / naive_rmse));

  std::filesystem::create_directories(out);
  save_model(out + "/sunspots.model", model);
  write_file_atomically(out + "/normalizer.json", normalizer.to_json().dump(2) + "\n");
  history.save_csv(out + "/history.csv");
  write_svg(out + "/forecast.svg", LineChart()
                                       .title("Sunspots, held-out years: one year ahead")
                                       .x_label("year")
                                       .y_label("yearly mean sunspot number")
                                       .add("actual", held_out_years, truth)
                                       .add("GRU forecast", held_out_years, forecast)
                                       .add("same as last year", held_out_years, naive));
  std::vector<double> epoch_numbers;
  for (std::size_t e : history.epochs()) epoch_numbers.push_back(static_cast<double>(e + 1));
  write_svg(out + "/loss.svg", LineChart()
                                   .title("Loss (mean squared error, standardised units)")
                                   .x_label("epoch")
                                   .y_label("loss")
                                   .add("training", epoch_numbers, history["loss"])
                                   .add("validation", epoch_numbers, history["val_loss"]));
  std::printf("wrote %s/{sunspots.model, normalizer.json, history.csv, forecast.svg, loss.svg}\n",
              out.c_str());
  return model_rmse <= max_ratio * naive_rmse ? 0 : 1;
}
