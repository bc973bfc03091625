// expect: all arguments of one call must share one scalar type
#include <typegrad/static.hpp>
int main() { return static_cast<int>(typegrad::grad([](auto x, auto y) { return x * y; }, 1.0, 2.0f)[0]); }
