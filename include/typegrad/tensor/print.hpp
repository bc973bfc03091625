#pragma once
/// \file tensor/print.hpp
/// `std::cout << t` and `tg::repr(t)`: Python torch 1.13's `repr(t)` (torch/_tensor_str.py
/// with the default print options: precision 4, threshold 1000, edgeitems 3, linewidth 80).
///
///     tensor([1., 2., 3.])                    tensor([1.5000, 2.2500])
///     tensor([1.0000e-08, 1.0000e+05])        tensor(3.)
///     tensor([1., 2.], dtype=torch.float64)   tensor([1.+2.j])
///     tensor([0.5000, 1.0000], requires_grad=True)
///
/// torch's default dtype is float32, so Double tensors print their dtype (and Long, Bool and
/// ComplexFloat do not).
#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <typegrad/autograd/meta.hpp>
#include <typegrad/tensor/convert.hpp>
#include <typegrad/tensor/dtype.hpp>
#include <typegrad/tensor/geometry.hpp>
#include <typegrad/tensor/tensor.hpp>

namespace typegrad {

namespace detail {

struct print_options {
  int precision = 4;
  std::int64_t threshold = 1000;
  std::int64_t edgeitems = 3;
  std::int64_t linewidth = 80;
};
inline constexpr print_options default_print_options{};

/// Python's "{:.Nf}" / "{:.Ne}" / "{:.0f}" of a float (printf's, except that NaN has no sign).
inline std::string python_format(double v, char conversion, int precision, int width = 0) {
  if (std::isnan(v)) {
    std::string s = "nan";
    return std::string(static_cast<std::size_t>(std::max(0, width - 3)), ' ') + s;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, conversion == 'e' ? "%*.*e" : "%*.*f", width, precision, v);
  return buf;
}

/// The elements of a tensor in row-major order, as what Python's `tolist()` gives: floats
/// (Half/BFloat16/Float widened exactly to double), ints, or bools; complex split in parts.
struct print_values {
  enum class kind { floating, integer, boolean } type = kind::floating;
  std::vector<double> real, imag;   // floating and complex
  std::vector<std::int64_t> ints;   // Long and Bool
};

inline print_values values_of(const Tensor& t) {
  print_values out;
  const Tensor c = t.contiguous();
  const auto n = static_cast<std::size_t>(c.numel());
  visit(c.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* p = c.data_ptr<T>();
    if constexpr (is_std_complex_v<T>) {
      for (std::size_t k = 0; k < n; ++k) {
        out.real.push_back(static_cast<double>(p[k].real()));
        out.imag.push_back(static_cast<double>(p[k].imag()));
      }
    } else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::int64_t>) {
      out.type = std::is_same_v<T, bool> ? print_values::kind::boolean : print_values::kind::integer;
      for (std::size_t k = 0; k < n; ++k) out.ints.push_back(static_cast<std::int64_t>(p[k]));
    } else {
      for (std::size_t k = 0; k < n; ++k) out.real.push_back(static_cast<double>(widen(p[k])));
    }
  });
  return out;
}

/// torch's _Formatter: decides int mode (all finite values integral: "1."), scientific mode
/// (range > 1000, max > 1e8, or non-integral with min < 1e-4) and the column width.
class formatter {
 public:
  /// Floating values (only the finite non-zero ones matter).
  explicit formatter(const std::vector<double>& values, const print_options& opts) : opts_(opts) {
    std::vector<double> finite;
    for (double v : values) {
      if (std::isfinite(v) && v != 0) finite.push_back(v);
    }
    if (finite.empty()) return;
    double lo = std::abs(finite[0]), hi = lo;
    for (double v : finite) {
      lo = std::min(lo, std::abs(v));
      hi = std::max(hi, std::abs(v));
      if (v != std::ceil(v)) int_mode_ = false;
    }
    const bool wide = hi / lo > 1000.0 || hi > 1.0e8;
    sci_mode_ = int_mode_ ? wide : wide || lo < 1.0e-4;
    for (double v : finite) {
      const std::size_t w = sci_mode_   ? python_format(v, 'e', opts_.precision).size()
                            : int_mode_ ? python_format(v, 'f', 0).size() + 1
                                        : python_format(v, 'f', opts_.precision).size();
      width_ = std::max(width_, w);
    }
  }
  /// Long or Bool values: the width of their Python str.
  formatter(const std::vector<std::int64_t>& values, bool boolean, const print_options& opts)
      : boolean_(boolean), opts_(opts) {
    for (auto v : values) width_ = std::max(width_, int_string(v).size());
  }

  std::size_t width() const noexcept { return width_; }

  std::string format(double v) const {
    std::string s;
    if (sci_mode_) {
      s = python_format(v, 'e', opts_.precision, static_cast<int>(width_));
    } else if (int_mode_) {
      s = python_format(v, 'f', 0);
      if (std::isfinite(v)) s += ".";
    } else {
      s = python_format(v, 'f', opts_.precision);
    }
    return pad(s);
  }
  std::string format(std::int64_t v) const { return pad(int_string(v)); }

 private:
  std::string int_string(std::int64_t v) const {
    if (boolean_) return v ? "True" : "False";
    return std::to_string(v);
  }
  std::string pad(std::string s) const {
    return s.size() >= width_ ? s : std::string(width_ - s.size(), ' ') + s;
  }

  bool boolean_ = false;
  bool int_mode_ = true;
  bool sci_mode_ = false;
  std::size_t width_ = 1;
  print_options opts_;
};

/// Row-major values plus sizes; `at(offset)` formats one element.
class tensor_printer {
 public:
  tensor_printer(const Tensor& t, const print_options& opts)
      : opts_(opts), sizes_(t.sizes()), strides_(contiguous_strides(sizes_)), values_(values_of(t)) {
    summarize_ = t.numel() > opts_.threshold;
    const bool complex = typegrad::is_complex(t.dtype());
    if (values_.type == print_values::kind::floating) {
      real_.emplace(gather(values_.real), opts_);
      if (complex) imag_.emplace(gather(values_.imag), opts_);
    } else {
      real_.emplace(gather(values_.ints), values_.type == print_values::kind::boolean, opts_);
    }
  }

  std::string str(std::int64_t indent) const { return tensor_str(0, 0, indent); }

 private:
  /// The values the formatter sees: all of them, or only the summarized corners.
  template <class V> std::vector<V> gather(const std::vector<V>& all) const {
    if (!summarize_) return all;
    std::vector<V> out;
    gather_summarized(all, 0, 0, out);
    return out;
  }
  template <class V> void gather_summarized(const std::vector<V>& all, std::size_t d, std::int64_t offset,
                                            std::vector<V>& out) const {
    if (d == sizes_.size()) {
      out.push_back(all[static_cast<std::size_t>(offset)]);
      return;
    }
    for (std::int64_t i : shown_indices(sizes_[d])) gather_summarized(all, d + 1, offset + i * strides_[d], out);
  }
  /// Indices of dim of size n that are printed; -1 marks the "..." position.
  std::vector<std::int64_t> shown_indices(std::int64_t n, bool with_ellipsis = false) const {
    std::vector<std::int64_t> idx;
    if (summarize_ && n > 2 * opts_.edgeitems) {
      for (std::int64_t i = 0; i < opts_.edgeitems; ++i) idx.push_back(i);
      if (with_ellipsis) idx.push_back(-1);
      for (std::int64_t i = n - opts_.edgeitems; i < n; ++i) idx.push_back(i);
    } else {
      for (std::int64_t i = 0; i < n; ++i) idx.push_back(i);
    }
    return idx;
  }

  std::string element(std::int64_t offset) const {
    const auto k = static_cast<std::size_t>(offset);
    if (values_.type != print_values::kind::floating) return real_->format(values_.ints[k]);
    const std::string re = real_->format(values_.real[k]);
    if (!imag_) return re;
    std::string im = imag_->format(values_.imag[k]) + "j";
    im.erase(0, im.find_first_not_of(' '));
    return (im[0] == '+' || im[0] == '-') ? re + im : re + "+" + im;
  }

  std::string vector_str(std::int64_t offset, std::int64_t indent) const {
    std::int64_t element_length = static_cast<std::int64_t>(real_->width()) + 2;
    if (imag_) element_length += static_cast<std::int64_t>(imag_->width()) + 1;
    const std::int64_t per_line = std::max<std::int64_t>(1, (opts_.linewidth - indent) / element_length);
    std::vector<std::string> data;
    for (std::int64_t i : shown_indices(sizes_.back(), true)) {
      data.push_back(i < 0 ? " ..." : element(offset + i * strides_.back()));
    }
    std::string s = "[";
    for (std::size_t k = 0; k < data.size(); ++k) {
      if (k > 0) {
        s += k % static_cast<std::size_t>(per_line) == 0 ? ",\n" + std::string(static_cast<std::size_t>(indent + 1), ' ')
                                                         : ", ";
      }
      s += data[k];
    }
    return s + "]";
  }

  std::string tensor_str(std::size_t d, std::int64_t offset, std::int64_t indent) const {
    const std::size_t ndim = sizes_.size();
    if (ndim == 0) return element(0);
    if (d + 1 == ndim) return vector_str(offset, indent);
    std::vector<std::string> slices;
    for (std::int64_t i : shown_indices(sizes_[d], true)) {
      slices.push_back(i < 0 ? "..." : tensor_str(d + 1, offset + i * strides_[d], indent + 1));
    }
    const std::string sep = "," + std::string(ndim - d - 1, '\n') + std::string(static_cast<std::size_t>(indent + 1), ' ');
    std::string s = "[";
    for (std::size_t k = 0; k < slices.size(); ++k) s += (k ? sep : "") + slices[k];
    return s + "]";
  }

  print_options opts_;
  dim_vector sizes_;
  dim_vector strides_;
  print_values values_;
  bool summarize_ = false;
  std::optional<formatter> real_, imag_;
};

/// torch's _add_suffixes: ", suffix" on the last line, or on a new line when it would pass
/// the line width.
inline std::string add_suffixes(std::string s, const std::vector<std::string>& suffixes, std::int64_t indent,
                                const print_options& opts) {
  const auto newline = s.rfind('\n');
  // Python: len(s) - s.rfind("\n") + 1, with rfind = -1 when there is no newline.
  std::int64_t last_line = static_cast<std::int64_t>(s.size()) -
                           (newline == std::string::npos ? -1 : static_cast<std::int64_t>(newline)) + 1;
  for (const auto& suffix : suffixes) {
    const auto len = static_cast<std::int64_t>(suffix.size());
    if (last_line + len + 2 > opts.linewidth) {
      s += ",\n" + std::string(static_cast<std::size_t>(indent), ' ') + suffix;
      last_line = indent + len;
    } else {
      s += ", " + suffix;
      last_line += len + 2;
    }
  }
  return s + ")";
}

}  // namespace detail

/// Python torch's repr of `t` ("tensor([1., 2.])"); "tensor(undefined)" for an undefined one.
/// Python prints a node by its class name ("AccumulateGrad", not name()'s "torch::autograd::AccumulateGrad").
inline std::string short_node_name(const std::string& name) {
  const auto colon = name.rfind("::");
  return colon == std::string::npos ? name : name.substr(colon + 2);
}

inline std::string repr(const Tensor& t, const detail::print_options& opts = detail::default_print_options) {
  if (!t.defined()) return "tensor(undefined)";
  const std::string prefix = "tensor(";
  const auto indent = static_cast<std::int64_t>(prefix.size());
  std::vector<std::string> suffixes;
  std::string body;
  const ScalarType dtype = t.dtype();
  if (t.numel() == 0) {
    if (t.dim() != 1) {
      std::string size = "size=(";
      for (auto s : t.sizes()) size += std::to_string(s) + ", ";
      size.resize(size.size() - 2);
      suffixes.push_back(size + ")");
    }
    if (dtype != default_dtype) suffixes.push_back("dtype=" + std::string(torch_name(dtype)));
    body = "[]";
  } else {
    const bool default_shown = dtype == default_dtype || dtype == kComplexFloat || dtype == kLong || dtype == kBool;
    if (!default_shown) suffixes.push_back("dtype=" + std::string(torch_name(dtype)));
    body = detail::tensor_printer(t, opts).str(indent);
  }
  if (const auto& fn = autograd::detail::grad_fn_of(t)) suffixes.push_back("grad_fn=<" + short_node_name(fn->name()) + ">");
  else if (t.requires_grad()) suffixes.push_back("requires_grad=True");
  return detail::add_suffixes(prefix + body, suffixes, indent, opts);
}

inline std::ostream& operator<<(std::ostream& os, const Tensor& t) { return os << repr(t); }


}  // namespace typegrad
