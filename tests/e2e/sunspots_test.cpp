// End to end: yearly sunspot numbers, windows of 10 past years predicting the next year, a
// GRU(32) -> Dense(1) trained on the first 80% of the windows with the normalisation fitted on
// the years those windows cover. On the held-out last 20% its RMSE must be at least 25% below
// that of the naive forecast "same as last year".
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cmath>

#include "core/io/csv.hpp"
#include "layers/basic/dense.hpp"
#include "layers/gru/gru.hpp"
#include "layers/models/sequential.hpp"
#include "optim/data/dataset.hpp"
#include "optim/data/normalizer.hpp"
#include "optim/optimizers/adam.hpp"
#include "optim/training/fit.hpp"
#include "tests/e2e/e2e_engines.hpp"

using namespace grutape;

namespace {

constexpr std::size_t kWindow = 10;

double rmse(const std::vector<double>& a, const std::vector<double>& b) {
  double total = 0;
  for (std::size_t i = 0; i < a.size(); ++i) total += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(total / static_cast<double>(a.size()));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sunspots_test)

BOOST_AUTO_TEST_CASE(gru_beats_the_naive_forecast_on_the_held_out_tail) {
  const Tensor series =
      load_csv(GRUTAPE_EXAMPLE_DATA "/sunspots.csv", CsvOptions().columns({"SUNACTIVITY"}));
  BOOST_REQUIRE(series.shape()[0] == 309u);
  const std::size_t samples = series.shape()[0] - kWindow;
  const Split split = split_indices(samples, SplitOptions().train(0.8).validation(0));
  // The training windows read years 0 .. train + window - 1 (their targets included).
  std::vector<std::size_t> training_years;
  for (std::size_t year = 0; year < split.train.size() + kWindow; ++year) {
    training_years.push_back(year);
  }
  const Normalizer normalizer = Normalizer::fit_standard(take_rows(series, training_years));
  const Windows windows =
      make_windows(normalizer.apply(series).to(DType::float32), WindowOptions(kWindow));
  const Tensor x_train = take_rows(windows.inputs, split.train);
  const Tensor y_train = take_rows(windows.targets, split.train);
  const Tensor x_test = take_rows(windows.inputs, split.test);

  // Held-out truth and the naive forecast, in sunspot numbers.
  std::vector<double> truth, naive;
  for (std::size_t i : split.test) {
    truth.push_back(series.flat(i + kWindow));
    naive.push_back(series.flat(i + kWindow - 1));
  }
  const double naive_rmse = rmse(truth, naive);

  for (GruEngine engine : testing::e2e_engines()) {
    BOOST_TEST_CONTEXT("engine " << engine_name(engine)) {
      const auto start = std::chrono::steady_clock::now();
      Sequential model;
      model.add(std::make_shared<Gru>(GruOptions(32).engine(engine).seed(11)))
          .add(std::make_shared<Dense>(DenseOptions(1).seed(12)));
      fit(model, x_train, y_train,
          FitOptions()
              .optimizer(std::make_shared<Adam>(AdamOptions().learning_rate(0.005)))
              .epochs(60)
              .batch_size(16)
              .seed(5)
              .verbosity(Verbosity::quiet));
      const Tensor predicted = normalizer.invert(predict(model, x_test).to(DType::float64));
      const double model_rmse = rmse(truth, predicted.to_vector());
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      BOOST_TEST_MESSAGE("sunspots, " << engine_name(engine) << " engine: held-out RMSE "
                                      << model_rmse << " against naive " << naive_rmse << " ("
                                      << 100 * (1 - model_rmse / naive_rmse) << "% lower), "
                                      << seconds << " s");
      BOOST_TEST(model_rmse <= 0.75 * naive_rmse);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
