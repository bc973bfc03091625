// expect: is defined for real scalar types only
#include <complex>
#include <typegrad/static.hpp>
int main() {
  auto g = typegrad::grad([](auto z) { return real(erf(z)); }, std::complex<double>(1, 2));
  return static_cast<int>(g[0].real());
}
