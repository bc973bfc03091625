// expect: tg::fuse: f must return one expression \(one output tensor\)
#include <tuple>

#include <typegrad/typegrad.hpp>
int main() {
  const auto x = typegrad::tensor({1.0, 2.0});
  return typegrad::fuse([](auto v) { return std::tuple{v * 2.0, v}; }, x).defined() ? 0 : 1;
}
