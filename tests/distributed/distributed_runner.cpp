// The program the distributed ctest entries run under mpirun (distributed_test.cmake):
//
//   distributed_runner train OUT [options]   trains a GRU + Dense model with dropout on shuffled
//                                            data; rank 0 writes the weights and the history to OUT
//   distributed_runner compare A B BOUND     exit 0 when every number of A and B agrees within
//                                            BOUND relative (0: bitwise), printing the largest
//
// train's options: --epochs E (3), --batch B rows per process (8), --dtype float64|float32,
// --checkpoint PATH (rank 0 writes a checkpoint after training), --resume PATH (every rank
// resumes from it), --fail-rank R (rank R throws in its first batch), --model-file PATH (rank 0
// saves the model after training), --history-from E (report the epochs from E on),
// --fail-writer 1 (a callback of rank 0 alone fails after the first epoch).

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/io/atomic_file.hpp"
#include "layers/basic/dense.hpp"
#include "layers/basic/dropout.hpp"
#include "layers/basic/input_layer.hpp"
#include "layers/gru/gru.hpp"
#include "layers/layer_json.hpp"
#include "layers/models/sequential.hpp"
#include "layers/serialization/model_file.hpp"
#include "optim/distributed/communicator.hpp"
#include "optim/optimizers/adam.hpp"
#include "optim/optimizers/parameter_registration.hpp"
#include "optim/training/checkpoint.hpp"
#include "optim/training/fit.hpp"

namespace {

using namespace grutape;

constexpr std::size_t kSamples = 52, kTimesteps = 6, kFeatures = 3;

// Passes its input on, except on rank `rank` in training, where it throws.
class FailOnRank : public Layer {
 public:
  FailOnRank(std::size_t rank, std::size_t failing) : Layer("fail_on_rank"), failing_(rank == failing) {}
  Value forward(const Value& input) override {
    if (failing_ && flags().training) {
      throw ValueError("fail_on_rank", "a batch it lets through", "the first batch of this rank");
    }
    return input;
  }
  nlohmann::json to_json() const override { return layer_json_header(*this); }

 protected:
  void build_parameters(const Shape&, DType) override {}

 private:
  bool failing_;
};

// A callback of rank 0 alone (as one that writes files) that fails at the end of the first epoch.
class FailingWriter : public Callback {
 public:
  void on_epoch_end(TrainingRun&, std::size_t, Logs&) override {
    throw IoError("failing_writer", "a file it can write", "none");
  }
  bool leader_only() const override { return true; }
};

struct Args {
  std::string out;
  std::size_t epochs = 3, batch = 8;
  DType dtype = DType::float64;
  std::string checkpoint, resume, model_file;
  std::size_t history_from = 0;
  long fail_rank = -1;
  bool fail_writer = false;
};

Args parse(int argc, char** argv) {
  Args args;
  args.out = argv[2];
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--epochs") args.epochs = std::stoul(value);
    else if (key == "--batch") args.batch = std::stoul(value);
    else if (key == "--dtype") args.dtype = value == "float32" ? DType::float32 : DType::float64;
    else if (key == "--checkpoint") args.checkpoint = value;
    else if (key == "--resume") args.resume = value;
    else if (key == "--model-file") args.model_file = value;
    else if (key == "--fail-writer") args.fail_writer = value == "1";
    else if (key == "--history-from") args.history_from = std::stoul(value);
    else if (key == "--fail-rank") args.fail_rank = std::stol(value);
    else throw ValueError("distributed_runner", "a known option", key);
  }
  return args;
}

// x[s, t, f] = sin(0.37 s + 0.9 t + 1.7 f), y[s] = mean over t and f of x plus 0.1 cos(s).
LabeledData data(DType dtype) {
  std::vector<double> x, y;
  for (std::size_t s = 0; s < kSamples; ++s) {
    double sum = 0;
    for (std::size_t t = 0; t < kTimesteps; ++t) {
      for (std::size_t f = 0; f < kFeatures; ++f) {
        x.push_back(std::sin(0.37 * s + 0.9 * t + 1.7 * f));
        sum += x.back();
      }
    }
    y.push_back(sum / (kTimesteps * kFeatures) + 0.1 * std::cos(double(s)));
  }
  return LabeledData{Tensor::from_values({kSamples, kTimesteps, kFeatures}, x, dtype),
                     Tensor::from_values({kSamples, 1}, y, dtype), Tensor(), Tensor()};
}

std::shared_ptr<Sequential> model(const Args& args, std::size_t rank) {
  auto sequential = std::make_shared<Sequential>();
  sequential->add(sequence_input(kFeatures, kTimesteps, args.dtype));
  if (args.fail_rank >= 0) {
    sequential->add(std::make_shared<FailOnRank>(rank, static_cast<std::size_t>(args.fail_rank)));
  }
  sequential->add(std::make_shared<Gru>(GruOptions(6).dropout(0.2).recurrent_dropout(0.1).seed(1)));
  sequential->add(std::make_shared<Dropout>(DropoutOptions(0.1).seed(2)));
  sequential->add(std::make_shared<Dense>(DenseOptions(1).seed(3)));
  sequential->build();
  return sequential;
}

// Every parameter and the history entries of the epochs from `from` on, one number a line,
// exactly.
std::string report(const Layer& trained, const History& history, std::size_t from) {
  std::ostringstream out;
  char number[64];
  for (const auto& [name, parameter] : trained.named_parameters()) {
    for (double value : parameter.value().to_vector()) {
      std::snprintf(number, sizeof number, "%.17g", value);
      out << name << " " << number << "\n";
    }
  }
  for (const std::string key : {"loss", "mae", "val_loss"}) {
    for (std::size_t i = 0; i < history.epochs().size(); ++i) {
      if (history.epochs()[i] < from) continue;
      std::snprintf(number, sizeof number, "%.17g", history[key][i]);
      out << key << "@" << history.epochs()[i] << " " << number << "\n";
    }
  }
  return out.str();
}

int train(const Args& args) {
  const std::shared_ptr<Communicator> processes = launched_communicator();
  const std::size_t rank = processes->rank();
  std::shared_ptr<Sequential> network = model(args, rank);
  auto adam = std::make_shared<Adam>(AdamOptions().learning_rate(0.02));
  std::size_t initial_epoch = 0;
  if (!args.resume.empty()) {
    register_parameters(*adam, *network);
    initial_epoch = load_checkpoint(args.resume, *network, *adam).epoch;
  }
  std::vector<std::shared_ptr<Callback>> callbacks;
  if (args.fail_writer) callbacks.push_back(std::make_shared<FailingWriter>());
  const History history = fit(*network, data(args.dtype),
                              FitOptions()
                                  .optimizer(adam)
                                  .loss(Loss("mse"))
                                  .metrics({"mae"})
                                  .epochs(args.epochs)
                                  .initial_epoch(initial_epoch)
                                  .batch_size(args.batch)
                                  .validation_split(0.25)
                                  .seed(7)
                                  .verbosity(Verbosity::quiet)
                                  .callbacks(callbacks)
                                  .distributed(processes));
  if (rank != 0) return 0;
  write_file_atomically(args.out, report(*network, history, args.history_from));
  if (!args.checkpoint.empty()) {
    TrainingState state;
    state.epoch = args.epochs;
    save_checkpoint(args.checkpoint, *network, *adam, state);
  }
  if (!args.model_file.empty()) save_model(args.model_file, *network);
  std::cout << "trained on " << processes->size() << " processes\n";
  return 0;
}

std::vector<std::pair<std::string, double>> numbers(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw IoError(path, "a report of distributed_runner train", "no such file");
  std::vector<std::pair<std::string, double>> values;
  std::string name, number;
  while (in >> name >> number) values.emplace_back(name, std::strtod(number.c_str(), nullptr));
  return values;
}

int compare(const std::string& a, const std::string& b, double bound) {
  const auto left = numbers(a), right = numbers(b);
  if (left.size() != right.size() || left.empty()) {
    std::cerr << "compare: " << left.size() << " numbers in " << a << ", " << right.size()
              << " in " << b << "\n";
    return 1;
  }
  double largest = 0;
  std::string where;
  for (std::size_t i = 0; i < left.size(); ++i) {
    if (left[i].first != right[i].first) {
      std::cerr << "compare: line " << i + 1 << " is " << left[i].first << " in " << a
                << " and " << right[i].first << " in " << b << "\n";
      return 1;
    }
    const double scale = std::max({std::abs(left[i].second), std::abs(right[i].second), 1e-300});
    double difference = std::abs(left[i].second - right[i].second) / scale;
    if (left[i].second == right[i].second) difference = 0;
    if (std::isnan(difference)) difference = INFINITY;
    if (difference > largest || where.empty()) {
      largest = std::max(largest, difference);
      where = left[i].first;
    }
  }
  std::cout << "largest relative difference " << largest << " (" << where << "), bound " << bound
            << "\n";
  return largest <= bound ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "train" && argc >= 3) return train(parse(argc, argv));
    if (mode == "compare" && argc == 5) return compare(argv[2], argv[3], std::stod(argv[4]));
    std::cerr << "usage: distributed_runner train OUT [options] | compare A B BOUND\n";
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "distributed_runner: " << error.what() << "\n";
    return 1;
  }
}
