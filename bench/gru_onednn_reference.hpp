#pragma once
// oneDNN's LBR-GRU primitive (linear-before-reset: the recurrent_bias_after_multiplication cell)
// timed on the same shapes as the fused engine, as the peer the issue measures against:
// forward inference, and forward training + backward. The user's weights are plain (ldigo);
// each primitive reads them reordered into the layout it picks (its packed GEMM format). For
// inference the reorder happens once, untimed (fixed weights); in training the weights change
// every step, so the reorders into the forward and backward layouts are timed with the step.
// oneDNN's own OpenMP thread pool runs it with `threads` threads.
//
// OnednnLbrGru sets everything up once; forward() and training() each run one pass, so that a
// benchmark can alternate them with its own runs (both then see the same machine).

#include <cstring>
#include <vector>

#include <omp.h>
#include <dnnl.hpp>

namespace grutape::bench {

class OnednnLbrGru {
 public:
  OnednnLbrGru(std::size_t steps, std::size_t batch, std::size_t input, std::size_t units,
               int threads) {
    using namespace dnnl;
    using tag = memory::format_tag;
    const auto T = static_cast<memory::dim>(steps), N = static_cast<memory::dim>(batch),
               I = static_cast<memory::dim>(input), H = static_cast<memory::dim>(units);
    omp_set_num_threads(threads);
    const auto md = [](const memory::dims& dims, tag t) {
      return memory::desc(dims, memory::data_type::f32, t);
    };
    const memory::desc src_layer = md({T, N, I}, tag::tnc), src_iter = md({1, 1, N, H}, tag::ldnc),
                       weights_layer = md({1, 1, I, 3, H}, tag::any),
                       weights_iter = md({1, 1, H, 3, H}, tag::any),
                       bias = md({1, 1, 4, H}, tag::ldgo), dst_layer = md({T, N, H}, tag::tnc),
                       dst_iter = md({1, 1, N, H}, tag::ldnc);
    const auto direction = rnn_direction::unidirectional_left2right;
    const lbr_gru_forward::primitive_desc inference_pd(
        lbr_gru_forward::desc(prop_kind::forward_inference, direction, src_layer, src_iter,
                              weights_layer, weights_iter, bias, dst_layer, dst_iter),
        engine_);
    const lbr_gru_forward::primitive_desc training_pd(
        lbr_gru_forward::desc(prop_kind::forward_training, direction, src_layer, src_iter,
                              weights_layer, weights_iter, bias, dst_layer, dst_iter),
        engine_);
    const lbr_gru_backward::primitive_desc backward_pd(
        lbr_gru_backward::desc(prop_kind::backward, direction, src_layer, src_iter, weights_layer,
                               weights_iter, bias, dst_layer, dst_iter, src_layer, src_iter,
                               weights_layer, weights_iter, bias, dst_layer, dst_iter),
        engine_, training_pd);
    // A plain memory filled with small values (padding included: never read as data).
    const auto filled = [&](const memory::desc& desc, float value) {
      memory m(desc, engine_);
      float* p = static_cast<float*>(m.get_data_handle());
      for (std::size_t i = 0; i < desc.get_size() / sizeof(float); ++i)
        p[i] = value * static_cast<float>(i % 7) / 3;
      return m;
    };
    x_ = filled(src_layer, 0.5f);
    h0_ = filled(src_iter, 0.1f);
    b_ = filled(bias, 0.01f);
    y_ = filled(dst_layer, 0);
    hn_ = filled(dst_iter, 0);
    wl_ = filled(md({1, 1, I, 3, H}, tag::ldigo), 0.01f);
    wi_ = filled(md({1, 1, H, 3, H}, tag::ldigo), 0.01f);
    // Memories in layouts the primitives picked (possibly opaque, such as rnn_packed): only a
    // reorder may write them.
    wl_inference_ = memory(inference_pd.weights_layer_desc(), engine_);
    wi_inference_ = memory(inference_pd.weights_iter_desc(), engine_);
    wl_training_ = memory(training_pd.weights_layer_desc(), engine_);
    wi_training_ = memory(training_pd.weights_iter_desc(), engine_);
    wl_backward_ = memory(backward_pd.weights_layer_desc(), engine_);
    wi_backward_ = memory(backward_pd.weights_iter_desc(), engine_);
    workspace_ = memory(training_pd.workspace_desc(), engine_);
    dx_ = filled(backward_pd.diff_src_layer_desc(), 0);
    dh0_ = filled(backward_pd.diff_src_iter_desc(), 0);
    dwl_ = filled(backward_pd.diff_weights_layer_desc(), 0);
    dwi_ = filled(backward_pd.diff_weights_iter_desc(), 0);
    db_ = filled(backward_pd.diff_bias_desc(), 0);
    dy_ = filled(backward_pd.diff_dst_layer_desc(), 0.1f);
    dhn_ = filled(backward_pd.diff_dst_iter_desc(), 0);
    reordered(wl_, wl_inference_);
    reordered(wi_, wi_inference_);
    stream_.wait();
    inference_ = lbr_gru_forward(inference_pd);
    training_ = lbr_gru_forward(training_pd);
    backward_ = lbr_gru_backward(backward_pd);
  }

  /// One forward inference pass (weights already in the primitive's layout).
  void forward() {
    inference_.execute(stream_, {{DNNL_ARG_SRC_LAYER, x_},
                                 {DNNL_ARG_SRC_ITER, h0_},
                                 {DNNL_ARG_WEIGHTS_LAYER, wl_inference_},
                                 {DNNL_ARG_WEIGHTS_ITER, wi_inference_},
                                 {DNNL_ARG_BIAS, b_},
                                 {DNNL_ARG_DST_LAYER, y_},
                                 {DNNL_ARG_DST_ITER, hn_}});
    stream_.wait();
  }

  /// One training step: weights reordered from the user's layout, forward training, weights
  /// reordered for backward, weight gradients zeroed (they accumulate), backward.
  void training() {
    reordered(wl_, wl_training_);
    reordered(wi_, wi_training_);
    training_.execute(stream_, {{DNNL_ARG_SRC_LAYER, x_},
                                {DNNL_ARG_SRC_ITER, h0_},
                                {DNNL_ARG_WEIGHTS_LAYER, wl_training_},
                                {DNNL_ARG_WEIGHTS_ITER, wi_training_},
                                {DNNL_ARG_BIAS, b_},
                                {DNNL_ARG_DST_LAYER, y_},
                                {DNNL_ARG_DST_ITER, hn_},
                                {DNNL_ARG_WORKSPACE, workspace_}});
    reordered(wl_, wl_backward_);
    reordered(wi_, wi_backward_);
    for (dnnl::memory* m : {&dwl_, &dwi_, &db_})
      std::memset(m->get_data_handle(), 0, m->get_desc().get_size());
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

 private:
  void reordered(dnnl::memory& from, dnnl::memory& to) {
    if (from.get_desc() != to.get_desc())
      dnnl::reorder(from, to).execute(stream_, from, to);
    else
      std::memcpy(to.get_data_handle(), from.get_data_handle(), from.get_desc().get_size());
  }

  dnnl::engine engine_{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream_{engine_};
  dnnl::memory x_, h0_, b_, y_, hn_, wl_, wi_, wl_inference_, wi_inference_, wl_training_,
      wi_training_, wl_backward_, wi_backward_, workspace_, dx_, dh0_, dwl_, dwi_, db_, dy_, dhn_;
  dnnl::lbr_gru_forward inference_, training_;
  dnnl::lbr_gru_backward backward_;
};

}  // namespace grutape::bench
