// PyTorch's torch::nn::GRU (libtorch's C++ API, CPU) as a gru_bench runner. Its cell is
// grutape's recurrent_bias_after_multiplication cell: r and z from x W + b_ih + h U + b_hh, the
// candidate tanh(x W_n + b_in + r (h U_n + b_hn)). The problem's weights are copied in PyTorch's
// layout (weight_ih (3H, I), gates r, z, n; b_ih = b, b_hh = rb). The input is sequence-first
// (steps, batch, input), PyTorch's native layout, and requires a gradient, as in the other
// engines. Inference runs under NoGradGuard in eval mode; training drops the gradients (set to
// none, as zero_grad(set_to_none) does), runs forward and the backward of output.sum().

#include <torch/torch.h>

#include <cstring>

#include "bench/gru_bench_engines.hpp"

extern "C" void openblas_set_num_threads(int threads);

namespace grutape::bench {
namespace {

// A (rows, 3H) tensor of grutape's layout ([z | r | h] columns) as PyTorch's (3H, rows) with the
// gate blocks [r | z | n].
torch::Tensor pytorch_layout(const Tensor& tensor, std::size_t units) {
  const auto& array = tensor.array<float>();
  const auto H = static_cast<int64_t>(units);
  std::vector<int64_t> sizes(array.shape().begin(), array.shape().end());
  torch::Tensor t = torch::from_blob(const_cast<float*>(array.data()), sizes).clone();
  if (t.dim() == 2) t = t.t();
  return torch::cat({t.slice(0, H, 2 * H), t.slice(0, 0, H), t.slice(0, 2 * H, 3 * H)})
      .contiguous();
}

class TorchRunner : public GruRunner {
 public:
  explicit TorchRunner(const GruProblem& problem)
      : shape_(problem.shape),
        gru_(torch::nn::GRUOptions(static_cast<int64_t>(shape_.input),
                                   static_cast<int64_t>(shape_.units))) {
    torch::NoGradGuard no_grad;
    auto parameters = gru_->named_parameters();
    parameters["weight_ih_l0"].copy_(pytorch_layout(problem.kernel, shape_.units));
    parameters["weight_hh_l0"].copy_(pytorch_layout(problem.recurrent_kernel, shape_.units));
    parameters["bias_ih_l0"].copy_(pytorch_layout(problem.bias, shape_.units));
    parameters["bias_hh_l0"].copy_(pytorch_layout(problem.recurrent_bias, shape_.units));
    const auto& x = problem.input.array<float>();
    const torch::Tensor batch_first =
        torch::from_blob(const_cast<float*>(x.data()),
                         {static_cast<int64_t>(shape_.batch), static_cast<int64_t>(shape_.steps),
                          static_cast<int64_t>(shape_.input)});
    x_ = batch_first.transpose(0, 1).contiguous().set_requires_grad(true);
  }

  void forward() override {
    torch::NoGradGuard no_grad;
    gru_->eval();
    output_ = std::get<0>(gru_->forward(x_));
  }

  void training() override {
    gru_->train();
    x_.mutable_grad().reset();
    for (torch::Tensor& parameter : gru_->parameters()) parameter.mutable_grad().reset();
    std::get<0>(gru_->forward(x_)).sum().backward();
  }

  std::vector<float> sequence() override {
    const torch::Tensor batch_first = output_.transpose(0, 1).contiguous();
    const float* data = batch_first.data_ptr<float>();
    return std::vector<float>(data, data + batch_first.numel());
  }

  std::string called_as() const override { return "torch::nn::GRU (C++ API)"; }

 private:
  GruShape shape_;
  torch::nn::GRU gru_;
  torch::Tensor x_, output_;
};

}  // namespace

std::unique_ptr<GruRunner> make_torch_runner(const GruProblem& problem) {
  return std::make_unique<TorchRunner>(problem);
}

std::size_t set_torch_threads(std::size_t threads) {
  const auto before = static_cast<std::size_t>(torch::get_num_threads());
  torch::set_num_threads(static_cast<int>(threads));
  openblas_set_num_threads(static_cast<int>(threads));
  return before;
}

std::string torch_library_version() {
  return TORCH_VERSION;
}

}  // namespace grutape::bench
