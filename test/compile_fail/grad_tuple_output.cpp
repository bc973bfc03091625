// expect: f must return one scalar expression
#include <tuple>
#include <typegrad/static.hpp>
int main() {
  auto g = typegrad::grad([](auto x, auto y) { return std::tuple{x * y, x + y}; }, 1.0, 2.0);
  return static_cast<int>(g[0]);
}
