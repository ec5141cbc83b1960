#pragma once
// Elementwise arithmetic and math on values, with numpy broadcasting. Each op computes its result
// eagerly and records a backward that returns gradients summed back onto the operands' shapes.

#include "autodiff/value.hpp"

namespace grutape {

Value add(const Value& a, const Value& b);
Value sub(const Value& a, const Value& b);
Value mul(const Value& a, const Value& b);
Value div(const Value& a, const Value& b);
Value neg(const Value& x);

/// Scalar forms: x + c, x - c, c - x, x * c, x / c, c / x.
Value add(const Value& x, double c);
Value sub(const Value& x, double c);
Value sub(double c, const Value& x);
Value mul(const Value& x, double c);
Value div(const Value& x, double c);
Value div(double c, const Value& x);

/// x ^ exponent elementwise; base > 0 where the exponent's gradient is wanted.
Value pow(const Value& base, const Value& exponent);
Value pow(const Value& base, double exponent);

Value exp(const Value& x);
Value log(const Value& x);
Value sqrt(const Value& x);
Value abs(const Value& x);
Value square(const Value& x);

/// min(max(x, low), high); the gradient passes where low <= x <= high.
Value clip(const Value& x, double low, double high);
/// Elementwise maximum/minimum; at ties the gradient is split evenly.
Value maximum(const Value& a, const Value& b);
Value minimum(const Value& a, const Value& b);
/// mask != 0 ? a : b elementwise (mask is a constant tensor of the operands' dtype).
Value where(const Tensor& mask, const Value& a, const Value& b);

inline Value operator+(const Value& a, const Value& b) {
  return add(a, b);
}
inline Value operator-(const Value& a, const Value& b) {
  return sub(a, b);
}
inline Value operator*(const Value& a, const Value& b) {
  return mul(a, b);
}
inline Value operator/(const Value& a, const Value& b) {
  return div(a, b);
}
inline Value operator-(const Value& x) {
  return neg(x);
}
inline Value operator+(const Value& x, double c) {
  return add(x, c);
}
inline Value operator+(double c, const Value& x) {
  return add(x, c);
}
inline Value operator-(const Value& x, double c) {
  return sub(x, c);
}
inline Value operator-(double c, const Value& x) {
  return sub(c, x);
}
inline Value operator*(const Value& x, double c) {
  return mul(x, c);
}
inline Value operator*(double c, const Value& x) {
  return mul(x, c);
}
inline Value operator/(const Value& x, double c) {
  return div(x, c);
}
inline Value operator/(double c, const Value& x) {
  return div(c, x);
}

}  // namespace grutape
