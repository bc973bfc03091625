#pragma once
/// \file tensor/int_array_ref.hpp
/// tg::IntArrayRef: a non-owning list of int64 sizes, strides or dims, as libtorch's, so that
/// `tg::zeros({2, 3})`, `t.view(std::vector<std::int64_t>{...})` and `t.permute(arr)` all work.
/// It refers to the caller's data: use it for parameters only, never store one.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <vector>

namespace typegrad {

class IntArrayRef {
 public:
  constexpr IntArrayRef() noexcept = default;
  // NOLINTNEXTLINE(google-explicit-constructor): braced lists are the point
  constexpr IntArrayRef(std::initializer_list<std::int64_t> list) noexcept : data_(list.begin(), list.size()) {}
  constexpr IntArrayRef(std::span<const std::int64_t> span) noexcept : data_(span) {}
  IntArrayRef(const std::vector<std::int64_t>& v) noexcept : data_(v.data(), v.size()) {}

  constexpr const std::int64_t* begin() const noexcept { return data_.data(); }
  constexpr const std::int64_t* end() const noexcept { return data_.data() + data_.size(); }
  constexpr const std::int64_t* data() const noexcept { return data_.data(); }
  constexpr std::size_t size() const noexcept { return data_.size(); }
  constexpr bool empty() const noexcept { return data_.empty(); }
  constexpr std::int64_t operator[](std::size_t i) const noexcept { return data_[i]; }
  std::vector<std::int64_t> vec() const { return {begin(), end()}; }

 private:
  std::span<const std::int64_t> data_;
};

namespace detail {
/// "[2, 3]": torch's C++ spelling of a size list in messages.
inline std::string format_int_list(IntArrayRef list) {
  std::string s = "[";
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(list[i]);
  }
  return s + "]";
}
}  // namespace detail

}  // namespace typegrad
