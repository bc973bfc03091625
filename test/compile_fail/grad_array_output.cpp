// expect: f must return a scalar, not an array expression
#include <vector>
#include <typegrad/static.hpp>
int main() {
  auto g = typegrad::grad([](auto x) { return x * 2.0; }, std::vector<double>{1.0, 2.0});
  return static_cast<int>(std::get<0>(g)[0]);
}
