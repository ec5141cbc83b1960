// The fused GRU's building blocks on their own: the phased thread loop, the cache blocking, the
// chunked outer products; and the whole engine on a problem large enough that every blocked
// product runs several chunks, checked by sampled central differences.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <vector>

#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/reduce.hpp"
#include "core/detail/outer_products.hpp"
#include "core/detail/phases.hpp"
#include "core/detail/tile_products.hpp"
#include "core/parallel.hpp"
#include "core/tensor_math.hpp"
#include "tests/layers/gru/fused/gru_fused_support.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using namespace grutape::detail;

BOOST_AUTO_TEST_SUITE(gru_fused_kernels_test)

BOOST_AUTO_TEST_CASE(phases_run_every_item_once_and_in_order) {
  // Each item records the phase it saw; an item of phase p must find every item of phase p - 1
  // done, on one thread or two.
  for (std::size_t threads : {1, 2}) {
    ThreadLimit limit(threads);
    constexpr std::size_t phases = 200, items = 7;
    std::vector<std::atomic<int>> runs(phases * items);
    std::vector<std::atomic<std::size_t>> done(phases);
    std::atomic<bool> ordered{true};
    run_phases(phases, items, 1e9, [&](std::size_t phase, std::size_t item) {
      if (phase > 0 && done[phase - 1].load() != items) ordered = false;
      runs[phase * items + item].fetch_add(1);
      done[phase].fetch_add(1);
    });
    BOOST_TEST(ordered.load());
    BOOST_TEST(std::all_of(runs.begin(), runs.end(), [](const auto& r) { return r.load() == 1; }));
  }
  // Nothing to do is nothing done.
  run_phases(0, 5, 1e9, [](std::size_t, std::size_t) { BOOST_FAIL("called"); });
  run_phases(5, 0, 1e9, [](std::size_t, std::size_t) { BOOST_FAIL("called"); });
}

BOOST_AUTO_TEST_CASE(product_blocks_cover_rows_and_panels_once) {
  for (std::size_t rows : {1, 7, 300, 5000}) {
    for (std::size_t k : {1, 19, 4096}) {
      const ProductBlocks blocks(rows, k, 13, sizeof(double));
      std::vector<int> seen(rows * 13, 0);
      for (std::size_t item = 0; item < blocks.items(); ++item)
        for (std::size_t r = blocks.row_begin(item); r < blocks.row_end(item); ++r)
          for (std::size_t p = blocks.panel_begin(item); p < blocks.panel_end(item); ++p)
            ++seen[r * 13 + p];
      BOOST_TEST(std::all_of(seen.begin(), seen.end(), [](int s) { return s == 1; }),
                 rows << " rows, k " << k);
    }
  }
  // A chunk of rows fits the cache budget, in whole tiles, and is at least one tile.
  const ProductBlocks wide(10000, 4096, 4, sizeof(double));
  BOOST_TEST(wide.row_end(0) - wide.row_begin(0) == ProductBlocks::kChunkBytes / (4096 * 8));
  const ProductBlocks huge(10000, 1 << 20, 4, sizeof(double));
  BOOST_TEST(huge.row_end(0) - huge.row_begin(0) == kTileRows);
}

BOOST_AUTO_TEST_CASE(outer_products_match_double_loops) {
  // 600 rows: three chunks (the last partial); m = 13 and units = 11 leave partial tiles and
  // panels; gates 0 and 2 share their A, gate 1 has its own.
  const std::size_t rows = 600, m = 13, units = 11;
  for (std::size_t threads : {1, 2}) {
    ThreadLimit limit(threads);
    const std::vector<double> a = testing::random_tensor({rows, m + 3}, 1).to_vector();
    const std::vector<double> a1 = testing::random_tensor({rows, m}, 2).to_vector();
    const std::vector<double> b = testing::random_tensor({rows, 3 * units + 5}, 3).to_vector();
    const std::array<OuterOperands<double>, 3> operands = {
        OuterOperands<double>{a.data(), m + 3, b.data(), 3 * units + 5},
        OuterOperands<double>{a1.data(), m, b.data() + units, 3 * units + 5},
        OuterOperands<double>{a.data(), m + 3, b.data() + 2 * units, 3 * units + 5}};
    std::vector<double> out(m * 3 * units);
    outer_products(rows, m, units, operands, out.data());
    for (std::size_t g = 0; g < 3; ++g) {
      for (std::size_t i = 0; i < m; ++i) {
        for (std::size_t j = 0; j < units; ++j) {
          double expected = 0;
          for (std::size_t p = 0; p < rows; ++p)
            expected +=
                operands[g].a[p * operands[g].lda + i] * operands[g].b[p * operands[g].ldb + j];
          BOOST_TEST(std::abs(out[i * 3 * units + g * units + j] - expected) <= 1e-12);
        }
      }
    }
  }
  std::vector<double> zeros(6, 1.0);
  const std::array<OuterOperands<double>, 3> none{};
  outer_products(0, 1, 2, none, zeros.data());
  for (double z : zeros) BOOST_TEST(z == 0.0);
}

BOOST_AUTO_TEST_CASE(every_blocked_product_over_several_chunks) {
  // 300 rows of 300 inputs and 200 units: the input projection, dx and both weight gradients
  // each run in several chunks of rows. Forward against the plain reference; gradients against
  // central differences on sampled elements of every operand.
  testing::FusedProblemOptions o;
  o.mask = true;
  testing::FusedProblem p = testing::random_problem(
      testing::fused_config(ResetGateMode::recurrent_bias_after_multiplication), 3, 100, 300, 200,
      o, 5);
  // Weights of the usual scale 1 / sqrt(fan-in): a well-conditioned, non-chaotic recurrence
  // whose central differences mean something.
  p.kernel = scale(p.kernel, 1 / std::sqrt(300.0));
  p.recurrent_kernel = scale(p.recurrent_kernel, 1 / std::sqrt(200.0));
  const std::vector<Value> out = testing::run_fused(p);
  const std::vector<Tensor> expected = testing::reference_fused_forward(p);
  BOOST_TEST(testing::max_abs_diff(out[0].value(), expected[0]) <= 1e-11);

  const Tensor seed = testing::random_tensor(out[0].shape(), 8);
  const std::vector<Tensor> operands = testing::problem_operands(p);
  const auto loss = [&](const std::vector<Value>& values) {
    return sum(mul(testing::run_fused(p, values)[0], Value(seed)));
  };
  std::vector<Value> values;
  for (const Tensor& t : operands) values.emplace_back(t, true);
  loss(values).backward();
  Random pick(9);
  for (std::size_t input = 0; input < operands.size(); ++input) {
    for (int sample = 0; sample < 4; ++sample) {
      const std::size_t element = static_cast<std::size_t>(
          pick.uniform({1}, 0, static_cast<double>(operands[input].size()), DType::float64).item());
      const double h = 1e-6;
      const auto at = [&](double shift) {
        std::vector<Value> shifted;
        for (std::size_t j = 0; j < operands.size(); ++j) {
          std::vector<double> v = operands[j].to_vector();
          if (j == input) v[element] += shift;
          shifted.emplace_back(Tensor::from_values(operands[j].shape(), v, DType::float64));
        }
        return loss(shifted).value().item();
      };
      const double numeric = (at(h) - at(-h)) / (2 * h);
      const double analytic = values[input].grad().flat(element);
      BOOST_TEST_INFO("operand " << input << ", element " << element);
      BOOST_TEST(std::abs(analytic - numeric) <= 1e-6 * std::max(1.0, std::abs(numeric)));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
