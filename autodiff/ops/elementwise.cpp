#include "autodiff/ops/elementwise.hpp"

#include "autodiff/custom_op.hpp"
#include "core/detail/map_kernel.hpp"
#include "core/reduce.hpp"
#include "core/tensor_math.hpp"

namespace grutape {
namespace {

using detail::map;
using Grads = std::vector<Tensor>;

// The batch type's scalar, for literals in generic kernels.
template <class B>
using Scalar = typename B::value_type;

// Runs f with the scalar c converted to x's element type: kernels then stay in one precision.
template <class F>
auto with_scalar(const Tensor& x, double c, F f) {
  return x.visit([&](const auto& a) {
    using T = typename std::decay_t<decltype(a)>::value_type;
    return f(static_cast<T>(c));
  });
}

// The gradient of a broadcast operand: g summed back onto its shape, if it needs one.
Tensor operand_grad(bool needed, const Tensor& g, const Shape& shape) {
  return needed ? sum_to_shape(g, shape) : Tensor();
}

}  // namespace

Value add(const Value& a, const Value& b) {
  const Shape sa = a.shape(), sb = b.shape();
  const bool na = a.requires_grad(), nb = b.requires_grad();
  return record_op("add", grutape::add(a.value(), b.value()), {a, b}, [=](const Tensor& g) {
    // y = a + b
    return Grads{operand_grad(na, g, sa), operand_grad(nb, g, sb)};
  });
}

Value sub(const Value& a, const Value& b) {
  const Shape sa = a.shape(), sb = b.shape();
  const bool na = a.requires_grad(), nb = b.requires_grad();
  return record_op("sub", grutape::sub(a.value(), b.value()), {a, b}, [=](const Tensor& g) {
    // y = a - b
    return Grads{operand_grad(na, g, sa), nb ? sum_to_shape(grutape::neg(g), sb) : Tensor()};
  });
}

Value mul(const Value& a, const Value& b) {
  const Tensor va = a.value(), vb = b.value();
  const bool na = a.requires_grad(), nb = b.requires_grad();
  return record_op("mul", grutape::mul(va, vb), {a, b}, [=](const Tensor& g) {
    // y = a * b  =>  da = g b, db = g a
    return Grads{na ? sum_to_shape(grutape::mul(g, vb), va.shape()) : Tensor(),
                 nb ? sum_to_shape(grutape::mul(g, va), vb.shape()) : Tensor()};
  });
}

Value div(const Value& a, const Value& b) {
  const Tensor va = a.value(), vb = b.value();
  const bool na = a.requires_grad(), nb = b.requires_grad();
  return record_op("div", grutape::div(va, vb), {a, b}, [=](const Tensor& g) {
    // y = a / b  =>  da = g / b, db = -g a / b^2
    Tensor db;
    if (nb) {
      db = sum_to_shape(
          map(
              g, va, vb, [](auto g, auto a, auto b) { return -g * a / (b * b); }, "div"),
          vb.shape());
    }
    return Grads{na ? sum_to_shape(grutape::div(g, vb), va.shape()) : Tensor(), db};
  });
}

Value neg(const Value& x) {
  return record_op("neg", grutape::neg(x.value()), {x},
                   [](const Tensor& g) { return Grads{grutape::neg(g)}; });
}

Value add(const Value& x, double c) {
  Tensor y = with_scalar(x.value(), c,
                         [&](auto s) { return map(x.value(), [s](auto v) { return v + s; }); });
  return record_op("add_scalar", y, {x}, [](const Tensor& g) { return Grads{g}; });
}

Value sub(const Value& x, double c) {
  return add(x, -c);
}

Value sub(double c, const Value& x) {
  Tensor y = with_scalar(x.value(), c,
                         [&](auto s) { return map(x.value(), [s](auto v) { return s - v; }); });
  return record_op("rsub_scalar", y, {x}, [](const Tensor& g) { return Grads{grutape::neg(g)}; });
}

Value mul(const Value& x, double c) {
  return record_op("mul_scalar", scale(x.value(), c), {x},
                   [c](const Tensor& g) { return Grads{scale(g, c)}; });
}

Value div(const Value& x, double c) {
  if (c == 0) throw ValueError("div", "a non-zero divisor", "0");
  return mul(x, 1.0 / c);
}

Value div(double c, const Value& x) {
  const Tensor vx = x.value();
  Tensor y = with_scalar(vx, c, [&](auto s) { return map(vx, [s](auto v) { return s / v; }); });
  return record_op("rdiv_scalar", y, {x}, [vx, y](const Tensor& g) {
    // y = c / x  =>  dx = -g y / x
    return Grads{map(
        g, y, vx, [](auto g, auto y, auto x) { return -g * y / x; }, "rdiv_scalar")};
  });
}

Value pow(const Value& base, const Value& exponent) {
  const Tensor a = base.value(), b = exponent.value();
  const bool na = base.requires_grad(), nb = exponent.requires_grad();
  Tensor y = map(
      a, b, [](auto a, auto b) { return xsimd::pow(a, b); }, "pow");
  return record_op("pow", y, {base, exponent}, [=](const Tensor& g) {
    // y = a^b  =>  da = g b a^(b-1), db = g y ln(a)
    Tensor da, db;
    if (na) {
      da = sum_to_shape(map(
                            g, a, b,
                            [](auto g, auto a, auto b) {
                              return g * b * xsimd::pow(a, b - Scalar<decltype(a)>(1));
                            },
                            "pow"),
                        a.shape());
    }
    if (nb) {
      db = sum_to_shape(
          map(
              g, y, a, [](auto g, auto y, auto a) { return g * y * xsimd::log(a); }, "pow"),
          b.shape());
    }
    return Grads{da, db};
  });
}

Value pow(const Value& base, double exponent) {
  const Tensor a = base.value();
  Tensor y = with_scalar(a, exponent, [&](auto p) {
    return map(a, [p](auto v) { return xsimd::pow(v, decltype(v)(p)); });
  });
  return record_op("pow_scalar", y, {base}, [a, exponent](const Tensor& g) {
    // y = a^p  =>  da = g p a^(p-1)
    return Grads{with_scalar(a, exponent, [&](auto p) {
      return map(
          g, a, [p](auto g, auto a) { return g * p * xsimd::pow(a, decltype(a)(p - 1)); }, "pow");
    })};
  });
}

Value exp(const Value& x) {
  Tensor y = map(x.value(), [](auto v) { return xsimd::exp(v); });
  return record_op("exp", y, {x}, [y](const Tensor& g) {
    // y = e^x  =>  dx = g y
    return Grads{grutape::mul(g, y)};
  });
}

Value log(const Value& x) {
  const Tensor vx = x.value();
  return record_op("log", map(vx, [](auto v) { return xsimd::log(v); }), {x},
                   [vx](const Tensor& g) {
                     // y = ln x  =>  dx = g / x
                     return Grads{grutape::div(g, vx)};
                   });
}

Value sqrt(const Value& x) {
  Tensor y = map(x.value(), [](auto v) { return xsimd::sqrt(v); });
  return record_op("sqrt", y, {x}, [y](const Tensor& g) {
    // y = sqrt(x)  =>  dx = g / (2 y)
    return Grads{map(
        g, y, [](auto g, auto y) { return g / (y + y); }, "sqrt")};
  });
}

Value abs(const Value& x) {
  const Tensor vx = x.value();
  return record_op("abs", map(vx, [](auto v) { return xsimd::abs(v); }), {x},
                   [vx](const Tensor& g) {
                     // y = |x|  =>  dx = g sign(x), 0 at x = 0
                     return Grads{map(
                         g, vx,
                         [](auto g, auto x) {
                           using B = decltype(x);
                           return xsimd::select(x > B(0), g, xsimd::select(x < B(0), -g, B(0)));
                         },
                         "abs")};
                   });
}

Value square(const Value& x) {
  const Tensor vx = x.value();
  return record_op("square", grutape::mul(vx, vx), {x}, [vx](const Tensor& g) {
    // y = x^2  =>  dx = 2 x g
    return Grads{map(
        g, vx, [](auto g, auto x) { return (x + x) * g; }, "square")};
  });
}

Value clip(const Value& x, double low, double high) {
  if (!(low <= high)) {
    throw ValueError("clip", "low <= high",
                     "low " + std::to_string(low) + ", high " + std::to_string(high));
  }
  const Tensor vx = x.value();
  return with_scalar(vx, low, [&](auto lo) {
    using T = decltype(lo);
    const T hi = static_cast<T>(high);
    Tensor y = map(vx, [lo, hi](auto v) {
      return xsimd::min(xsimd::max(v, decltype(v)(lo)), decltype(v)(hi));
    });
    return record_op("clip", y, {x}, [vx, lo, hi](const Tensor& g) {
      // y = min(max(x, low), high)  =>  dx = g where low <= x <= high
      return Grads{map(
          g, vx,
          [lo, hi](auto g, auto x) {
            using B = decltype(x);
            return xsimd::select(x >= B(lo) && x <= B(hi), g, B(0));
          },
          "clip")};
    });
  });
}

namespace {

// d max(a, b): the share of g that goes to a (1 where a wins, 1/2 at ties, 0 where b wins).
template <bool kMax>
Value extremum(const char* name, const Value& a, const Value& b) {
  const Tensor va = a.value(), vb = b.value();
  const bool na = a.requires_grad(), nb = b.requires_grad();
  Tensor y = map(
      va, vb, [](auto a, auto b) { return kMax ? xsimd::max(a, b) : xsimd::min(a, b); }, name);
  return record_op(name, y, {a, b}, [=](const Tensor& g) {
    auto share = [name](const Tensor& g, const Tensor& self, const Tensor& other) {
      return map(
          g, self, other,
          [](auto g, auto s, auto o) {
            using B = decltype(s);
            const auto wins = kMax ? s > o : s < o;
            return xsimd::select(wins, g, xsimd::select(s == o, g * B(0.5), B(0)));
          },
          name);
    };
    return Grads{na ? sum_to_shape(share(g, va, vb), va.shape()) : Tensor(),
                 nb ? sum_to_shape(share(g, vb, va), vb.shape()) : Tensor()};
  });
}

}  // namespace

Value maximum(const Value& a, const Value& b) {
  return extremum<true>("maximum", a, b);
}
Value minimum(const Value& a, const Value& b) {
  return extremum<false>("minimum", a, b);
}

Value where(const Tensor& mask, const Value& a, const Value& b) {
  const Tensor va = a.value(), vb = b.value();
  const bool na = a.requires_grad(), nb = b.requires_grad();
  auto pick = [](auto m, auto x, auto y) { return xsimd::select(m != decltype(m)(0), x, y); };
  Tensor y = map(mask, va, vb, pick, "where");
  return record_op("where", y, {a, b}, [=](const Tensor& g) {
    // y = mask ? a : b  =>  da = g where mask, db = g elsewhere
    auto routed = [&](bool to_a) {
      const Tensor zero = Tensor::zeros({}, g.dtype());
      return to_a ? map(mask, g, zero, pick, "where") : map(mask, zero, g, pick, "where");
    };
    return Grads{na ? sum_to_shape(routed(true), va.shape()) : Tensor(),
                 nb ? sum_to_shape(routed(false), vb.shape()) : Tensor()};
  });
}

}  // namespace grutape
