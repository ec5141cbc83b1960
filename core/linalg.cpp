#include "core/linalg.hpp"

#include "core/gemm.hpp"
#include "core/parallel.hpp"

namespace grutape {
namespace {

// Below this many multiply-adds per matrix, the matrices of a batch run in parallel, each GEMM on
// one thread; above it, one after another, each GEMM threaded over its halves. Either way the
// results are the same: only where the GEMMs run changes.
constexpr std::size_t kSmallMatrixWork = std::size_t{1} << 21;

std::string both_shapes(const Shape& a, const Shape& b) {
  return shape_to_string(a) + " and " + shape_to_string(b);
}

// How a batched product maps onto GEMM calls.
struct MatmulPlan {
  Shape batch;  // the broadcast batch axes of the result
  std::size_t m = 0, n = 0, k = 0;
  // Element offset steps of each operand per result batch axis; 0 where the operand broadcasts.
  std::vector<std::size_t> a_steps, b_steps;
  // b is a single matrix (no batch axes, or all of extent 1).
  bool b_single = false;
};

// The offset steps of an operand of shape `shape` over the result batch axes `batch`.
std::vector<std::size_t> batch_steps(const Shape& shape, const Shape& batch) {
  const std::size_t own = shape.size() - 2;
  std::vector<std::size_t> steps(batch.size(), 0);
  std::size_t step = shape[own] * shape[own + 1];
  for (std::size_t i = 0; i < own; ++i) {
    const std::size_t axis = own - 1 - i;  // own batch axes from the right
    if (shape[axis] != 1) steps[batch.size() - 1 - i] = step;
    step *= shape[axis];
  }
  return steps;
}

MatmulPlan plan_matmul(const Shape& sa, const Shape& sb, bool ta, bool tb) {
  if (sa.size() < 2 || sb.size() < 2) {
    throw ShapeError("matmul", "operands of rank >= 2", both_shapes(sa, sb));
  }
  const std::size_t ra = sa.size(), rb = sb.size();
  MatmulPlan plan;
  plan.m = ta ? sa[ra - 1] : sa[ra - 2];
  plan.k = ta ? sa[ra - 2] : sa[ra - 1];
  const std::size_t kb = tb ? sb[rb - 1] : sb[rb - 2];
  plan.n = tb ? sb[rb - 2] : sb[rb - 1];
  if (plan.k != kb) {
    throw ShapeError("matmul",
                     "inner extents that agree (" + std::to_string(plan.k) + " vs " +
                         std::to_string(kb) + " after transposition)",
                     both_shapes(sa, sb));
  }
  const Shape batch_a(sa.begin(), sa.end() - 2), batch_b(sb.begin(), sb.end() - 2);
  try {
    plan.batch = broadcast_shapes(batch_a, batch_b, "matmul");
  } catch (const ShapeError&) {
    throw ShapeError("matmul", "batch axes that broadcast", both_shapes(sa, sb));
  }
  plan.a_steps = batch_steps(sa, plan.batch);
  plan.b_steps = batch_steps(sb, plan.batch);
  plan.b_single = shape_size(batch_b) == 1;
  return plan;
}

template <class T>
Tensor::Array<T> matmul_arrays(const Tensor::Array<T>& a, const Tensor::Array<T>& b, bool ta,
                               bool tb, const MatmulPlan& plan) {
  Shape out_shape = plan.batch;
  out_shape.push_back(plan.m);
  out_shape.push_back(plan.n);
  auto out = Tensor::Array<T>::from_shape(out_shape);
  const std::size_t m = plan.m, n = plan.n, k = plan.k;
  const std::size_t lda = ta ? m : k, ldb = tb ? k : n;
  const std::size_t batch = shape_size(plan.batch);
  if (plan.b_single && !ta) {
    // a's matrices lie one under the other: one GEMM over all their rows.
    gemm(false, tb, batch * m, n, k, T(1), a.data(), lda, b.data(), ldb, T(0), out.data(), n);
    return out;
  }
  auto one = [&](std::size_t index) {
    std::size_t offset_a = 0, offset_b = 0, rest = index;
    for (std::size_t axis = plan.batch.size(); axis-- > 0;) {
      const std::size_t i = rest % plan.batch[axis];
      rest /= plan.batch[axis];
      offset_a += i * plan.a_steps[axis];
      offset_b += i * plan.b_steps[axis];
    }
    gemm(ta, tb, m, n, k, T(1), a.data() + offset_a, lda, b.data() + offset_b, ldb, T(0),
         out.data() + index * m * n, n);
  };
  const std::size_t work = m * n * k;
  if (work < kSmallMatrixWork) {
    parallel_blocks(
        batch, 1,
        [&](std::size_t begin, std::size_t end) {
          GemmThreads serial(1);
          for (std::size_t index = begin; index < end; ++index) one(index);
        },
        std::max<std::size_t>(work, 1));
  } else {
    for (std::size_t index = 0; index < batch; ++index) one(index);
  }
  return out;
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b) {
  require_same_dtype(a, b, "matmul");
  const MatmulPlan plan = plan_matmul(a.shape(), b.shape(), transpose_a, transpose_b);
  return a.visit([&](const auto& xa) -> Tensor {
    using T = typename std::decay_t<decltype(xa)>::value_type;
    return Tensor(matmul_arrays<T>(xa, b.array<T>(), transpose_a, transpose_b, plan));
  });
}

Tensor contract_leading_axes(const Tensor& a, const Tensor& b) {
  require_same_dtype(a, b, "contract_leading_axes");
  const Shape sa = a.shape(), sb = b.shape();
  if (sa.empty() || sb.empty()) {
    throw ShapeError("contract_leading_axes", "operands of rank >= 1", both_shapes(sa, sb));
  }
  const std::size_t rows = shape_size(Shape(sa.begin(), sa.end() - 1));
  if (rows != shape_size(Shape(sb.begin(), sb.end() - 1))) {
    throw ShapeError("contract_leading_axes", "leading axes of equal size", both_shapes(sa, sb));
  }
  const std::size_t p = sa.back(), q = sb.back();
  return a.visit([&](const auto& xa) -> Tensor {
    using T = typename std::decay_t<decltype(xa)>::value_type;
    auto out = Tensor::Array<T>::from_shape({p, q});
    gemm(true, false, p, q, rows, T(1), xa.data(), p, b.array<T>().data(), q, T(0), out.data(), q);
    return Tensor(std::move(out));
  });
}

}  // namespace grutape
