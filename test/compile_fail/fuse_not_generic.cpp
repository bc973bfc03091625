// expect: f must be a generic callable taking one auto parameter per argument
#include <typegrad/typegrad.hpp>
int main() {
  const auto x = typegrad::tensor({1.0, 2.0});
  return typegrad::fuse([](double v) { return v * 2.0; }, x).defined() ? 0 : 1;
}
