// expect: f must be a generic callable taking one auto parameter per argument
#include <typegrad/static.hpp>
int main() { return static_cast<int>(typegrad::grad([](auto x, auto y) { return x * y; }, 1.0)[0]); }
