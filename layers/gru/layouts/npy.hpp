#pragma once
// GRU weights as .npy files, one per tensor, named as each framework names them, for exchange
// with Python (numpy.save / numpy.load), PyTorch, MATLAB (readNPY) and ONNX tools:
//
//   internal  kernel.npy, recurrent_kernel.npy, bias.npy, recurrent_bias.npy
//   keras     kernel.npy, recurrent_kernel.npy, bias.npy          (layer.get_weights() order)
//   pytorch   weight_ih_l0.npy, weight_hh_l0.npy, bias_ih_l0.npy, bias_hh_l0.npy
//             (state_dict names; level k of a deep layer is l{k-1})
//   matlab    InputWeights.npy, RecurrentWeights.npy, Bias.npy
//   onnx      W.npy, R.npy, B.npy, and linear_before_reset.npy: the GRU node's attribute as a
//             one-element array, which decides what B means (optional on import: absent, it is
//             the value the layer's reset gate mode calls for)
//
// The shapes and gate orders are those of layers/gru/layouts/layouts.hpp. A bias the options do not
// call for is not written, and a file of its name left in the directory by an earlier export is
// removed, so that the directory always holds one layer's weights.

#include <cstddef>
#include <string>

#include "layers/gru/gru.hpp"

namespace grutape {

/// The .npy file name of `tensor` (a name of gru_layout_tensor_names(layout)) for `level`.
std::string gru_npy_file_name(GruLayout layout, const std::string& tensor, std::size_t level = 1);

/// Writes level `level` of `gru` (built) in `layout` to `directory` (created if missing), each
/// file atomically. A ValueError for an unbuilt layer or a level out of range, an IoError when a
/// file cannot be written.
void export_gru_weights(const std::string& directory, const Gru& gru, GruLayout layout,
                        std::size_t level = 1);

/// Sets level `level` of `gru` from the .npy files of `layout` in `directory` (an unbuilt layer
/// is built for the input size of the input weights). An IoError naming the directory and the
/// file for a missing input or recurrent weights file, a damaged file, or tensors that do not fit
/// the layer's options (the converter's message says which); the layer is unchanged then.
void import_gru_weights(const std::string& directory, Gru& gru, GruLayout layout,
                        std::size_t level = 1);

}  // namespace grutape
