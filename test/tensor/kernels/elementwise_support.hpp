#pragma once
// Helpers of the elementwise kernel tests: reading a tensor's elements without the kernels
// under test (row-major, through tensor/geometry.hpp), building inputs, comparing messages.
#include <catch2/catch.hpp>

#include <complex>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <typegrad/dynamic.hpp>
#include <typegrad/tensor/kernels/elementwise.hpp>

namespace kernels_test {

namespace tg = typegrad;

/// The elements of `t` in row-major order; T must be t's element type.
template <class T> std::vector<T> elements(const tg::Tensor& t) {
  std::vector<T> out;
  const T* p = t.data_ptr<T>();
  tg::detail::for_each_offset(t.sizes(), t.strides(), [&](std::int64_t o) { out.push_back(p[o]); });
  return out;
}

/// The elements of `t` in row-major order converted to U as torch converts.
template <class U> std::vector<U> elements_as(const tg::Tensor& t) {
  return tg::visit(t.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    std::vector<U> out;
    for (const T& v : elements<T>(t)) out.push_back(tg::detail::convert<U>(v));
    return out;
  });
}

/// True when both tensors hold the same bits in the same row-major order (same dtype and shape).
inline bool same_bits(const tg::Tensor& a, const tg::Tensor& b) {
  if (a.dtype() != b.dtype() || a.sizes() != b.sizes()) return false;
  return tg::visit(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const auto x = elements<T>(a);
    const auto y = elements<T>(b);
    if constexpr (std::is_same_v<T, bool>) return x == y;
    else return std::memcmp(x.data(), y.data(), x.size() * sizeof(T)) == 0;
  });
}

/// n values spread over [lo, hi] with irregular gaps (no two lanes of a batch alike), as a
/// 1-d kDouble tensor.
inline tg::Tensor spread(double lo, double hi, std::int64_t n) {
  std::vector<double> v;
  for (std::int64_t i = 0; i < n; ++i) {
    const double u = (static_cast<double>(i) + 0.37 * static_cast<double>((i * 7) % 5) / 5.0) / static_cast<double>(n);
    v.push_back(lo + (hi - lo) * u);
  }
  return tg::tensor(v);
}

/// The message of what `f` throws as tg::Error ("" if it throws nothing).
template <class F> std::string error_of(F&& f) {
  try {
    f();
  } catch (const tg::Error& e) {
    return e.what();
  }
  return "";
}

/// torch's text with its kernel's name ("erf_vml_cpu", "atan2_cpu") reduced to the operation's
/// ("erf", "atan2"), as typegrad names a policy.
inline std::string without_kernel_suffix(std::string text) {
  for (const char* suffix : {"_vml_cpu\"", "_cpu\""}) {
    const auto at = text.find(suffix);
    if (at != std::string::npos) text.replace(at, std::strlen(suffix), "\"");
  }
  return text;
}

/// torch's messages of the error cases of make_elementwise_reference.py, by case name.
inline std::string torch_error(const std::string& name) {
  static const std::map<std::string, std::string> errors = [] {
    std::map<std::string, std::string> m;
#define TG_ERROR(name, text) m[#name] = text;
#include "tensor/kernels/elementwise_reference.inc"
    return m;
  }();
  const auto it = errors.find(name);
  REQUIRE(it != errors.end());
  return it->second;
}

}  // namespace kernels_test
