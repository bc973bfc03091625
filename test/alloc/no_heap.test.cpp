// grad, value_and_grad, hessian, jvp (and friends) allocate nothing: a counting global
// operator new (this executable only) around the calls.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <new>

#include <typegrad/static.hpp>

namespace tg = typegrad;

namespace {
std::size_t allocations = 0;
}  // namespace

void* operator new(std::size_t n) {
  ++allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  ++allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
// The nothrow forms too, so that every pointer our operator delete frees came from malloc
// (AddressSanitizer reports a mismatch otherwise).
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  ++allocations;
  return std::malloc(n ? n : 1);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  ++allocations;
  return std::malloc(n ? n : 1);
}
// The replaced new above allocates with malloc, so free is the matching release; g++ cannot
// see that the two replacements belong together.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

TEST_CASE("the scalar entry points never touch the heap") {
  const auto f = [](auto x, auto y, auto z) { return sin(x) * y + exp(x * y) / (1.0 + z * z) + tg::where(x > z, x, z); };
  const auto F = [](auto x, auto y, auto z) { return std::tuple{x * y, sin(z) + y, x / z}; };
  volatile double vx = 0.3, vy = -1.2, vz = 2.5;
  const double x = vx, y = vy, z = vz;
  double sink = 0;
  const std::size_t before = allocations;
  sink += tg::eval(f, x, y, z);
  sink += tg::grad(f, x, y, z)[0];
  sink += tg::value_and_grad(f, x, y, z).second[1];
  sink += tg::hessian(f, x, y, z)[1][2];
  sink += tg::jvp(f, std::array{x, y, z}, std::array{1.0, 0.5, 0.0}).second;
  sink += tg::hvp(f, std::array{x, y, z}, std::array{1.0, 0.5, 0.0})[2];
  sink += tg::jacobian(F, x, y, z)[2][2];
  sink += tg::vjp(F, std::array{x, y, z}, std::array{1.0, 1.0, 1.0})[0];
  sink += tg::derivative<1>(tg::derivative<0>(f))(x, y, z);
  sink += tg::grad(f, xsimd::batch<double>(x), xsimd::batch<double>(y), xsimd::batch<double>(z))[0].get(0);
  const std::size_t after = allocations;
  CHECK(after == before);
  CHECK(sink == sink);  // keeps the results alive; NaN would fail
  // the counter works: a vector allocates
  const std::size_t b2 = allocations;
  std::vector<double> v(10);
  CHECK(allocations == b2 + 1);
}
