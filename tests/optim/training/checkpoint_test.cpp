// Checkpoints: a run that stops halfway, is saved, loaded into fresh objects and resumed ends
// bitwise where the uninterrupted run ends; every generator, the optimizer's moments, the
// schedule's position and the plateau's state come back. Damaged checkpoints are IoErrors.
#include <boost/test/unit_test.hpp>

#include <numeric>

#include <nlohmann/json.hpp>

#include "core/io/atomic_file.hpp"
#include "layers/basic/dense.hpp"
#include "layers/basic/dropout.hpp"
#include "layers/basic/input_layer.hpp"
#include "layers/gru/gru.hpp"
#include "layers/losses/losses.hpp"
#include "layers/models/sequential.hpp"
#include "layers/serialization/model_file.hpp"
#include "optim/callbacks/plateau.hpp"
#include "optim/optimizers/adam.hpp"
#include "optim/optimizers/optimizer_config.hpp"
#include "optim/optimizers/sgd.hpp"
#include "optim/schedules/schedule.hpp"
#include "optim/training/checkpoint.hpp"
#include "tests/layers/running_sum_layer.hpp"
#include "tests/layers/serialization/model_file_bytes.hpp"
#include "tests/temp_dir.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::bitwise_equal;
using testing::require_error;
using testing::TempDir;

namespace {

constexpr std::size_t kSamples = 12, kBatch = 4, kTimesteps = 5, kFeatures = 3;

// GRU with its own dropout generator, a seeded and an unseeded dropout (the process-wide
// generator), a dense head. Explicit names, so that a second model built here has the same ones.
std::shared_ptr<Sequential> make_model(bool with_gru) {
  auto model = std::make_shared<Sequential>();
  model->set_name("model");
  auto input = sequence_input(kFeatures, kTimesteps);
  input->set_name("in");
  model->add(input);
  if (with_gru) {
    auto gru = std::make_shared<Gru>(
        GruOptions(4).return_sequences(true).dropout(0.2).recurrent_dropout(0.1).seed(1));
    gru->set_name("gru");
    model->add(gru);
  }
  auto seeded = std::make_shared<Dropout>(DropoutOptions(0.3).seed(2));
  seeded->set_name("drop_seeded");
  auto unseeded = std::make_shared<Dropout>(DropoutOptions(0.2));
  unseeded->set_name("drop_global");
  auto head = std::make_shared<Dense>(DenseOptions(1).seed(3));
  head->set_name("head");
  model->add(seeded).add(unseeded).add(head);
  model->build();
  return model;
}

std::unique_ptr<Optimizer> make_adam() {
  return std::make_unique<Adam>(AdamOptions().learning_rate(0.01));
}

void register_all(Optimizer& optimizer, const Layer& model) {
  for (const auto& [name, parameter] : model.named_parameters()) {
    optimizer.add_parameter(name, parameter);
  }
}

// Rows `rows` of a (samples, ...) tensor.
Tensor select_rows(const Tensor& t, const std::vector<std::size_t>& rows) {
  const Shape shape = t.shape();
  const std::size_t row_size = t.size() / shape[0];
  std::vector<double> values;
  for (std::size_t row : rows)
    for (std::size_t i = 0; i < row_size; ++i) values.push_back(t.flat(row * row_size + i));
  Shape out = shape;
  out[0] = rows.size();
  return Tensor::from_values(out, values, t.dtype());
}

// A small training loop: each epoch shuffles the samples with its own generator; the learning
// rate is an exponential decay of the step times the plateau's factor on the epoch loss.
struct Run {
  std::shared_ptr<Layer> model;
  std::unique_ptr<Optimizer> optimizer;
  Random shuffle{42};
  ReduceOnPlateau plateau{1.0, ReduceOnPlateauOptions().patience(1).factor(0.5).min_delta(0)};
  ExponentialDecay schedule{0.01, 0.9, 2};
  TrainingState state;
  std::vector<std::size_t> order;
  std::size_t position = 0;
  double epoch_loss = 0;

  void steps(std::size_t count, const Tensor& x, const Tensor& y) {
    for (std::size_t s = 0; s < count; ++s) {
      if (position == 0) {
        order.resize(kSamples);
        std::iota(order.begin(), order.end(), 0);
        for (std::size_t i = kSamples - 1; i > 0; --i) {
          std::swap(order[i], order[shuffle.next_u64() % (i + 1)]);
        }
        epoch_loss = 0;
      }
      const std::vector<std::size_t> rows(order.begin() + position,
                                          order.begin() + position + kBatch);
      optimizer->set_learning_rate(schedule.rate(state.step) * plateau.rate());
      Value loss =
          losses::mean_squared_error(select_rows(y, rows), (*model)(Value(select_rows(x, rows))));
      epoch_loss += loss.value().item();
      loss.backward();
      optimizer->step();
      optimizer->zero_grad();
      ++state.step;
      position += kBatch;
      if (position == kSamples) {
        position = 0;
        ++state.epoch;
        plateau.observe(epoch_loss);
      }
    }
  }

  TrainingState snapshot() const {
    TrainingState s = state;
    s.plateau = plateau.state();
    s.random_states = {{"shuffle", shuffle.state()}};
    s.extra = {{"order", order}, {"position", position}, {"epoch_loss", double_bits(epoch_loss)}};
    return s;
  }

  void resume(const TrainingState& s) {
    state = s;
    plateau.load_state(s.plateau);
    shuffle.set_state(s.random_states.at("shuffle"));
    order = s.extra.at("order").get<std::vector<std::size_t>>();
    position = s.extra.at("position").get<std::size_t>();
    epoch_loss = bits_double(s.extra.at("epoch_loss").get<std::uint64_t>());
  }

  static std::uint64_t double_bits(double v) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, 8);
    return bits;
  }
  static double bits_double(std::uint64_t bits) {
    double v;
    std::memcpy(&v, &bits, 8);
    return v;
  }
};

Run fresh_run(bool with_gru) {
  Run run;
  run.model = make_model(with_gru);
  run.optimizer = make_adam();
  register_all(*run.optimizer, *run.model);
  return run;
}

void require_same(const Run& a, const Run& b) {
  const auto pa = a.model->named_parameters(), pb = b.model->named_parameters();
  BOOST_REQUIRE_EQUAL(pa.size(), pb.size());
  for (std::size_t i = 0; i < pa.size(); ++i) {
    BOOST_TEST(pa[i].first == pb[i].first);
    BOOST_TEST(bitwise_equal(pa[i].second.value(), pb[i].second.value()), pa[i].first);
  }
  BOOST_TEST(a.optimizer->state() == b.optimizer->state());
  BOOST_TEST(a.plateau.state() == b.plateau.state());
  BOOST_TEST(a.state.step == b.state.step);
  BOOST_TEST(a.state.epoch == b.state.epoch);
  BOOST_TEST(a.shuffle.state() == b.shuffle.state());
}

struct Data {
  Tensor x = testing::random_tensor({kSamples, kTimesteps, kFeatures}, 5, -1, 1, DType::float32);
  Tensor y = testing::random_tensor({kSamples, kTimesteps, 1}, 6, -1, 1, DType::float32);
};

}  // namespace

BOOST_AUTO_TEST_SUITE(checkpoint_test)

BOOST_AUTO_TEST_CASE(a_resumed_run_ends_bitwise_where_the_straight_run_ends) {
  for (const bool with_gru : {false, true}) {
    BOOST_TEST_CONTEXT("with_gru " << with_gru) {
      const Data data;
      TempDir dir;
      const std::string path = dir.file("run.checkpoint");
      // 14 steps: the halfway point (7) is in the middle of an epoch of 3 steps.
      constexpr std::size_t kSteps = 14;
      manual_seed(123);
      Run straight = fresh_run(with_gru);
      straight.steps(kSteps, data.x, data.y);
      const std::string end_random = default_random().state();

      manual_seed(123);
      std::string halfway_random;
      {
        Run first = fresh_run(with_gru);
        first.steps(kSteps / 2, data.x, data.y);
        halfway_random = default_random().state();
        save_checkpoint(path, *first.model, *first.optimizer, first.snapshot());
      }
      // Whatever happens in between must not matter.
      manual_seed(999);
      default_random().uniform();

      Checkpoint checkpoint = load_checkpoint(path);
      BOOST_TEST(default_random().state() == halfway_random);
      Run resumed;
      resumed.model = checkpoint.model;
      resumed.optimizer = make_optimizer(checkpoint.optimizer_config);
      register_all(*resumed.optimizer, *resumed.model);
      resumed.optimizer->load_state(checkpoint.optimizer_state);
      resumed.resume(checkpoint.training);
      BOOST_TEST(checkpoint.training.step == kSteps / 2);
      BOOST_TEST(checkpoint.training.epoch == kSteps / 2 / (kSamples / kBatch));
      resumed.steps(kSteps - kSteps / 2, data.x, data.y);
      require_same(straight, resumed);
      BOOST_TEST(default_random().state() == end_random);

      // The same into objects the caller made (names as before).
      manual_seed(999);
      Run again = fresh_run(with_gru);
      const TrainingState training = load_checkpoint(path, *again.model, *again.optimizer);
      again.resume(training);
      again.steps(kSteps - kSteps / 2, data.x, data.y);
      require_same(straight, again);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_checkpoint_holds_every_generator_and_the_carried_states) {
  Sequential model;
  model.add(sequence_input(2, 3));
  auto gru = std::make_shared<Gru>(GruOptions(3).stateful(true).dropout(0.5).seed(4));
  model.add(gru);
  model.add(std::make_shared<Dropout>(DropoutOptions(0.5).seed(5)));
  model.build();
  // Building ran a batch of 1 whose zero states the layer now carries; drop them.
  gru->reset_states();
  model(Value(testing::random_tensor({2, 3, 2}, 1, -1, 1, DType::float32)));
  BOOST_REQUIRE_EQUAL(gru->states().size(), 1u);
  Sgd sgd;
  register_all(sgd, model);
  TempDir dir;
  save_checkpoint(dir.file("c"), model, sgd, {});
  const auto header = testing::split_model_file(read_file(dir.file("c"))).header;
  BOOST_TEST(header.at("format") == "grutape-checkpoint");
  const nlohmann::json& layers = header.at("random").at("layers");
  BOOST_TEST(layers.size() == 2u);
  BOOST_TEST(layers.contains(gru->name() + ".dropout_masks"));
  BOOST_TEST(layers.contains(model.layers()[2]->name() + ".masks"));
  BOOST_TEST(header.at("random").at("default") == default_random().state());

  const Checkpoint back = load_checkpoint(dir.file("c"));
  BOOST_TEST(back.model->random_states() == model.random_states());
  auto* loaded = dynamic_cast<Gru*>(back.model->sublayers()[1].second.get());
  BOOST_REQUIRE(loaded);
  BOOST_REQUIRE_EQUAL(loaded->states().size(), 1u);
  BOOST_TEST(bitwise_equal(loaded->states()[0], gru->states()[0]));
  BOOST_TEST(back.optimizer_config == sgd.config());
  BOOST_TEST(back.training.plateau.is_null());
  // A checkpoint's model loads as a model file too.
  BOOST_TEST(load_model(dir.file("c"))->to_json() == model.to_json());
}

// A user's layer's carried state resumes too, beside a GRU's, and from checkpoints that list the
// carried states under their earlier name "gru_states".
BOOST_AUTO_TEST_CASE(a_users_carried_state_resumes_under_either_list_name) {
  testing::RunningSumType type;
  Sequential model;
  model.add(sequence_input(2, 3, DType::float64));
  auto sum = std::make_shared<testing::RunningSum>();
  sum->set_name("sum");
  auto gru = std::make_shared<Gru>(GruOptions(2).stateful(true).seed(6));
  gru->set_name("gru");
  model.add(sum).add(gru);
  model.build();
  model.set_training(false);
  const Tensor x = testing::random_tensor({4, 3, 2}, 5);
  model(Value(x));
  model(Value(x));
  const Tensor saved = sum->total().clone();
  Sgd sgd;
  TempDir dir;
  save_checkpoint(dir.file("c"), model, sgd, {});
  const Tensor next = model(Value(x)).value();
  const auto parts = testing::split_model_file(read_file(dir.file("c")));
  const nlohmann::json& carried = parts.header.at("carried_states");
  BOOST_REQUIRE_EQUAL(carried.size(), 2u);
  BOOST_TEST(carried[0].at("path") == "sum");
  BOOST_TEST(carried[0].at("total").size() == 1u);
  BOOST_TEST(carried[1].at("path") == "gru");
  BOOST_TEST(carried[1].at("states").size() == 1u);
  for (const std::string list : {"carried_states", "gru_states"}) {
    BOOST_TEST_CONTEXT(list) {
      nlohmann::json header = parts.header;
      header.erase("carried_states");
      header[list] = carried;
      write_file_atomically(dir.file("listed"), testing::join_model_file(header, parts.data));
      const Checkpoint back = load_checkpoint(dir.file("listed"));
      BOOST_TEST(bitwise_equal(back.model->state("sum.total")[0], saved));
      back.model->set_training(false);
      BOOST_TEST(bitwise_equal((*back.model)(Value(x)).value(), next));
    }
  }
  // The layer refuses a total of another shape; nothing is restored then.
  nlohmann::json header = parts.header;
  header["carried_states"][0]["total"][0]["shape"] = {2, 3};
  write_file_atomically(dir.file("bad"), testing::join_model_file(header, parts.data));
  model.reset_states();
  require_error<IoError>([&] { load_checkpoint(dir.file("bad"), model, sgd); },
                         {"checkpoint \"" + dir.file("bad") + "\": \"carried_states\": sum: total",
                          "(3, 2)", "(2, 3)"});
  BOOST_TEST(!sum->total().defined());
}

BOOST_AUTO_TEST_CASE(damaged_checkpoints_are_io_errors) {
  Run run = fresh_run(false);
  const Data data;
  run.steps(2, data.x, data.y);
  TempDir dir;
  const std::string path = dir.file("c");
  save_checkpoint(path, *run.model, *run.optimizer, run.snapshot());
  const std::string where = "checkpoint \"" + path + "\"";
  const std::string good = read_file(path);
  const auto rewrite = [&](const std::function<void(nlohmann::json&)>& edit) {
    testing::ModelFileParts parts = testing::split_model_file(good);
    edit(parts.header);
    write_file_atomically(path, testing::join_model_file(parts.header, parts.data));
  };
  const auto load = [&] { load_checkpoint(path); };

  write_file_atomically(path, good.substr(0, good.size() - 3));
  require_error<IoError>(load, {where, "truncated?"});
  rewrite([](nlohmann::json& h) { h["training"].erase("step"); });
  require_error<IoError>(load, {where + ": \"training\"", "the key \"step\""});
  rewrite([](nlohmann::json& h) { h["random"]["default"] = "12 34"; });
  require_error<IoError>(load, {where + ": \"random\": \"default\"", "Random::set_state"});
  rewrite([](nlohmann::json& h) { h["training"]["random_states"]["shuffle"] = 7; });
  require_error<IoError>(
      load, {where + ": \"training\": \"random_states\": \"shuffle\"", "a generator state"});
  rewrite([](nlohmann::json& h) {
    auto& slots = h["optimizer"]["state"]["parameters"]["head.bias"]["slots"];
    slots["m"]["offset"] = slots["v"]["offset"];
  });
  require_error<IoError>(load, {where + ": data", "tensors that cover every byte"});
  rewrite([](nlohmann::json& h) { h["random"]["layers"].erase("drop_seeded.masks"); });
  require_error<IoError>(load, {where + ": \"random\": \"layers\"", "drop_seeded.masks"});
  rewrite([](nlohmann::json& h) { h["format"] = "grutape-model"; });
  require_error<IoError>(
      load, {where + ": \"format\"", "\"grutape-checkpoint\"", "got \"grutape-model\""});

  // A model file is not a checkpoint; a checkpoint for another optimizer type is refused.
  write_file_atomically(path, good);
  save_model(dir.file("m"), *run.model);
  require_error<IoError>(
      [&] { load_checkpoint(dir.file("m")); },
      {"checkpoint \"" + dir.file("m") + "\": \"format\"", "got \"grutape-model\""});
  Run other = fresh_run(false);
  Sgd sgd;
  register_all(sgd, *other.model);
  require_error<IoError>([&] { load_checkpoint(path, *other.model, sgd); },
                         {where + ": \"optimizer\"", "sgd::load_state", "adam"});
}

BOOST_AUTO_TEST_SUITE_END()
