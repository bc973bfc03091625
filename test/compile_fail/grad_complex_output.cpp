// expect: f must return a real-valued expression
#include <complex>
#include <typegrad/static.hpp>
int main() {
  auto g = typegrad::grad([](auto z) { return z * z; }, std::complex<double>(1, 2));
  return static_cast<int>(g[0].real());
}
