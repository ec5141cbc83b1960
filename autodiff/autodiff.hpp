#pragma once
// Every public header of autodiff/: the tape, differentiable values, the primitive ops, custom ops
// and the gradient checker. Included by grutape.hpp; a program may include this one alone.

#include "autodiff/custom_op.hpp"
#include "autodiff/grad_check.hpp"
#include "autodiff/grad_mode.hpp"
#include "autodiff/ops/activation.hpp"
#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/gradient.hpp"
#include "autodiff/ops/linalg.hpp"
#include "autodiff/ops/reduce.hpp"
#include "autodiff/ops/shape.hpp"
#include "autodiff/ops/softmax.hpp"
#include "autodiff/tape.hpp"
#include "autodiff/value.hpp"
