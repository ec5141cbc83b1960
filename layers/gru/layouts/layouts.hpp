#pragma once
// Converters between the internal GRU weights (layers/gru/weights.hpp, gates [z | r | h]) and the
// layouts of Keras, PyTorch, MATLAB and ONNX, both ways. Values are copied exactly; only the ONNX
// import of a recurrent bias that the mode folds into the bias adds (see below).
//
//   Keras    kernel (input, 3u) columns [z|r|h], recurrent_kernel (u, 3u) the same, bias (3u) for
//            reset_after=False (before_multiplication) or (2, 3u) rows [input bias; recurrent
//            bias] for reset_after=True (recurrent_bias_after_multiplication). Keras has no
//            after_multiplication mode.
//   PyTorch  weight_ih (3u, input) rows [r|z|n], weight_hh (3u, u), bias_ih (3u), bias_hh (3u).
//            torch.nn.GRU adds bias_hh to h U for every gate and multiplies the n part by r: that
//            is exactly the recurrent bias of recurrent_bias_after_multiplication (rb_z and rb_r
//            are plain additions there too), the only mode PyTorch has.
//   MATLAB   InputWeights (3u, input) rows [r|z|h], RecurrentWeights (3u, u), Bias (3u) for
//            before_ and after_multiplication (MATLAB's after-multiplication has no recurrent
//            bias), (6u) [input r z h | recurrent r z h] for recurrent_bias_after_multiplication.
//   ONNX     W [1, 3u, input] rows [z|r|h], R [1, 3u, u], B [1, 6u] = [Wb z r h | Rb z r h],
//            linear_before_reset = 0 for before_multiplication, 1 for the two after modes. An
//            import folds Rb into the bias wherever the mode simply adds it (all three gates in
//            before_multiplication; z and r in after_multiplication, whose Rb_h must be zero); an
//            export writes Rb = 0 there, so internal -> ONNX -> internal is exact.
//
// Every bias is present exactly when options.use_bias(). A layout that does not fit the options
// (a wrong shape, a (2, 3u) or 6u bias for a mode without recurrent bias, PyTorch for another
// mode, a missing or extra bias, mixed dtypes) is a ShapeError or ValueError that names the
// function and the tensor. The input size comes from the input weights and must equal
// options.input_size() when that is given.

#include "layers/gru/weights.hpp"

namespace grutape {

struct KerasGruWeights {
  /// (input, 3 * units), columns [z | r | h].
  Tensor kernel;
  /// (units, 3 * units), columns [z | r | h].
  Tensor recurrent_kernel;
  /// (3 * units) or (2, 3 * units); undefined without use_bias.
  Tensor bias;
};

struct PytorchGruWeights {
  /// (3 * units, input), rows [r | z | n].
  Tensor weight_ih;
  /// (3 * units, units), rows [r | z | n].
  Tensor weight_hh;
  /// (3 * units); undefined without use_bias (bias=False).
  Tensor bias_ih;
  /// (3 * units); undefined without use_bias (bias=False).
  Tensor bias_hh;
};

struct MatlabGruWeights {
  /// InputWeights (3 * units, input), rows [r | z | h].
  Tensor input_weights;
  /// RecurrentWeights (3 * units, units), rows [r | z | h].
  Tensor recurrent_weights;
  /// Bias (3 * units) or (6 * units); undefined without use_bias.
  Tensor bias;
};

struct OnnxGruWeights {
  /// W [1, 3 * units, input], rows [z | r | h].
  Tensor w;
  /// R [1, 3 * units, units], rows [z | r | h].
  Tensor r;
  /// B [1, 6 * units] = [Wb | Rb]; undefined without use_bias.
  Tensor b;
  /// The GRU node's linear_before_reset attribute.
  bool linear_before_reset = true;
};

/// Internal weights from Keras' layout.
GruWeights gru_from_keras(const KerasGruWeights& keras, const GruOptions& options);
/// Keras' layout from internal weights.
KerasGruWeights gru_to_keras(const GruWeights& weights, const GruOptions& options);

/// Internal weights from PyTorch's layout.
GruWeights gru_from_pytorch(const PytorchGruWeights& pytorch, const GruOptions& options);
/// PyTorch's layout from internal weights.
PytorchGruWeights gru_to_pytorch(const GruWeights& weights, const GruOptions& options);

/// Internal weights from MATLAB's layout.
GruWeights gru_from_matlab(const MatlabGruWeights& matlab, const GruOptions& options);
/// MATLAB's layout from internal weights.
MatlabGruWeights gru_to_matlab(const GruWeights& weights, const GruOptions& options);

/// Internal weights from ONNX's layout.
GruWeights gru_from_onnx(const OnnxGruWeights& onnx, const GruOptions& options);
/// ONNX's layout from internal weights.
OnnxGruWeights gru_to_onnx(const GruWeights& weights, const GruOptions& options);

}  // namespace grutape
