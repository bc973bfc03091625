// expect: integers cannot be differentiated
#include <typegrad/static.hpp>
int main() { return static_cast<int>(typegrad::grad([](auto x) { return x * x; }, 3)[0]); }
