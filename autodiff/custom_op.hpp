#pragma once
// The public API for new primitive ops. A primitive computes its result eagerly with tensor code,
// then calls record_op with a backward closure that captures only what backward needs. Library
// ops and user ops use the same two functions.
//
//   Value cube(const Value& x) {
//     Tensor y = ...x.value() cubed...;
//     Tensor x_value = x.value();
//     return record_op("cube", y, {x}, [x_value](const Tensor& g) {
//       // y = x^3  =>  dx = 3 x^2 g
//       return std::vector<Tensor>{...};
//     });
//   }

#include <string>
#include <vector>

#include "autodiff/tape.hpp"
#include "autodiff/value.hpp"

namespace grutape {

/// Given d(loss)/d(output), returns d(loss)/d(input) per input, shaped like that input (an
/// undefined Tensor for an input that needs no gradient).
using Backward = std::function<std::vector<Tensor>(const Tensor& grad_output)>;

/// The output of op `name`. When grad mode is on and an input requires a gradient, `backward` is
/// recorded on the current tape and the output requires a gradient too.
Value record_op(const std::string& name, Tensor result, const std::vector<Value>& inputs,
                Backward backward);

/// The same for an op with several outputs (one tape entry for all of them).
std::vector<Value> record_multi_op(const std::string& name, std::vector<Tensor> results,
                                   const std::vector<Value>& inputs, MultiBackward backward);

/// Whether an op on `inputs` is recorded: grad mode on and at least one input requires a gradient.
bool should_record(const std::vector<Value>& inputs);

/// `grad` if defined, else zeros of the given shape and dtype (for ops with several outputs).
Tensor grad_or_zeros(const Tensor& grad, const Shape& shape, DType dtype);

}  // namespace grutape
