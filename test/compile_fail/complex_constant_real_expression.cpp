// expect: a complex constant cannot enter a real expression
#include <complex>
#include <typegrad/static.hpp>
int main() {
  const std::complex<double> c(1, 2);
  return static_cast<int>(typegrad::eval([c](auto x) { return real(c * x); }, 1.0));
}
