// expect: f must be a generic callable taking one auto parameter per argument
#include <typegrad/static.hpp>
int main() { return static_cast<int>(typegrad::grad([](double x) { return x * x; }, 1.0)[0]); }
