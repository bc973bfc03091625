#pragma once
/// \file array/reductions.hpp
/// Reductions over array bodies (sum, prod, mean, log_sum_exp, norm2; dot is sum(a * b)), and
/// element access x[i]. Each reduction is one policy: an accumulator that takes elements as xsimd
/// batches or single values, its result, and d result / d element.
#include <cmath>
#include <cstddef>
#include <limits>
#include <type_traits>

#include <typegrad/expr/make.hpp>

namespace typegrad {
namespace detail {

/// Horizontal reductions of a batch (or identity on a scalar).
template <class X> auto lanes_sum(const X& x) {
  if constexpr (is_batch_v<X>) return xsimd::hadd(x);
  else return x;
}
template <class X, class F> auto lanes_fold(const X& x, F f) {
  if constexpr (is_batch_v<X>) {
    alignas(X::arch_type::alignment()) std::array<element_t<X>, X::size> t;
    x.store_aligned(t.data());
    auto r = t[0];
    for (std::size_t i = 1; i < X::size; ++i) r = f(r, t[i]);
    return r;
  } else {
    return x;
  }
}

}  // namespace detail

namespace reductions {

/// Sum of the elements; d/db_i = 1.
struct sum {
  static constexpr std::string_view symbol = "sum";
  static constexpr bool real_only = false;
  static constexpr int passes = 1;
  template <class V, class B> struct state {
    B batch = B(V(0));
    V single{0};
    template <class X> void add(const X& x, int) {
      if constexpr (std::is_same_v<X, V>) single += x;
      else batch += x;
    }
    V result(std::size_t) const {
      if constexpr (std::is_same_v<B, V>) return batch + single;
      else return detail::lanes_sum(batch) + single;
    }
    template <class X> X partial(const X&, const V&, std::size_t) const { return X(V(1)); }
  };
};

/// Mean of the elements; d/db_i = 1/n.
struct mean {
  static constexpr std::string_view symbol = "mean";
  static constexpr bool real_only = false;
  static constexpr int passes = 1;
  template <class V, class B> struct state : sum::state<V, B> {
    V result(std::size_t n) const { return sum::state<V, B>::result(n) / V(static_cast<detail::real_t<V>>(n)); }
    template <class X> X partial(const X&, const V&, std::size_t n) const {
      return X(V(1) / V(static_cast<detail::real_t<V>>(n)));
    }
  };
};

/// Product; the gradient is the product of the other elements, exact with zeros present.
struct prod {
  static constexpr std::string_view symbol = "prod";
  static constexpr bool real_only = false;
  static constexpr int passes = 1;
  template <class V, class B> struct state {
    B nonzero_batch = B(V(1));
    V nonzero{1};
    std::size_t zeros = 0;
    template <class X> void add(const X& x, int) {
      if constexpr (std::is_same_v<X, V>) {
        if (x == V(0)) ++zeros;
        else nonzero *= x;
      } else {
        const auto z = x == X(V(0));
        zeros += static_cast<std::size_t>(detail::lanes_sum(xsimd::select(z, X(V(1)), X(V(0)))));
        nonzero_batch *= xsimd::select(z, X(V(1)), x);
      }
    }
    V product_of_nonzeros() const {
      if constexpr (std::is_same_v<B, V>) return nonzero_batch * nonzero;
      else return detail::lanes_fold(nonzero_batch, [](auto a, auto b) { return a * b; }) * nonzero;
    }
    V result(std::size_t) const { return zeros ? V(0) : product_of_nonzeros(); }
    template <class X> X partial(const X& b, const V& y, std::size_t) const {
      if (zeros == 0) return X(y) / b;
      if (zeros > 1) return X(V(0));
      return detail::select(b == X(V(0)), X(product_of_nonzeros()), X(V(0)));
    }
  };
};

/// log(sum(exp(b))), computed stably (shifted by the maximum); d/db_i = exp(b_i - result).
struct log_sum_exp {
  static constexpr std::string_view symbol = "log_sum_exp";
  static constexpr bool real_only = true;
  static constexpr int passes = 2;
  template <class V, class B> struct state {
    B max_batch = B(-std::numeric_limits<V>::infinity());
    V max_single = -std::numeric_limits<V>::infinity();
    V shift = 0;
    B sum_batch = B(V(0));
    V sum_single{0};
    template <class X> void add(const X& x, int pass) {
      using std::exp;
      using std::max;
      if (pass == 0) {
        if constexpr (std::is_same_v<X, V>) max_single = max(max_single, x);
        else max_batch = xsimd::max(max_batch, x);
      } else {
        if constexpr (std::is_same_v<X, V>) sum_single += exp(x - shift);
        else sum_batch += exp(x - X(shift));
      }
    }
    void end_pass(int pass) {
      if (pass != 0) return;
      using std::max;
      V m = max_single;
      if constexpr (!std::is_same_v<B, V>)
        m = max(m, detail::lanes_fold(max_batch, [](auto a, auto b) { return a > b ? a : b; }));
      shift = std::isfinite(m) ? m : V(0);
    }
    V result(std::size_t) const {
      using std::log;
      V s = sum_single;
      if constexpr (!std::is_same_v<B, V>) s += detail::lanes_sum(sum_batch);
      return shift + log(s);
    }
    template <class X> X partial(const X& b, const V& y, std::size_t) const {
      using std::exp;
      return exp(b - X(y));
    }
  };
};

/// Euclidean norm sqrt(sum(b^2)); d/db_i = b_i / result (0 at the origin).
struct norm2 {
  static constexpr std::string_view symbol = "norm2";
  static constexpr bool real_only = true;
  static constexpr int passes = 1;
  template <class V, class B> struct state {
    B batch = B(V(0));
    V single{0};
    template <class X> void add(const X& x, int) {
      if constexpr (std::is_same_v<X, V>) single += x * x;
      else batch = xsimd::fma(x, x, batch);
    }
    V result(std::size_t) const {
      using std::sqrt;
      if constexpr (std::is_same_v<B, V>) return sqrt(batch + single);
      else return sqrt(detail::lanes_sum(batch) + single);
    }
    template <class X> X partial(const X& b, const V& y, std::size_t) const {
      if (y == V(0)) return X(V(0));
      return b / X(y);
    }
  };
};

}  // namespace reductions

namespace detail {
template <class R, class E> constexpr auto make_reduction(const E& body) {
  static_assert(expression<E> && array_valued<E>::value,
                "tg: reductions (sum, prod, mean, dot, log_sum_exp, norm2) take an array expression");
  static_assert(!(R::real_only && is_complex_v<scalar_of_t<E>>),
                "tg: log_sum_exp and norm2 are defined for real scalar types only");
  return reduce<R, E>(body);
}
}  // namespace detail

/// Sum of the elements of an array expression.
template <expression E> constexpr auto sum(const E& e) { return detail::make_reduction<reductions::sum>(e); }
/// Product of the elements of an array expression.
template <expression E> constexpr auto prod(const E& e) { return detail::make_reduction<reductions::prod>(e); }
/// Mean of the elements of an array expression.
template <expression E> constexpr auto mean(const E& e) { return detail::make_reduction<reductions::mean>(e); }
/// log(sum(exp(e))), stable.
template <expression E> constexpr auto log_sum_exp(const E& e) { return detail::make_reduction<reductions::log_sum_exp>(e); }
/// Euclidean norm.
template <expression E> constexpr auto norm2(const E& e) { return detail::make_reduction<reductions::norm2>(e); }
/// Inner product sum(a * b) (no conjugation, like torch.dot).
template <expression A, expression B> constexpr auto dot(const A& a, const B& b) { return sum(a * b); }

template <std::size_t I, class T>
template <class Index>
constexpr auto array_placeholder<I, T>::operator[](Index i) const {
  if constexpr (requires { Index::value; })
    return element_c<array_placeholder, Index::value>{};
  else {
    static_assert(std::is_integral_v<Index>, "tg: an array placeholder is indexed with an integer");
    return element<array_placeholder>{static_cast<std::size_t>(i)};
  }
}

}  // namespace typegrad
