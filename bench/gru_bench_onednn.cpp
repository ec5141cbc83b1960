// oneDNN's GRU primitives as gru_bench runners: the vanilla GRU (reset gate before the recurrent
// product, one bias) and LBR-GRU (linear-before-reset: the recurrent_bias_after_multiplication
// cell of grutape's default, PyTorch's and Keras' reset_after). The problem's weights are plain
// (ldigo: W (I, 3H) with the gates in grutape's order, which is oneDNN's u, r, o); prepare()
// reorders them into the layout each primitive picked (its packed GEMM format), outside the
// timed region, and creates the workspace and gradient memories. training() zeroes the weight
// gradients (oneDNN accumulates into them) and runs forward training then backward, with the
// gradient of the sum of the outputs (ones) as diff_dst. Runs on the calling thread's OpenMP
// team (omp_set_num_threads).

#include <omp.h>

#include <cstring>
#include <dnnl.hpp>

#include "bench/gru_bench_engines.hpp"

namespace grutape::bench {
namespace {

using dnnl::memory;
using tag = memory::format_tag;

memory::desc plain(const memory::dims& dims, tag layout) {
  return memory::desc(dims, memory::data_type::f32, layout);
}

float* data_of(const memory& m) {
  return static_cast<float*>(m.get_data_handle());
}

// Forward and Backward: dnnl::gru_forward / gru_backward or lbr_gru_forward / lbr_gru_backward,
// which share their constructors' signatures.
template <class Forward, class Backward>
class OnednnRunner : public GruRunner {
 public:
  OnednnRunner(const GruProblem& problem, bool linear_before_reset)
      : shape_(problem.shape), lbr_(linear_before_reset) {
    const auto T = dim(shape_.steps), N = dim(shape_.batch), I = dim(shape_.input),
               H = dim(shape_.units);
    src_layer_ = plain({T, N, I}, tag::tnc);
    state_ = plain({1, 1, N, H}, tag::ldnc);
    dst_layer_ = plain({T, N, H}, tag::tnc);
    bias_ = plain({1, 1, lbr_ ? 4 : 3, H}, tag::ldgo);
    x_ = memory(src_layer_, engine_);
    h0_ = zeros(state_);
    y_ = memory(dst_layer_, engine_);
    hn_ = memory(state_, engine_);
    wl_ = memory(plain({1, 1, I, 3, H}, tag::ldigo), engine_);
    wi_ = memory(plain({1, 1, H, 3, H}, tag::ldigo), engine_);
    b_ = memory(bias_, engine_);
    // x (batch, steps, input) into tnc (steps, batch, input).
    const float* x = problem.input.array<float>().data();
    float* to = data_of(x_);
    for (std::size_t n = 0; n < shape_.batch; ++n)
      for (std::size_t t = 0; t < shape_.steps; ++t)
        std::memcpy(to + (t * shape_.batch + n) * shape_.input,
                    x + (n * shape_.steps + t) * shape_.input, shape_.input * sizeof(float));
    std::memcpy(data_of(wl_), problem.kernel.array<float>().data(),
                problem.kernel.size() * sizeof(float));
    std::memcpy(data_of(wi_), problem.recurrent_kernel.array<float>().data(),
                problem.recurrent_kernel.size() * sizeof(float));
    // LBR: [b_u + rb_u, b_r + rb_r, b_o, rb_o]; vanilla: b + rb per gate.
    const float* b = problem.bias.array<float>().data();
    const float* rb = problem.recurrent_bias.array<float>().data();
    float* bias = data_of(b_);
    const std::size_t H3 = 3 * shape_.units, H2 = 2 * shape_.units;
    for (std::size_t i = 0; i < H3; ++i) bias[i] = b[i] + (lbr_ && i >= H2 ? 0 : rb[i]);
    if (lbr_) std::memcpy(bias + H3, rb + H2, shape_.units * sizeof(float));
  }

  void prepare(bool training) override {
    if (training && !training_ready_) prepare_training();
    if (!training && !inference_ready_) prepare_inference();
  }

  void forward() override {
    inference_.execute(stream_, {{DNNL_ARG_SRC_LAYER, x_},
                                 {DNNL_ARG_SRC_ITER, h0_},
                                 {DNNL_ARG_WEIGHTS_LAYER, wl_inference_},
                                 {DNNL_ARG_WEIGHTS_ITER, wi_inference_},
                                 {DNNL_ARG_BIAS, b_},
                                 {DNNL_ARG_DST_LAYER, y_},
                                 {DNNL_ARG_DST_ITER, hn_}});
    stream_.wait();
  }

  void training() override {
    for (memory* m : {&dwl_, &dwi_, &db_})
      std::memset(m->get_data_handle(), 0, m->get_desc().get_size());
    training_.execute(stream_, {{DNNL_ARG_SRC_LAYER, x_},
                                {DNNL_ARG_SRC_ITER, h0_},
                                {DNNL_ARG_WEIGHTS_LAYER, wl_training_},
                                {DNNL_ARG_WEIGHTS_ITER, wi_training_},
                                {DNNL_ARG_BIAS, b_},
                                {DNNL_ARG_DST_LAYER, y_},
                                {DNNL_ARG_DST_ITER, hn_},
                                {DNNL_ARG_WORKSPACE, workspace_}});
    backward_.execute(stream_, {{DNNL_ARG_SRC_LAYER, x_},
                                {DNNL_ARG_SRC_ITER, h0_},
                                {DNNL_ARG_WEIGHTS_LAYER, wl_backward_},
                                {DNNL_ARG_WEIGHTS_ITER, wi_backward_},
                                {DNNL_ARG_BIAS, b_},
                                {DNNL_ARG_DST_LAYER, y_},
                                {DNNL_ARG_DST_ITER, hn_},
                                {DNNL_ARG_DIFF_SRC_LAYER, dx_},
                                {DNNL_ARG_DIFF_SRC_ITER, dh0_},
                                {DNNL_ARG_DIFF_WEIGHTS_LAYER, dwl_},
                                {DNNL_ARG_DIFF_WEIGHTS_ITER, dwi_},
                                {DNNL_ARG_DIFF_BIAS, db_},
                                {DNNL_ARG_DIFF_DST_LAYER, dy_},
                                {DNNL_ARG_DIFF_DST_ITER, dhn_},
                                {DNNL_ARG_WORKSPACE, workspace_}});
    stream_.wait();
  }

  // y (steps, batch, units) back to (batch, steps, units).
  std::vector<float> sequence() override {
    std::vector<float> out(shape_.batch * shape_.steps * shape_.units);
    const float* y = data_of(y_);
    for (std::size_t n = 0; n < shape_.batch; ++n)
      for (std::size_t t = 0; t < shape_.steps; ++t)
        std::memcpy(out.data() + (n * shape_.steps + t) * shape_.units,
                    y + (t * shape_.batch + n) * shape_.units, shape_.units * sizeof(float));
    return out;
  }

  std::string called_as() const override {
    return std::string(lbr_ ? "dnnl::lbr_gru_forward/backward" : "dnnl::gru_forward/backward");
  }

 private:
  static memory::dim dim(std::size_t n) { return static_cast<memory::dim>(n); }

  // The primitive-chosen weight layout (tag any) of the descriptors.
  memory::desc any_weights(std::size_t rows) const {
    return plain({1, 1, dim(rows), 3, dim(shape_.units)}, tag::any);
  }

  typename Forward::desc forward_desc(dnnl::prop_kind kind) const {
    return typename Forward::desc(kind, direction_, src_layer_, state_, any_weights(shape_.input),
                                  any_weights(shape_.units), bias_, dst_layer_, state_);
  }

  void prepare_inference() {
    const typename Forward::primitive_desc pd(forward_desc(dnnl::prop_kind::forward_inference),
                                              engine_);
    wl_inference_ = reordered(wl_, pd.weights_layer_desc());
    wi_inference_ = reordered(wi_, pd.weights_iter_desc());
    inference_ = Forward(pd);
    inference_ready_ = true;
  }

  void prepare_training() {
    const typename Forward::primitive_desc pd(forward_desc(dnnl::prop_kind::forward_training),
                                              engine_);
    const memory::desc wl = any_weights(shape_.input), wi = any_weights(shape_.units);
    const typename Backward::primitive_desc backward_pd(
        typename Backward::desc(dnnl::prop_kind::backward, direction_, src_layer_, state_, wl, wi,
                                bias_, dst_layer_, state_, src_layer_, state_, wl, wi, bias_,
                                dst_layer_, state_),
        engine_, pd);
    wl_training_ = reordered(wl_, pd.weights_layer_desc());
    wi_training_ = reordered(wi_, pd.weights_iter_desc());
    wl_backward_ = reordered(wl_, backward_pd.weights_layer_desc());
    wi_backward_ = reordered(wi_, backward_pd.weights_iter_desc());
    workspace_ = memory(pd.workspace_desc(), engine_);
    dx_ = memory(backward_pd.diff_src_layer_desc(), engine_);
    dh0_ = memory(backward_pd.diff_src_iter_desc(), engine_);
    dwl_ = memory(backward_pd.diff_weights_layer_desc(), engine_);
    dwi_ = memory(backward_pd.diff_weights_iter_desc(), engine_);
    db_ = memory(backward_pd.diff_bias_desc(), engine_);
    dy_ = memory(backward_pd.diff_dst_layer_desc(), engine_);
    float* dy = data_of(dy_);
    for (std::size_t i = 0; i < dy_.get_desc().get_size() / sizeof(float); ++i) dy[i] = 1;
    dhn_ = zeros(backward_pd.diff_dst_iter_desc());
    training_ = Forward(pd);
    backward_ = Backward(backward_pd);
    training_ready_ = true;
  }

  memory zeros(const memory::desc& desc) {
    memory m(desc, engine_);
    std::memset(m.get_data_handle(), 0, desc.get_size());
    return m;
  }

  // `from` in the layout `desc` (possibly opaque, such as rnn_packed: only a reorder writes it).
  memory reordered(memory& from, const memory::desc& desc) {
    memory to(desc, engine_);
    dnnl::reorder(from, to).execute(stream_, from, to);
    stream_.wait();
    return to;
  }

  GruShape shape_;
  bool lbr_;
  bool inference_ready_ = false, training_ready_ = false;
  const dnnl::rnn_direction direction_ = dnnl::rnn_direction::unidirectional_left2right;
  dnnl::engine engine_{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream_{engine_};
  memory::desc src_layer_, state_, dst_layer_, bias_;
  memory x_, h0_, y_, hn_, wl_, wi_, b_, wl_inference_, wi_inference_, wl_training_, wi_training_,
      wl_backward_, wi_backward_, workspace_, dx_, dh0_, dwl_, dwi_, db_, dy_, dhn_;
  Forward inference_, training_;
  Backward backward_;
};

}  // namespace

std::unique_ptr<GruRunner> make_onednn_runner(const GruProblem& problem, bool linear_before_reset) {
  if (linear_before_reset) {
    return std::make_unique<OnednnRunner<dnnl::lbr_gru_forward, dnnl::lbr_gru_backward>>(problem,
                                                                                         true);
  }
  return std::make_unique<OnednnRunner<dnnl::gru_forward, dnnl::gru_backward>>(problem, false);
}

void set_onednn_threads(std::size_t threads) {
  omp_set_num_threads(static_cast<int>(threads));
}

std::string onednn_library_version() {
  const dnnl_version_t* v = dnnl_version();
  return std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
}

}  // namespace grutape::bench
