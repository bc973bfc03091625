// expect: symbolic derivatives of array expressions
#include <vector>
#include <typegrad/static.hpp>
int main() {
  std::vector<double> v{1.0, 2.0};
  return static_cast<int>(typegrad::derivative<0>([](auto x) { return typegrad::sum(x); })(v));
}
