// expect: tg::hessian: complex arguments are not supported
#include <complex>
#include <typegrad/static.hpp>
int main() {
  auto h = typegrad::hessian([](auto z) { return norm(z); }, std::complex<double>(1, 2));
  return static_cast<int>(h[0][0].real());
}
