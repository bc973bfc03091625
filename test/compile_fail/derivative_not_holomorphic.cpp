// expect: f is not holomorphic
#include <complex>
#include <typegrad/static.hpp>
int main() {
  auto d = typegrad::derivative<0>([](auto z) { return z * conj(z); })(std::complex<double>(1, 2));
  return static_cast<int>(d.real());
}
