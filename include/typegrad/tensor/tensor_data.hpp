#pragma once
/// \file tensor/tensor_data.hpp
/// detail::TensorDataContainer: what `tg::tensor(...)` takes. A scalar, a std::vector, or a
/// braced list of containers, nested to any depth: `tg::tensor({{1.0, 2.0}, {3.0, 4.0}})`.
/// As libtorch: each scalar keeps its C++ type's dtype (double -> kDouble, int -> kLong, float
/// -> kFloat, bool -> kBool, std::complex<double> -> kComplexDouble, tg::half -> kHalf ...) and
/// all scalars of one list must share it. Ragged lists are rejected with Python torch's text.
#include <complex>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include <typegrad/error.hpp>
#include <typegrad/tensor/convert.hpp>
#include <typegrad/tensor/dtype.hpp>

namespace typegrad::detail {

/// C++ scalars a tensor can be built from: the element types plus the other arithmetic types
/// (integers become Long, long double becomes Double). Character types are not numbers here.
template <class T>
concept tensor_scalar = tensor_element<T> || (std::is_arithmetic_v<T> && !std::is_same_v<T, char> &&
                                              !std::is_same_v<T, signed char> && !std::is_same_v<T, unsigned char> &&
                                              !std::is_same_v<T, wchar_t> && !std::is_same_v<T, char8_t> &&
                                              !std::is_same_v<T, char16_t> && !std::is_same_v<T, char32_t>);

/// The element type a C++ scalar is stored as.
template <tensor_scalar T> using element_type_for =
    std::conditional_t<tensor_element<T>, T,
                       std::conditional_t<std::is_integral_v<T>, std::int64_t, double>>;

/// One element of any dtype, as its own C++ type.
using scalar_value = std::variant<half, bfloat16, float, double, std::complex<float>, std::complex<double>, bool,
                                  std::int64_t>;

template <tensor_scalar T> scalar_value make_scalar_value(T v) noexcept {
  if constexpr (tensor_element<T>) return scalar_value(v);
  else return scalar_value(static_cast<element_type_for<T>>(v));
}

inline ScalarType dtype_of_value(const scalar_value& v) noexcept {
  return std::visit([](const auto& x) { return dtype_of<std::remove_cvref_t<decltype(x)>>; }, v);
}

class TensorDataContainer {
 public:
  template <tensor_scalar T>
  TensorDataContainer(T value) noexcept : kind_(kind::scalar), scalar_(make_scalar_value(value)) {}  // NOLINT
  TensorDataContainer(std::initializer_list<TensorDataContainer> list) noexcept : kind_(kind::list), list_(list) {}
  template <tensor_scalar T>
  TensorDataContainer(const std::vector<T>& values) : kind_(kind::vector) {  // NOLINT
    vector_.reserve(values.size());
    for (const auto& v : values) vector_.push_back(make_scalar_value(v));
    vector_dtype_ = dtype_of<element_type_for<T>>;
  }

  bool is_scalar() const noexcept { return kind_ == kind::scalar; }

  /// Sizes, inferred Python-style from the first element at each depth.
  std::vector<std::int64_t> sizes() const {
    std::vector<std::int64_t> sizes;
    const TensorDataContainer* c = this;
    while (c->kind_ == kind::list) {
      sizes.push_back(static_cast<std::int64_t>(c->list_.size()));
      if (c->list_.size() == 0) return sizes;
      c = c->list_.begin();
    }
    if (c->kind_ == kind::vector) sizes.push_back(static_cast<std::int64_t>(c->vector_.size()));
    return sizes;
  }

  /// The dtype of the scalars (all must agree, libtorch's text otherwise); kFloat (torch's
  /// default) for lists without any scalar.
  ScalarType scalar_type() const {
    std::optional<ScalarType> found;
    check_scalar_types(found);
    return found.value_or(default_dtype);
  }

  /// Calls `f(value)` for each scalar in row-major order, checking that every list at depth d
  /// has sizes[d] elements (Python's "expected sequence of length N at dim d (got M)").
  template <class F> void for_each_scalar(const std::vector<std::int64_t>& sizes, F&& f) const {
    visit_scalars(sizes, 0, f);
  }

 private:
  enum class kind { scalar, list, vector };

  void check_scalar_types(std::optional<ScalarType>& found) const {
    const auto check = [&](ScalarType t) {
      if (!found) {
        found = t;
      } else if (*found != t) {
        throw Error("Expected all elements of the tensor to have the same scalar type: " + std::string(scalar_type_name(*found)) +
                    ", but got element of scalar type: " + std::string(scalar_type_name(t)));
      }
    };
    switch (kind_) {
      case kind::scalar: check(dtype_of_value(scalar_)); break;
      case kind::vector: if (!vector_.empty()) check(vector_dtype_); break;
      case kind::list: for (const auto& c : list_) c.check_scalar_types(found); break;
    }
  }

  template <class F> void visit_scalars(const std::vector<std::int64_t>& sizes, std::size_t depth, F& f) const {
    if (depth == sizes.size()) {
      if (kind_ != kind::scalar) {
        throw Error("expected a number at dim " + std::to_string(depth) + " (got a sequence)");
      }
      f(scalar_);
      return;
    }
    if (kind_ == kind::scalar) throw Error("not a sequence");
    const std::size_t n = kind_ == kind::list ? list_.size() : vector_.size();
    if (static_cast<std::int64_t>(n) != sizes[depth]) {
      throw Error("expected sequence of length " + std::to_string(sizes[depth]) + " at dim " + std::to_string(depth) +
                  " (got " + std::to_string(n) + ")");
    }
    if (kind_ == kind::list) {
      for (const auto& c : list_) c.visit_scalars(sizes, depth + 1, f);
    } else {
      if (depth + 1 != sizes.size()) throw Error("not a sequence");
      for (const auto& v : vector_) f(v);
    }
  }

  kind kind_;
  scalar_value scalar_{};
  std::initializer_list<TensorDataContainer> list_{};
  std::vector<scalar_value> vector_{};
  ScalarType vector_dtype_ = default_dtype;
};

}  // namespace typegrad::detail
