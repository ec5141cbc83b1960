#pragma once
// A dense, contiguous, row-major array of float32 or float64 over xtensor. The element type is
// chosen at run time so that models, files and configs can name it; kernels dispatch on it once
// per call with visit().
//
// Copies share their data, like torch::Tensor: a backward closure that saves a tensor saves a
// reference, not a copy. clone() makes an independent copy. Library code never writes into a
// tensor it did not create, except an optimizer into its parameters.

#include <iosfwd>
#include <memory>
#include <variant>
#include <vector>

#include <xtensor/xarray.hpp>

#include "core/dtype.hpp"
#include "core/error.hpp"
#include "core/shape.hpp"

namespace grutape {

class Tensor {
 public:
  template <class T>
  using Array = xt::xarray<T>;

  /// An undefined tensor: no dtype, no data (used for "no gradient").
  Tensor() = default;
  Tensor(Array<float> array) : data_(std::make_shared<Storage>(std::move(array))) {}
  Tensor(Array<double> array) : data_(std::make_shared<Storage>(std::move(array))) {}

  static Tensor zeros(const Shape& shape, DType dtype = DType::float32);
  static Tensor ones(const Shape& shape, DType dtype = DType::float32);
  static Tensor full(const Shape& shape, double value, DType dtype = DType::float32);
  static Tensor scalar(double value, DType dtype = DType::float32);
  /// Row-major values; a ShapeError when their count is not the shape's size.
  static Tensor from_values(const Shape& shape, const std::vector<double>& values,
                            DType dtype = DType::float32);

  bool defined() const { return data_ != nullptr; }
  /// Whether this and `other` are copies of one tensor (share their data), or both undefined.
  bool shares_data(const Tensor& other) const { return data_ == other.data_; }
  DType dtype() const;
  Shape shape() const;
  std::size_t rank() const;
  std::size_t size() const;

  /// The underlying array; a ValueError when T is not the tensor's dtype.
  template <class T>
  Array<T>& array();
  template <class T>
  const Array<T>& array() const;

  /// Calls f with the underlying xt::xarray<T>& (T = float or double) and returns its result.
  template <class F>
  decltype(auto) visit(F&& f) {
    require_defined("Tensor::visit");
    if (auto* a = std::get_if<Array<float>>(data_.get())) return f(*a);
    return f(std::get<Array<double>>(*data_));
  }
  template <class F>
  decltype(auto) visit(F&& f) const {
    require_defined("Tensor::visit");
    if (const auto* a = std::get_if<Array<float>>(data_.get())) return f(*a);
    return f(std::get<Array<double>>(*data_));
  }

  /// An independent copy of the data.
  Tensor clone() const;
  /// An independent copy converted to `dtype`.
  Tensor to(DType dtype) const;
  /// A copy of the data under another shape of equal size.
  Tensor reshaped(const Shape& shape) const;
  /// The value of a one-element tensor; a ShapeError otherwise.
  double item() const;
  /// Element `index` in row-major order, as double.
  double flat(std::size_t index) const;
  std::vector<double> to_vector() const;

 private:
  void require_defined(const char* where) const;

  using Storage = std::variant<Array<float>, Array<double>>;
  std::shared_ptr<Storage> data_;
};

/// "tensor float32 (2, 3) [[1, 2, 3], [4, 5, 6]]" (xtensor's printing of the values).
std::ostream& operator<<(std::ostream& out, const Tensor& tensor);

/// A ValueError naming `where` unless both tensors share a dtype.
void require_same_dtype(const Tensor& a, const Tensor& b, const std::string& where);

/// A ShapeError naming `where` unless `tensor` has `expected` shape.
void require_shape(const Tensor& tensor, const Shape& expected, const std::string& where);

}  // namespace grutape
