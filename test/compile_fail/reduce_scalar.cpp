// expect: reductions \(sum, prod, mean, dot, log_sum_exp, norm2\) take an array expression
#include <typegrad/static.hpp>
int main() { return static_cast<int>(typegrad::grad([](auto x) { return typegrad::sum(x * x); }, 1.0)[0]); }
