#pragma once
// oneDNN's LBR-GRU primitive (linear-before-reset: the recurrent_bias_after_multiplication cell)
// timed on the same shapes as the fused engine, as the peer the issue measures against:
// forward inference, and forward training + backward. The user's weights are plain (ldigo);
// each primitive reads them reordered into the layout it picks (its packed GEMM format). For
// inference the reorder happens once, untimed (fixed weights); in training the weights change
// every step, so the reorders into the forward and backward layouts are timed with the step.
// oneDNN's own OpenMP thread pool runs it with `threads` threads.

#include <cstring>
#include <vector>

#include <omp.h>
#include <dnnl.hpp>

namespace grutape::bench {

struct OnednnTiming {
  double forward, training;
};

template <class Median>
OnednnTiming time_onednn_lbr_gru(std::size_t steps, std::size_t batch, std::size_t input,
                                 std::size_t units, int threads, Median median) {
  using namespace dnnl;
  using tag = memory::format_tag;
  const auto T = static_cast<memory::dim>(steps), N = static_cast<memory::dim>(batch),
             I = static_cast<memory::dim>(input), H = static_cast<memory::dim>(units);
  omp_set_num_threads(threads);
  engine eng(engine::kind::cpu, 0);
  stream s(eng);
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
      eng);
  const lbr_gru_forward::primitive_desc training_pd(
      lbr_gru_forward::desc(prop_kind::forward_training, direction, src_layer, src_iter,
                            weights_layer, weights_iter, bias, dst_layer, dst_iter),
      eng);
  const lbr_gru_backward::primitive_desc backward_pd(
      lbr_gru_backward::desc(prop_kind::backward, direction, src_layer, src_iter, weights_layer,
                             weights_iter, bias, dst_layer, dst_iter, src_layer, src_iter,
                             weights_layer, weights_iter, bias, dst_layer, dst_iter),
      eng, training_pd);
  std::vector<memory> owned;
  // A plain memory filled with small values (padding included: it is never read as data).
  const auto filled = [&](const memory::desc& desc, float value) {
    memory m(desc, eng);
    float* p = static_cast<float*>(m.get_data_handle());
    for (std::size_t i = 0; i < desc.get_size() / sizeof(float); ++i)
      p[i] = value * static_cast<float>(i % 7) / 3;
    owned.push_back(m);
    return m;
  };
  // A memory in a layout the primitive picked (possibly opaque, such as rnn_packed): only a
  // reorder may write it.
  const auto layout = [&](const memory::desc& desc) {
    memory m(desc, eng);
    owned.push_back(m);
    return m;
  };
  memory x = filled(src_layer, 0.5f), h0 = filled(src_iter, 0.1f), b = filled(bias, 0.01f),
         y = filled(dst_layer, 0), hn = filled(dst_iter, 0),
         wl = filled(md({1, 1, I, 3, H}, tag::ldigo), 0.01f),
         wi = filled(md({1, 1, H, 3, H}, tag::ldigo), 0.01f);
  memory wl_inference = layout(inference_pd.weights_layer_desc()),
         wi_inference = layout(inference_pd.weights_iter_desc()),
         wl_training = layout(training_pd.weights_layer_desc()),
         wi_training = layout(training_pd.weights_iter_desc()),
         wl_backward = layout(backward_pd.weights_layer_desc()),
         wi_backward = layout(backward_pd.weights_iter_desc()),
         workspace = layout(training_pd.workspace_desc()),
         dx = filled(backward_pd.diff_src_layer_desc(), 0),
         dh0 = filled(backward_pd.diff_src_iter_desc(), 0),
         dwl = filled(backward_pd.diff_weights_layer_desc(), 0),
         dwi = filled(backward_pd.diff_weights_iter_desc(), 0),
         db = filled(backward_pd.diff_bias_desc(), 0),
         dy = filled(backward_pd.diff_dst_layer_desc(), 0.1f),
         dhn = filled(backward_pd.diff_dst_iter_desc(), 0);
  const auto reordered = [&](memory& from, memory& to) {
    if (from.get_desc() != to.get_desc())
      reorder(from, to).execute(s, from, to);
    else
      std::memcpy(to.get_data_handle(), from.get_data_handle(), from.get_desc().get_size());
  };
  reordered(wl, wl_inference);
  reordered(wi, wi_inference);
  s.wait();
  const lbr_gru_forward inference(inference_pd), training(training_pd);
  const lbr_gru_backward backward(backward_pd);
  OnednnTiming t;
  t.forward = median([&] {
    inference.execute(s, {{DNNL_ARG_SRC_LAYER, x},
                          {DNNL_ARG_SRC_ITER, h0},
                          {DNNL_ARG_WEIGHTS_LAYER, wl_inference},
                          {DNNL_ARG_WEIGHTS_ITER, wi_inference},
                          {DNNL_ARG_BIAS, b},
                          {DNNL_ARG_DST_LAYER, y},
                          {DNNL_ARG_DST_ITER, hn}});
    s.wait();
  });
  t.training = median([&] {
    reordered(wl, wl_training);
    reordered(wi, wi_training);
    training.execute(s, {{DNNL_ARG_SRC_LAYER, x},
                         {DNNL_ARG_SRC_ITER, h0},
                         {DNNL_ARG_WEIGHTS_LAYER, wl_training},
                         {DNNL_ARG_WEIGHTS_ITER, wi_training},
                         {DNNL_ARG_BIAS, b},
                         {DNNL_ARG_DST_LAYER, y},
                         {DNNL_ARG_DST_ITER, hn},
                         {DNNL_ARG_WORKSPACE, workspace}});
    reordered(wl, wl_backward);
    reordered(wi, wi_backward);
    // The weight gradients accumulate: a training step starts them at zero.
    for (const memory* m : {&dwl, &dwi, &db})
      std::memset(m->get_data_handle(), 0, m->get_desc().get_size());
    backward.execute(s, {{DNNL_ARG_SRC_LAYER, x},
                         {DNNL_ARG_SRC_ITER, h0},
                         {DNNL_ARG_WEIGHTS_LAYER, wl_backward},
                         {DNNL_ARG_WEIGHTS_ITER, wi_backward},
                         {DNNL_ARG_BIAS, b},
                         {DNNL_ARG_DST_LAYER, y},
                         {DNNL_ARG_DST_ITER, hn},
                         {DNNL_ARG_DIFF_SRC_LAYER, dx},
                         {DNNL_ARG_DIFF_SRC_ITER, dh0},
                         {DNNL_ARG_DIFF_WEIGHTS_LAYER, dwl},
                         {DNNL_ARG_DIFF_WEIGHTS_ITER, dwi},
                         {DNNL_ARG_DIFF_BIAS, db},
                         {DNNL_ARG_DIFF_DST_LAYER, dy},
                         {DNNL_ARG_DIFF_DST_ITER, dhn},
                         {DNNL_ARG_WORKSPACE, workspace}});
    s.wait();
  });
  omp_set_num_threads(1);
  return t;
}

}  // namespace grutape::bench
