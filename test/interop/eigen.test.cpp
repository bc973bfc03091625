// tg::dual as an Eigen scalar (<typegrad/interop/eigen.hpp>): products, decompositions and
// reductions of dual matrices give the derivatives the analytic formulas give.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <sstream>
#include <type_traits>

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/LU>

#include <typegrad/interop/eigen.hpp>
#include <typegrad/static.hpp>

namespace tg = typegrad;

namespace {

template <class S> using MatX = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
template <class S> using VecX = Eigen::Matrix<S, Eigen::Dynamic, 1>;

/// Values, or tangent k, of a dual matrix, as doubles.
template <class Derived> Eigen::MatrixXd values_of(const Eigen::MatrixBase<Derived>& m) {
  return m.unaryExpr([](const auto& d) { return static_cast<double>(d.value()); });
}
template <class Derived> Eigen::MatrixXd tangents_of(const Eigen::MatrixBase<Derived>& m, int k) {
  return m.unaryExpr([k](const auto& d) { return static_cast<double>(d.tangent(k)); });
}

/// max |actual - expected| <= tol * (1 + max |expected|), with both printed on failure.
void check_close(const Eigen::MatrixXd& actual, const Eigen::MatrixXd& expected, double tol) {
  REQUIRE(actual.rows() == expected.rows());
  REQUIRE(actual.cols() == expected.cols());
  const double error = (actual - expected).cwiseAbs().maxCoeff();
  INFO("actual:\n" << actual << "\nexpected:\n" << expected << "\nmax error " << error);
  CHECK(error <= tol * (1.0 + expected.cwiseAbs().maxCoeff()));
}

/// Deterministic "random" entries, so that failures reproduce.
Eigen::MatrixXd filled(int rows, int cols, double seed) {
  Eigen::MatrixXd m(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) m(i, j) = std::sin(seed + 1.3 * i + 0.7 * j * j + 0.1 * i * j);
  return m;
}

}  // namespace

TEST_CASE("Eigen traits of a dual") {
  using D = tg::dual<double, 3>;
  using NT = Eigen::NumTraits<D>;
  STATIC_REQUIRE(std::is_same_v<NT::Real, D>);
  STATIC_REQUIRE(std::is_same_v<NT::NonInteger, D>);
  STATIC_REQUIRE(std::is_same_v<NT::Literal, D>);
  STATIC_REQUIRE(NT::IsComplex == 0);
  STATIC_REQUIRE(NT::IsInteger == 0);
  STATIC_REQUIRE(NT::IsSigned == 1);
  STATIC_REQUIRE(NT::RequireInitialization == 1);
  STATIC_REQUIRE(NT::AddCost == 4);
  STATIC_REQUIRE(int(NT::MulCost) > int(Eigen::NumTraits<tg::dual<double, 1>>::MulCost));
  STATIC_REQUIRE(std::is_same_v<Eigen::ScalarBinaryOpTraits<D, double>::ReturnType, D>);
  STATIC_REQUIRE(std::is_same_v<Eigen::ScalarBinaryOpTraits<double, D>::ReturnType, D>);
  using D2 = tg::dual<tg::dual<double, 1>, 2>;
  STATIC_REQUIRE(std::is_same_v<Eigen::ScalarBinaryOpTraits<D2, tg::dual<double, 1>>::ReturnType, D2>);
  STATIC_REQUIRE(std::is_same_v<Eigen::ScalarBinaryOpTraits<double, D2>::ReturnType, D2>);

  CHECK(NT::epsilon().value() == std::numeric_limits<double>::epsilon());
  CHECK(NT::dummy_precision().value() == Eigen::NumTraits<double>::dummy_precision());
  CHECK(NT::highest().value() == std::numeric_limits<double>::max());
  CHECK(NT::lowest().value() == -std::numeric_limits<double>::max());
  CHECK(NT::digits10() == std::numeric_limits<double>::digits10);
  CHECK(Eigen::NumTraits<tg::dual<float, 2>>::epsilon().value() == std::numeric_limits<float>::epsilon());
  CHECK(Eigen::NumTraits<D2>::epsilon().value().value() == std::numeric_limits<double>::epsilon());
  CHECK(NT::epsilon().tangents() == std::array{0.0, 0.0, 0.0});

  STATIC_REQUIRE(std::numeric_limits<D>::is_specialized);
  STATIC_REQUIRE(std::numeric_limits<D>::digits == std::numeric_limits<double>::digits);
  CHECK((std::numeric_limits<D>::min)().value() == (std::numeric_limits<double>::min)());
  CHECK(std::numeric_limits<D>::infinity().value() == std::numeric_limits<double>::infinity());
  CHECK(std::isnan(std::numeric_limits<D>::quiet_NaN().value()));
  static_assert(std::numeric_limits<tg::dual<long double, 1>>::epsilon().value() ==
                    std::numeric_limits<long double>::epsilon(),
                "plain-array duals keep constexpr limits");
}

TEST_CASE("the scalar functions Eigen calls on a dual") {
  using D = tg::dual<double, 2>;
  const D x(-4.0, std::array{1.0, 0.5});
  const D y(9.0, std::array{0.0, 2.0});

  const D a = Eigen::numext::abs(x);
  CHECK(a.value() == 4.0);
  CHECK(a.tangents() == std::array{-1.0, -0.5});
  const D r = Eigen::numext::sqrt(y);
  CHECK(r.value() == 3.0);
  CHECK(r.tangent(1) == Approx(2.0 / 6.0));
  const D sq = Eigen::numext::abs2(x);
  CHECK(sq.value() == 16.0);
  CHECK(sq.tangents() == std::array{-8.0, -4.0});
  CHECK(Eigen::numext::conj(x).tangents() == x.tangents());
  CHECK(Eigen::numext::real(x).tangents() == x.tangents());
  CHECK(Eigen::numext::imag(x).value() == 0.0);
  CHECK(Eigen::numext::imag(x).tangents() == std::array{0.0, 0.0});
  CHECK(Eigen::numext::maxi(x, y).value() == 9.0);
  CHECK(Eigen::numext::maxi(x, y).tangents() == y.tangents());
  CHECK(Eigen::numext::mini(x, y).tangents() == x.tangents());
  CHECK(Eigen::numext::equal_strict(x, D(-4.0)));

  // Like Ceres' Jet: finite only if the value and every tangent are.
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(Eigen::numext::isfinite(x));
  CHECK_FALSE(Eigen::numext::isinf(x));
  CHECK_FALSE(Eigen::numext::isnan(x));
  const D infinite_slope(1.0, std::array{inf, 0.0});
  CHECK_FALSE(Eigen::numext::isfinite(infinite_slope));
  CHECK(Eigen::numext::isinf(infinite_slope));
  CHECK_FALSE(Eigen::numext::isnan(infinite_slope));
  const D nan_slope(1.0, std::array{0.0, nan});
  CHECK(Eigen::numext::isnan(nan_slope));
  CHECK_FALSE(isfinite(nan_slope));
  CHECK(isnan(tg::dual<tg::dual<double, 1>, 1>(tg::dual<double, 1>(1.0, std::array{nan}))));

  Eigen::Matrix<D, 2, 2> m;
  m << x, y, D(1.0), D(-2.0);
  CHECK(m.cwiseAbs().maxCoeff().value() == 9.0);
  CHECK(m.isApprox(m));
  CHECK_FALSE(m.isApprox(Eigen::Matrix<D, 2, 2>(m * D(1.5))));
  std::ostringstream os;
  os << m;
  CHECK(os.str().find("(-4; 1, 0.5)") != std::string::npos);
}

TEST_CASE("4x4 matrix-vector product of duals is the analytic Jacobian") {
  // y(x) = A(x) x with A(x) = M + x x^T: y = M x + x (x.x), dy/dx = M + (x.x) I + 2 x x^T.
  using D = tg::dual<double, 4>;
  const Eigen::Matrix4d M = filled(4, 4, 0.4);
  const Eigen::Vector4d x0(0.3, -1.2, 0.8, 2.0);
  Eigen::Matrix<D, 4, 1> x;
  for (int i = 0; i < 4; ++i) x(i) = D(x0(i), i);
  Eigen::Matrix<D, 4, 4> A;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) A(i, j) = M(i, j) + x(i) * x(j);

  const Eigen::Matrix<D, 4, 1> y = A * x;
  const Eigen::Matrix4d J = M + x0.squaredNorm() * Eigen::Matrix4d::Identity() + 2.0 * x0 * x0.transpose();
  check_close(values_of(y), M * x0 + x0 * x0.squaredNorm(), 1e-14);
  Eigen::Matrix4d jacobian;
  for (int k = 0; k < 4; ++k) jacobian.col(k) = tangents_of(y, k);
  check_close(jacobian, J, 1e-14);

  // The same through dynamic-size storage.
  const VecX<D> y_dynamic = MatX<D>(A) * VecX<D>(x);
  for (int k = 0; k < 4; ++k) check_close(tangents_of(y_dynamic, k), J.col(k), 1e-14);
}

namespace {

// A(p) = A0 + p0 E0 + p1 E1 and b(p) = b0 + p0 d + p2 c, written once for doubles and duals
// (the double matrices mix with the dual parameters).
struct linear_system {
  Eigen::MatrixXd A0, E0, E1;
  Eigen::VectorXd b0, c, d;

  template <class S> MatX<S> A(const std::array<S, 3>& p) const { return A0 + p[0] * E0 + E1 * p[1]; }
  template <class S> VecX<S> b(const std::array<S, 3>& p) const { return b0 + p[0] * d + c * p[2]; }

  const Eigen::MatrixXd& dA(int k) const {
    static const Eigen::MatrixXd zero;
    return k == 0 ? E0 : k == 1 ? E1 : zero;
  }
  Eigen::VectorXd db(int k) const { return k == 0 ? d : k == 2 ? c : Eigen::VectorXd::Zero(b0.size()); }

  /// d(A^-1 b)/dp_k = -A^-1 dA_k A^-1 b + A^-1 db_k.
  Eigen::VectorXd analytic(const std::array<double, 3>& p, int k) const {
    const auto lu = A(p).fullPivLu();
    const Eigen::VectorXd x = lu.solve(b(p));
    Eigen::VectorXd rhs = db(k);
    if (k < 2) rhs -= dA(k) * x;
    return lu.solve(rhs);
  }
  Eigen::VectorXd central_difference(std::array<double, 3> p, int k) const {
    const double h = 1e-6;
    const double pk = p[static_cast<std::size_t>(k)];
    p[static_cast<std::size_t>(k)] = pk + h;
    const Eigen::VectorXd up = A(p).fullPivLu().solve(b(p));
    p[static_cast<std::size_t>(k)] = pk - h;
    const Eigen::VectorXd down = A(p).fullPivLu().solve(b(p));
    return (up - down) / (2 * h);
  }
};

linear_system general_system(int n) {
  linear_system s;
  s.A0 = filled(n, n, 1.0) + n * Eigen::MatrixXd::Identity(n, n);
  s.E0 = filled(n, n, 2.0);
  s.E1 = filled(n, n, 3.0);
  s.b0 = filled(n, 1, 4.0);
  s.c = filled(n, 1, 5.0);
  s.d = filled(n, 1, 6.0);
  return s;
}

linear_system symmetric_positive_system(int n) {
  linear_system s = general_system(n);
  s.A0 = s.A0 * s.A0.transpose() + Eigen::MatrixXd::Identity(n, n);
  s.E0 = s.E0 + s.E0.transpose().eval();
  s.E1 = s.E1 + s.E1.transpose().eval();
  return s;
}

template <class Solve> void check_solve_derivatives(const linear_system& s, Solve solve, bool check_differences) {
  using D = tg::dual<double, 3>;
  const std::array<double, 3> p0{0.05, -0.03, 0.7};
  const std::array<D, 3> p{D(p0[0], 0), D(p0[1], 1), D(p0[2], 2)};
  const VecX<D> x = solve(s.A(p), s.b(p));
  check_close(values_of(x), s.A(p0).fullPivLu().solve(s.b(p0)), 1e-12);
  for (int k = 0; k < 3; ++k) {
    INFO("direction " << k);
    check_close(tangents_of(x, k), s.analytic(p0, k), 1e-12);
    if (check_differences) check_close(tangents_of(x, k), s.central_difference(p0, k), 1e-7);
  }
}

}  // namespace

TEST_CASE("A.lu().solve(b) differentiates as -A^-1 dA A^-1 b + A^-1 db") {
  const auto lu_solve = [](const auto& A, const auto& b) { return A.lu().solve(b).eval(); };
  SECTION("4x4, also against central differences") { check_solve_derivatives(general_system(4), lu_solve, true); }
  SECTION("40x40: blocked LU, triangular solves and products of dual blocks") {
    check_solve_derivatives(general_system(40), lu_solve, false);
  }
}

TEST_CASE("A.ldlt().solve(b) differentiates as -A^-1 dA A^-1 b + A^-1 db") {
  const auto ldlt_solve = [](const auto& A, const auto& b) {
    const auto ldlt = A.ldlt();
    REQUIRE(ldlt.info() == Eigen::Success);
    REQUIRE(ldlt.isPositive());
    return ldlt.solve(b).eval();
  };
  SECTION("4x4, also against central differences") {
    check_solve_derivatives(symmetric_positive_system(4), ldlt_solve, true);
  }
  SECTION("20x20") { check_solve_derivatives(symmetric_positive_system(20), ldlt_solve, false); }
}

TEST_CASE("norm, squaredNorm, dot and sum of dual vectors") {
  // v(p) = a + B p, w(p) = c + C p: dv/dp_k = B_k, dw/dp_k = C_k.
  using D = tg::dual<double, 3>;
  const Eigen::VectorXd a = filled(5, 1, 0.5), c = filled(5, 1, 1.5);
  const Eigen::MatrixXd B = filled(5, 3, 2.5), C = filled(5, 3, 3.5);
  const Eigen::Vector3d p0(0.2, -0.4, 0.9);
  Eigen::Matrix<D, 3, 1> p;
  for (int k = 0; k < 3; ++k) p(k) = D(p0(k), k);
  const VecX<D> v = a + B * p;  // double matrix times dual vector, double vector plus dual vector
  const VecX<D> w = c + C * p;
  const Eigen::VectorXd v0 = a + B * p0, w0 = c + C * p0;

  const D squared = v.squaredNorm(), norm = v.norm(), dot = v.dot(w), sum = v.sum();
  CHECK(squared.value() == Approx(v0.squaredNorm()));
  CHECK(norm.value() == Approx(v0.norm()));
  CHECK(dot.value() == Approx(v0.dot(w0)));
  CHECK(sum.value() == Approx(v0.sum()));
  for (int k = 0; k < 3; ++k) {
    INFO("direction " << k);
    CHECK(squared.tangent(k) == Approx(2 * v0.dot(B.col(k))).epsilon(1e-13));
    CHECK(norm.tangent(k) == Approx(v0.dot(B.col(k)) / v0.norm()).epsilon(1e-13));
    CHECK(dot.tangent(k) == Approx(B.col(k).dot(w0) + v0.dot(C.col(k))).epsilon(1e-13));
    CHECK(sum.tangent(k) == Approx(B.col(k).sum()).epsilon(1e-13));
  }
  // stableNorm reads std::numeric_limits<RealScalar> and scales by it.
  const D stable = v.stableNorm();
  CHECK(stable.value() == Approx(v0.norm()));
  for (int k = 0; k < 3; ++k) CHECK(stable.tangent(k) == Approx(v0.dot(B.col(k)) / v0.norm()).epsilon(1e-13));
}

TEST_CASE("dual matrices mix with double matrices on either side") {
  using D = tg::dual<double, 3>;
  const Eigen::Matrix3d M = filled(3, 3, 7.0);
  const std::array<Eigen::Matrix3d, 3> dP{filled(3, 3, 8.0), filled(3, 3, 9.0), filled(3, 3, 10.0)};
  const Eigen::Matrix3d P0 = filled(3, 3, 11.0);
  Eigen::Matrix<D, 3, 3> P;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) P(i, j) = D(P0(i, j), std::array{dP[0](i, j), dP[1](i, j), dP[2](i, j)});

  const Eigen::Matrix<D, 3, 3> PM = P * M, MP = M * P, sum = P + M, difference = M - P;
  const Eigen::Matrix<D, 3, 3> scaled = 2.5 * P / 2.0, cwise = P.cwiseProduct(M);
  const Eigen::Matrix<D, 3, 1> Pv = P * Eigen::Vector3d(1.0, -2.0, 0.5);
  check_close(values_of(PM), P0 * M, 1e-14);
  check_close(values_of(MP), M * P0, 1e-14);
  check_close(values_of(difference), M - P0, 1e-14);
  for (int k = 0; k < 3; ++k) {
    INFO("direction " << k);
    const auto& dPk = dP[static_cast<std::size_t>(k)];
    check_close(tangents_of(PM, k), dPk * M, 1e-14);
    check_close(tangents_of(MP, k), M * dPk, 1e-14);
    check_close(tangents_of(sum, k), dPk, 0.0);
    check_close(tangents_of(difference, k), -dPk, 0.0);
    check_close(tangents_of(scaled, k), 1.25 * dPk, 1e-15);
    check_close(tangents_of(cwise, k), dPk.cwiseProduct(M), 1e-15);
    check_close(tangents_of(Pv, k), dPk * Eigen::Vector3d(1.0, -2.0, 0.5), 1e-14);
  }
}

TEST_CASE("large mixed products take Eigen's blocked kernels") {
  // 24x24 and up: Eigen's GEMM / GEMV kernels (packing, blocking), not its coefficient loop.
  using D = tg::dual<double, 3>;
  const int n = 24;
  const Eigen::MatrixXd M = filled(n, n, 12.0), P0 = filled(n, n, 13.0);
  const std::array<Eigen::MatrixXd, 3> dP{filled(n, n, 14.0), filled(n, n, 15.0), filled(n, n, 16.0)};
  MatX<D> P(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) P(i, j) = D(P0(i, j), std::array{dP[0](i, j), dP[1](i, j), dP[2](i, j)});
  const Eigen::VectorXd u = filled(n, 1, 17.0);

  const MatX<D> PM = P * M, MP = M * P, PP = P * P;
  const VecX<D> Pu = P * u, uP = (u.transpose() * P).transpose(), MPu = M * (P * u);
  check_close(values_of(PM), P0 * M, 1e-13);
  check_close(values_of(PP), P0 * P0, 1e-13);
  for (int k = 0; k < 3; ++k) {
    INFO("direction " << k);
    const auto& dPk = dP[static_cast<std::size_t>(k)];
    check_close(tangents_of(PM, k), dPk * M, 1e-13);
    check_close(tangents_of(MP, k), M * dPk, 1e-13);
    check_close(tangents_of(PP, k), dPk * P0 + P0 * dPk, 1e-13);
    check_close(tangents_of(Pu, k), dPk * u, 1e-13);
    check_close(tangents_of(uP, k), dPk.transpose() * u, 1e-13);
    check_close(tangents_of(MPu, k), M * dPk * u, 1e-13);
  }
}

TEST_CASE("dual<float> in Eigen") {
  using F = tg::dual<float, 2>;
  Eigen::Matrix3f A0;
  A0 << 4, 1, -1, 2, 5, 1, 0.5f, -1, 3;
  const Eigen::Matrix3f E = filled(3, 3, 18.0).cast<float>();
  const Eigen::Vector3f b0(1, -2, 0.5f);
  const Eigen::Vector3f c(0.25f, 1, -1);
  const F s(0.1f, 0), t(-0.2f, 1);
  const Eigen::Matrix<F, 3, 3> A = A0 + s * E;
  const Eigen::Matrix<F, 3, 1> b = b0 + c * t;
  const Eigen::Matrix<F, 3, 1> x = A.partialPivLu().solve(b);

  // The reference in double: dx/ds = -A^-1 E x, dx/dt = A^-1 c.
  const Eigen::Matrix3d Ad = (A0 + 0.1f * E).cast<double>();
  const Eigen::Vector3d xd = Ad.lu().solve((b0 + c * -0.2f).cast<double>());
  check_close(values_of(x), xd, 1e-5);
  check_close(tangents_of(x, 0), Ad.lu().solve(-E.cast<double>() * xd), 1e-5);
  check_close(tangents_of(x, 1), Ad.lu().solve(c.cast<double>()), 1e-5);

  const F norm = x.norm();
  const double nd = xd.norm();
  CHECK(norm.value() == Approx(nd).epsilon(1e-5));
  CHECK(norm.tangent(1) == Approx(xd.dot(Ad.lu().solve(c.cast<double>())) / nd).epsilon(1e-4));
}

TEST_CASE("nested duals in Eigen: second derivative of x^T A x") {
  // f(t) = x(t)^T A x(t), x(t) = x0 + t v: f' = x^T (A + A^T) v, f'' = v^T (A + A^T) v.
  using D1 = tg::dual<double, 1>;
  using D2 = tg::dual<D1, 1>;
  const Eigen::Matrix4d A = filled(4, 4, 19.0);
  const Eigen::Vector4d x0(0.5, -1.0, 2.0, 0.25), v(1.0, 0.5, -0.5, 2.0);
  const double t0 = 0.3;
  const D2 t(D1(t0, 0), std::array{D1(1.0)});
  const Eigen::Matrix<D2, 4, 1> x = x0 + t * v;  // D2 mixes with the plain double underneath

  const Eigen::Vector4d xt = x0 + t0 * v;
  const Eigen::Matrix4d S = A + A.transpose();
  const double f0 = xt.dot(A * xt), f1 = xt.dot(S * v), f2 = v.dot(S * v);

  const auto check_derivatives = [&](const D2& f) {
    CHECK(f.value().value() == Approx(f0).epsilon(1e-14));
    CHECK(f.value().tangent(0) == Approx(f1).epsilon(1e-14));
    CHECK(f.tangent(0).value() == Approx(f1).epsilon(1e-14));
    CHECK(f.tangent(0).tangent(0) == Approx(f2).epsilon(1e-14));
  };
  check_derivatives((x.transpose() * A * x)(0, 0));
  check_derivatives(x.dot(A * x));

  // ... and with its value type D1 (A as constant inner duals), on either side.
  const Eigen::Matrix<D1, 4, 4> A1 = A.cast<D1>();
  check_derivatives((x.transpose() * A1 * x)(0, 0));
  const Eigen::Matrix<D2, 4, 1> Ax = A1 * x;
  check_derivatives(Ax.dot(x));
  const D2 scaled = (D1(2.0) * x.dot(A * x) - x.dot(A * x)) / D1(1.0);
  check_derivatives(scaled);
}
