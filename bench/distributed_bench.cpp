// Training throughput of data-parallel runs (docs/distributed.md): run it under mpirun with the
// processes and threads to compare, e.g.
//
//   distributed_bench --problem adding --batch 64 --threads 2                 (1 process)
//   mpirun -np 2 --bind-to none distributed_bench --problem adding --batch 64 --threads 1
//
// --problem adding: the adding problem (T = 50 steps of (value, marker), the target the sum of the
// two marked values), GRU(64) -> Dense(1); --problem shape4: gru_bench's shape 4 (T 50, input 512,
// GRU(512)) -> Dense(1) on random data. --batch is the global batch (split over the processes),
// --steps the optimizer steps measured (after one step of warm-up). Rank 0 prints samples/s, the
// time in the gradient reduction per step and the bytes each process contributes per step.

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "core/parallel.hpp"
#include "core/random.hpp"
#include "layers/basic/dense.hpp"
#include "layers/basic/input_layer.hpp"
#include "layers/gru/gru.hpp"
#include "layers/models/sequential.hpp"
#include "optim/distributed/communicator.hpp"
#include "optim/optimizers/sgd.hpp"
#include "optim/training/fit.hpp"

namespace {

using namespace grutape;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A communicator that times its reductions and counts their values.
class TimedCommunicator final : public Communicator {
 public:
  explicit TimedCommunicator(std::shared_ptr<Communicator> inner) : inner_(std::move(inner)) {}
  std::size_t rank() const override { return inner_->rank(); }
  std::size_t size() const override { return inner_->size(); }
  void allreduce_sum(std::vector<double>& values) override {
    const Clock::time_point start = Clock::now();
    inner_->allreduce_sum(values);
    if (values.size() > 1) {
      reduce_seconds += seconds_since(start);
      reduced_values += values.size();
      ++reductions;
    }
  }
  void broadcast(std::vector<double>& values, std::size_t root) override {
    inner_->broadcast(values, root);
  }
  std::vector<std::string> allgather_text(const std::string& text) override {
    return inner_->allgather_text(text);
  }
  void barrier() override { inner_->barrier(); }
  [[noreturn]] void abort(int code) override { inner_->abort(code); }
  std::string name() const override { return inner_->name(); }

  double reduce_seconds = 0;
  std::size_t reduced_values = 0, reductions = 0;

 private:
  std::shared_ptr<Communicator> inner_;
};

struct Problem {
  LabeledData data;
  std::shared_ptr<Sequential> model;
};

Problem adding_problem(std::size_t samples) {
  constexpr std::size_t steps = 50;
  Random random(1);
  std::vector<double> x(samples * steps * 2, 0.0), y(samples, 0.0);
  for (std::size_t s = 0; s < samples; ++s) {
    const std::size_t first = random.next_u64() % (steps / 2);
    const std::size_t second = steps / 2 + random.next_u64() % (steps / 2);
    for (std::size_t t = 0; t < steps; ++t) {
      x[(s * steps + t) * 2] = random.uniform();
      if (t == first || t == second) {
        x[(s * steps + t) * 2 + 1] = 1;
        y[s] += x[(s * steps + t) * 2];
      }
    }
  }
  auto model = std::make_shared<Sequential>();
  model->add(sequence_input(2, steps)).add(std::make_shared<Gru>(GruOptions(64).seed(1)));
  model->add(std::make_shared<Dense>(DenseOptions(1).seed(2)));
  return {LabeledData{Tensor::from_values({samples, steps, 2}, x),
                      Tensor::from_values({samples, 1}, y), Tensor(), Tensor()},
          model};
}

Problem shape4_problem(std::size_t samples) {
  constexpr std::size_t steps = 50, input = 512, units = 512;
  Random random(1);
  auto model = std::make_shared<Sequential>();
  model->add(sequence_input(input, steps)).add(std::make_shared<Gru>(GruOptions(units).seed(1)));
  model->add(std::make_shared<Dense>(DenseOptions(1).seed(2)));
  return {LabeledData{random.uniform({samples, steps, input}, -1, 1),
                      random.uniform({samples, 1}, -1, 1), Tensor(), Tensor()},
          model};
}

// Times the epochs after the first.
class EpochTimer : public Callback {
 public:
  void on_epoch_begin(TrainingRun&, std::size_t) override { start_ = Clock::now(); }
  void on_epoch_end(TrainingRun&, std::size_t epoch, Logs&) override {
    if (epoch > 0) seconds += seconds_since(start_);
  }
  double seconds = 0;

 private:
  Clock::time_point start_;
};

}  // namespace

int main(int argc, char** argv) {
  std::string problem = "adding";
  std::size_t batch = 64, steps = 10, threads = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--problem") problem = value;
    else if (flag == "--batch") batch = std::stoul(value);
    else if (flag == "--steps") steps = std::stoul(value);
    else if (flag == "--threads") threads = std::stoul(value);
    else {
      std::cerr << "distributed_bench: unknown option " << flag << "\n";
      return 2;
    }
  }
  try {
    auto processes = std::make_shared<TimedCommunicator>(launched_communicator());
    if (batch % processes->size() != 0) {
      std::cerr << "distributed_bench: --batch " << batch << " is not a multiple of the "
                << processes->size() << " processes\n";
      return 2;
    }
    const ThreadLimit limit(threads);
    // Epoch 0: one step of warm-up; epoch 1: the measured steps.
    Problem run = problem == "shape4" ? shape4_problem(batch * steps) : adding_problem(batch * steps);
    auto timer = std::make_shared<EpochTimer>();
    const std::size_t per_rank = batch / processes->size();
    fit(*run.model, run.data,
        FitOptions()
            .optimizer(std::make_shared<Sgd>(SgdOptions().learning_rate(0.01)))
            .epochs(2)
            .batch_size(per_rank)
            .shuffle(false)
            .verbosity(Verbosity::quiet)
            .callbacks({timer})
            .distributed(processes));
    if (processes->rank() != 0) return 0;
    const double steps_timed = static_cast<double>(steps);
    const double per_step_values =
        processes->reductions ? double(processes->reduced_values) / processes->reductions : 0;
    const double reduce_ms = processes->reductions
                                 ? 1e3 * processes->reduce_seconds / processes->reductions
                                 : 0;
    std::printf("%s | %zu processes x %zu threads | global batch %zu | %.1f samples/s | "
                "%.2f ms/step in the reduction | %.0f bytes/step\n",
                problem.c_str(), processes->size(), threads, batch,
                steps_timed * batch / timer->seconds, reduce_ms, per_step_values * 8);
  } catch (const std::exception& error) {
    std::cerr << "distributed_bench: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
