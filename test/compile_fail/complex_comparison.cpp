// expect: complex numbers cannot be compared
#include <complex>
#include <typegrad/static.hpp>
int main() {
  auto g = typegrad::grad([](auto z) { return abs(typegrad::where(z > 1.0, z, z)); }, std::complex<double>(1, 2));
  return static_cast<int>(g[0].real());
}
