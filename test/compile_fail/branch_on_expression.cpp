// expect: a comparison of traced expressions has no value yet; use tg::where
#include <typegrad/static.hpp>
int main() {
  return static_cast<int>(typegrad::grad([](auto x) { if (x > 0.0) return x; return x; }, 1.0)[0]);
}
