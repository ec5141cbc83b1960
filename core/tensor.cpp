#include "core/tensor.hpp"

#include <ostream>

#include <xtensor/xbuilder.hpp>
#include <xtensor/xio.hpp>

namespace grutape {
namespace {

template <class T>
Tensor::Array<T> filled(const Shape& shape, T value) {
  Tensor::Array<T> array = Tensor::Array<T>::from_shape(shape);
  array.fill(value);
  return array;
}

}  // namespace

Tensor Tensor::full(const Shape& shape, double value, DType dtype) {
  if (dtype == DType::float32) return Tensor(filled<float>(shape, static_cast<float>(value)));
  return Tensor(filled<double>(shape, value));
}

Tensor Tensor::zeros(const Shape& shape, DType dtype) {
  return full(shape, 0.0, dtype);
}
Tensor Tensor::ones(const Shape& shape, DType dtype) {
  return full(shape, 1.0, dtype);
}
Tensor Tensor::scalar(double value, DType dtype) {
  return full(Shape{}, value, dtype);
}

Tensor Tensor::from_values(const Shape& shape, const std::vector<double>& values, DType dtype) {
  if (values.size() != shape_size(shape)) {
    throw ShapeError(
        "Tensor::from_values",
        std::to_string(shape_size(shape)) + " values for shape " + shape_to_string(shape),
        std::to_string(values.size()) + " values");
  }
  Tensor tensor = zeros(shape, dtype);
  tensor.visit([&](auto& array) {
    using T = typename std::decay_t<decltype(array)>::value_type;
    for (std::size_t i = 0; i < values.size(); ++i) array.data()[i] = static_cast<T>(values[i]);
  });
  return tensor;
}

void Tensor::require_defined(const char* where) const {
  if (!defined()) throw ValueError(where, "a defined tensor", "an undefined tensor");
}

DType Tensor::dtype() const {
  require_defined("Tensor::dtype");
  return data_->index() == 0 ? DType::float32 : DType::float64;
}

Shape Tensor::shape() const {
  return visit([](const auto& array) { return Shape(array.shape().begin(), array.shape().end()); });
}

std::size_t Tensor::rank() const {
  return visit([](const auto& array) { return array.dimension(); });
}

std::size_t Tensor::size() const {
  return visit([](const auto& array) { return array.size(); });
}

template <class T>
Tensor::Array<T>& Tensor::array() {
  if (data_) {
    if (auto* array = std::get_if<Array<T>>(data_.get())) return *array;
  }
  throw ValueError(
      "Tensor::array", std::string("a ") + dtype_name(dtype_of<T>()) + " tensor",
      defined() ? std::string("a ") + dtype_name(dtype()) + " tensor" : "an undefined tensor");
}

template <class T>
const Tensor::Array<T>& Tensor::array() const {
  return const_cast<Tensor*>(this)->array<T>();
}

template Tensor::Array<float>& Tensor::array<float>();
template Tensor::Array<double>& Tensor::array<double>();
template const Tensor::Array<float>& Tensor::array<float>() const;
template const Tensor::Array<double>& Tensor::array<double>() const;

Tensor Tensor::clone() const {
  return to(dtype());
}

Tensor Tensor::to(DType target) const {
  return visit([&](const auto& array) -> Tensor {
    if (target == DType::float32) return Tensor(Array<float>(xt::cast<float>(array)));
    return Tensor(Array<double>(xt::cast<double>(array)));
  });
}

Tensor Tensor::reshaped(const Shape& new_shape) const {
  if (shape_size(new_shape) != size()) {
    throw ShapeError(
        "Tensor::reshaped", "a shape of " + std::to_string(size()) + " elements",
        shape_to_string(new_shape) + " for a tensor of shape " + shape_to_string(shape()));
  }
  Tensor result = clone();
  result.visit([&](auto& array) { array.reshape(new_shape); });
  return result;
}

double Tensor::item() const {
  if (size() != 1)
    throw ShapeError("Tensor::item", "a one-element tensor", "shape " + shape_to_string(shape()));
  return flat(0);
}

double Tensor::flat(std::size_t index) const {
  return visit([&](const auto& array) {
    if (index >= array.size()) {
      throw ShapeError("Tensor::flat", "an index below " + std::to_string(array.size()),
                       std::to_string(index));
    }
    return static_cast<double>(array.data()[index]);
  });
}

std::vector<double> Tensor::to_vector() const {
  return visit([](const auto& array) { return std::vector<double>(array.begin(), array.end()); });
}

std::ostream& operator<<(std::ostream& out, const Tensor& tensor) {
  if (!tensor.defined()) return out << "tensor (undefined)";
  out << "tensor " << dtype_name(tensor.dtype()) << " " << shape_to_string(tensor.shape()) << " ";
  tensor.visit([&](const auto& array) { out << array; });
  return out;
}

void require_same_dtype(const Tensor& a, const Tensor& b, const std::string& where) {
  if (a.dtype() != b.dtype()) {
    throw ValueError(where, "operands of one dtype",
                     std::string(dtype_name(a.dtype())) + " and " + dtype_name(b.dtype()));
  }
}

void require_shape(const Tensor& tensor, const Shape& expected, const std::string& where) {
  const Shape got = tensor.shape();
  if (got != expected)
    throw ShapeError(where, "shape " + shape_to_string(expected), shape_to_string(got));
}

}  // namespace grutape
