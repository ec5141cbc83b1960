#pragma once
// Every public header of core/: tensors, shapes, dtypes, errors, the seeded random source, GEMM,
// and files (CSV, NPY, SVG charts). Included by grutape.hpp; a program may include this one alone.

#include "core/dtype.hpp"
#include "core/error.hpp"
#include "core/gemm.hpp"
#include "core/indexing.hpp"
#include "core/io/array_file.hpp"
#include "core/io/atomic_file.hpp"
#include "core/io/checksum.hpp"
#include "core/io/csv.hpp"
#include "core/io/npy.hpp"
#include "core/io/svg_plot.hpp"
#include "core/json_reader.hpp"
#include "core/linalg.hpp"
#include "core/option_arg.hpp"
#include "core/parallel.hpp"
#include "core/random.hpp"
#include "core/reduce.hpp"
#include "core/shape.hpp"
#include "core/tensor.hpp"
#include "core/tensor_math.hpp"
#include "core/text.hpp"
