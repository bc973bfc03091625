// Values against PyTorch 1.13: for every case of make_torch_reference.py (-> torch_reference.inc)
// the same function on the same inputs gives torch's value, its first derivative (the gradient
// of the real loss (y * w).sum(), or Re((y * conj(w)).sum()) for complex y, with
// create_graph), its second derivative along fixed directions v (double backward of
// sum_i Re(sum(g_i * conj(v_i)))) and torch's grad_fn name. The other tests of this area check
// gradients for self-consistency (gradcheck); these check them against torch's numbers.
//
// kCases below maps each case name to the same function in C++, in the order of the table;
// a name missing on either side fails the first test case.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <typegrad/dynamic.hpp>

#include "functions/torch_reference.hpp"

namespace tg = typegrad;

namespace {

using namespace functions_reference;
[[maybe_unused]] const double tg_inf = std::numeric_limits<double>::infinity();

using case_fn = tg::Tensor (*)(const tg::tensor_list&);
using tg::Reduction;

std::complex<double> cnum(double re, double im) { return {re, im}; }

// The same functions as make_torch_reference.py's CASES, in the same order. Cases left out
// there (typegrad disagrees with torch; the reason is a comment at the top of the .inc) are
// left out here too.
const std::vector<std::pair<const char*, case_fn>> kCases{
    // ---- arithmetic ----
    {"add", [](const tg::tensor_list& x) { return x[0] + x[1]; }},
    {"add_broadcast", [](const tg::tensor_list& x) { return x[0] + x[1]; }},
    {"add_alpha", [](const tg::tensor_list& x) { return tg::add(x[0], x[1], 2.5); }},
    {"sub", [](const tg::tensor_list& x) { return x[0] - x[1]; }},
    {"sub_alpha", [](const tg::tensor_list& x) { return tg::sub(x[0], x[1], -1.5); }},
    {"mul", [](const tg::tensor_list& x) { return x[0] * x[1]; }},
    {"mul_broadcast", [](const tg::tensor_list& x) { return x[0] * x[1]; }},
    {"mul_self", [](const tg::tensor_list& x) { return x[0] * x[0]; }},
    {"div", [](const tg::tensor_list& x) { return x[0] / x[1]; }},
    {"div_broadcast", [](const tg::tensor_list& x) { return x[0] / x[1]; }},
    {"neg", [](const tg::tensor_list& x) { return -x[0]; }},
    {"reciprocal", [](const tg::tensor_list& x) { return tg::reciprocal(x[0]); }},
    {"tensor_plus_number", [](const tg::tensor_list& x) { return x[0] + 2.0; }},
    {"number_plus_tensor", [](const tg::tensor_list& x) { return 2.0 + x[0]; }},
    {"tensor_minus_number", [](const tg::tensor_list& x) { return x[0] - 2.0; }},
    {"number_minus_tensor", [](const tg::tensor_list& x) { return 1.0 - x[0]; }},
    {"tensor_times_number", [](const tg::tensor_list& x) { return x[0] * 2.0; }},
    {"number_times_tensor", [](const tg::tensor_list& x) { return 2.0 * x[0]; }},
    {"tensor_div_number", [](const tg::tensor_list& x) { return x[0] / 2.0; }},
    {"number_div_tensor", [](const tg::tensor_list& x) { return 1.0 / x[0]; }},
    {"number_div_tensor_3", [](const tg::tensor_list& x) { return 3.0 / x[0]; }},
    {"add_complex", [](const tg::tensor_list& x) { return x[0] + x[1]; }},
    {"sub_complex", [](const tg::tensor_list& x) { return x[0] - x[1]; }},
    {"mul_complex", [](const tg::tensor_list& x) { return x[0] * x[1]; }},
    {"div_complex", [](const tg::tensor_list& x) { return x[0] / x[1]; }},
    {"mul_real_complex", [](const tg::tensor_list& x) { return x[0] * x[1]; }},
    {"complex_times_number", [](const tg::tensor_list& x) { return x[0] * 2.0; }},
    {"complex_times_complex_number", [](const tg::tensor_list& x) { return x[0] * tg::Scalar(cnum(0.5, -1.0)); }},
    {"real_times_complex_number", [](const tg::tensor_list& x) { return x[0] * tg::Scalar(cnum(0.5, -1.0)); }},
    {"number_minus_complex", [](const tg::tensor_list& x) { return 1.0 - x[0]; }},
    {"number_div_complex", [](const tg::tensor_list& x) { return 1.0 / x[0]; }},
    {"reciprocal_complex", [](const tg::tensor_list& x) { return tg::reciprocal(x[0]); }},
    {"neg_complex", [](const tg::tensor_list& x) { return -x[0]; }},
    // ---- elementwise functions (real, then complex where torch 1.13 has a kernel) ----
    {"exp", [](const tg::tensor_list& x) { return tg::exp(x[0]); }},
    {"exp_complex", [](const tg::tensor_list& x) { return tg::exp(x[0]); }},
    {"exp2", [](const tg::tensor_list& x) { return tg::exp2(x[0]); }},
    {"expm1", [](const tg::tensor_list& x) { return tg::expm1(x[0]); }},
    {"log", [](const tg::tensor_list& x) { return tg::log(x[0]); }},
    {"log_complex", [](const tg::tensor_list& x) { return tg::log(x[0]); }},
    {"log2", [](const tg::tensor_list& x) { return tg::log2(x[0]); }},
    {"log2_complex", [](const tg::tensor_list& x) { return tg::log2(x[0]); }},
    {"log10", [](const tg::tensor_list& x) { return tg::log10(x[0]); }},
    {"log10_complex", [](const tg::tensor_list& x) { return tg::log10(x[0]); }},
    {"log1p", [](const tg::tensor_list& x) { return tg::log1p(x[0]); }},
    {"sqrt", [](const tg::tensor_list& x) { return tg::sqrt(x[0]); }},
    {"sqrt_complex", [](const tg::tensor_list& x) { return tg::sqrt(x[0]); }},
    {"rsqrt", [](const tg::tensor_list& x) { return tg::rsqrt(x[0]); }},
    {"rsqrt_complex", [](const tg::tensor_list& x) { return tg::rsqrt(x[0]); }},
    {"sin", [](const tg::tensor_list& x) { return tg::sin(x[0]); }},
    {"sin_complex", [](const tg::tensor_list& x) { return tg::sin(x[0]); }},
    {"cos", [](const tg::tensor_list& x) { return tg::cos(x[0]); }},
    {"cos_complex", [](const tg::tensor_list& x) { return tg::cos(x[0]); }},
    {"tan", [](const tg::tensor_list& x) { return tg::tan(x[0]); }},
    {"tan_complex", [](const tg::tensor_list& x) { return tg::tan(x[0]); }},
    {"asin", [](const tg::tensor_list& x) { return tg::asin(x[0]); }},
    {"asin_complex", [](const tg::tensor_list& x) { return tg::asin(x[0]); }},
    {"acos", [](const tg::tensor_list& x) { return tg::acos(x[0]); }},
    {"acos_complex", [](const tg::tensor_list& x) { return tg::acos(x[0]); }},
    {"atan", [](const tg::tensor_list& x) { return tg::atan(x[0]); }},
    {"atan_complex", [](const tg::tensor_list& x) { return tg::atan(x[0]); }},
    {"sinh", [](const tg::tensor_list& x) { return tg::sinh(x[0]); }},
    {"sinh_complex", [](const tg::tensor_list& x) { return tg::sinh(x[0]); }},
    {"cosh", [](const tg::tensor_list& x) { return tg::cosh(x[0]); }},
    {"cosh_complex", [](const tg::tensor_list& x) { return tg::cosh(x[0]); }},
    {"tanh", [](const tg::tensor_list& x) { return tg::tanh(x[0]); }},
    {"tanh_complex", [](const tg::tensor_list& x) { return tg::tanh(x[0]); }},
    {"asinh", [](const tg::tensor_list& x) { return tg::asinh(x[0]); }},
    {"asinh_complex", [](const tg::tensor_list& x) { return tg::asinh(x[0]); }},
    {"acosh", [](const tg::tensor_list& x) { return tg::acosh(x[0]); }},
    {"acosh_complex", [](const tg::tensor_list& x) { return tg::acosh(x[0]); }},
    {"atanh", [](const tg::tensor_list& x) { return tg::atanh(x[0]); }},
    {"atanh_complex", [](const tg::tensor_list& x) { return tg::atanh(x[0]); }},
    {"erf", [](const tg::tensor_list& x) { return tg::erf(x[0]); }},
    {"erfc", [](const tg::tensor_list& x) { return tg::erfc(x[0]); }},
    {"sigmoid", [](const tg::tensor_list& x) { return tg::sigmoid(x[0]); }},
    {"sigmoid_complex", [](const tg::tensor_list& x) { return tg::sigmoid(x[0]); }},
    {"softplus", [](const tg::tensor_list& x) { return tg::softplus(x[0]); }},
    {"square", [](const tg::tensor_list& x) { return tg::square(x[0]); }},
    {"square_complex", [](const tg::tensor_list& x) { return tg::square(x[0]); }},
    {"abs", [](const tg::tensor_list& x) { return tg::abs(x[0]); }},
    {"abs_complex", [](const tg::tensor_list& x) { return tg::abs(x[0]); }},
    {"sgn", [](const tg::tensor_list& x) { return tg::sgn(x[0]); }},
    {"sgn_complex", [](const tg::tensor_list& x) { return tg::sgn(x[0]); }},
    {"sign", [](const tg::tensor_list& x) { return tg::sign(x[0]); }},
    {"lgamma_large", [](const tg::tensor_list& x) { return tg::lgamma(x[0]); }},
    {"digamma_large", [](const tg::tensor_list& x) { return tg::digamma(x[0]); }},
    {"polygamma_1_large", [](const tg::tensor_list& x) { return tg::polygamma(1, x[0]); }},
    {"pow_number_2_5", [](const tg::tensor_list& x) { return tg::pow(x[0], 2.5); }},
    {"pow_number_3", [](const tg::tensor_list& x) { return tg::pow(x[0], 3.0); }},
    {"pow_number_neg_1_5", [](const tg::tensor_list& x) { return tg::pow(x[0], -1.5); }},
    {"pow_number_0", [](const tg::tensor_list& x) { return tg::pow(x[0], 0.0); }},
    {"pow_number_2_complex", [](const tg::tensor_list& x) { return tg::pow(x[0], 2.0); }},
    {"pow_number_complex_exponent", [](const tg::tensor_list& x) { return tg::pow(x[0], tg::Scalar(cnum(1.5, -0.5))); }},
    {"pow_base_2", [](const tg::tensor_list& x) { return tg::pow(2.0, x[0]); }},
    {"pow_base_0_5", [](const tg::tensor_list& x) { return tg::pow(0.5, x[0]); }},
    {"pow_base_0", [](const tg::tensor_list& x) { return tg::pow(0.0, x[0]); }},
    {"pow_base_2_complex", [](const tg::tensor_list& x) { return tg::pow(2.0, x[0]); }},
    {"pow_tensor", [](const tg::tensor_list& x) { return tg::pow(x[0], x[1]); }},
    {"pow_tensor_broadcast", [](const tg::tensor_list& x) { return tg::pow(x[0], x[1]); }},
    {"pow_tensor_complex", [](const tg::tensor_list& x) { return tg::pow(x[0], x[1]); }},
    {"atan2", [](const tg::tensor_list& x) { return tg::atan2(x[0], x[1]); }},
    {"hypot", [](const tg::tensor_list& x) { return tg::hypot(x[0], x[1]); }},
    {"maximum", [](const tg::tensor_list& x) { return tg::maximum(x[0], x[1]); }},
    {"minimum", [](const tg::tensor_list& x) { return tg::minimum(x[0], x[1]); }},
    {"maximum_ties", [](const tg::tensor_list& x) { return tg::maximum(x[0], x[1]); }},
    {"minimum_ties", [](const tg::tensor_list& x) { return tg::minimum(x[0], x[1]); }},
    {"maximum_broadcast", [](const tg::tensor_list& x) { return tg::maximum(x[0], x[1]); }},
    {"fmax", [](const tg::tensor_list& x) { return tg::fmax(x[0], x[1]); }},
    {"fmin", [](const tg::tensor_list& x) { return tg::fmin(x[0], x[1]); }},
    {"fmax_ties", [](const tg::tensor_list& x) { return tg::fmax(x[0], x[1]); }},
    {"clamp", [](const tg::tensor_list& x) { return tg::clamp(x[0], -0.5, 1.0); }},
    {"clamp_min", [](const tg::tensor_list& x) { return tg::clamp(x[0], -0.5); }},
    {"clamp_max", [](const tg::tensor_list& x) { return tg::clamp(x[0], std::nullopt, 1.0); }},
    {"clamp_at_bounds", [](const tg::tensor_list& x) { return tg::clamp(x[0], -1.2, 0.7); }},
    {"where", [](const tg::tensor_list& x) { return tg::where(x[0], x[1], x[2]); }},
    {"where_broadcast", [](const tg::tensor_list& x) { return tg::where(x[0], x[1], x[2]); }},
    {"where_number", [](const tg::tensor_list& x) { return tg::where(x[0], x[1], tg::Scalar(0.0)); }},
    {"where_complex", [](const tg::tensor_list& x) { return tg::where(x[0], x[1], x[2]); }},
    // ---- complex ----
    {"conj", [](const tg::tensor_list& x) { return tg::conj(x[0]); }},
    {"conj_times", [](const tg::tensor_list& x) { return tg::conj(x[0]) * x[1]; }},
    {"abs_complex_squared", [](const tg::tensor_list& x) { return tg::abs(x[0]) * tg::abs(x[0]); }},
    {"angle", [](const tg::tensor_list& x) { return tg::angle(x[0]); }},
    {"angle_real", [](const tg::tensor_list& x) { return tg::angle(x[0]); }},
    // ---- reductions ----
    {"sum", [](const tg::tensor_list& x) { return x[0].sum(); }},
    {"sum_dim", [](const tg::tensor_list& x) { return x[0].sum({1}); }},
    {"sum_dims_keepdim", [](const tg::tensor_list& x) { return x[0].sum({0, 1}, true); }},
    {"sum_neg_dim_keepdim", [](const tg::tensor_list& x) { return x[0].sum({-2}, true); }},
    {"sum_complex", [](const tg::tensor_list& x) { return x[0].sum(); }},
    {"mean", [](const tg::tensor_list& x) { return x[0].mean(); }},
    {"mean_dim", [](const tg::tensor_list& x) { return x[0].mean({0}); }},
    {"mean_dim_keepdim", [](const tg::tensor_list& x) { return x[0].mean({1}, true); }},
    {"mean_complex", [](const tg::tensor_list& x) { return x[0].mean(); }},
    {"prod", [](const tg::tensor_list& x) { return tg::prod(x[0]); }},
    {"prod_one_zero", [](const tg::tensor_list& x) { return tg::prod(x[0]); }},
    {"prod_dim", [](const tg::tensor_list& x) { return tg::prod(x[0], 1); }},
    {"prod_dim_zeros", [](const tg::tensor_list& x) { return tg::prod(x[0], 1); }},
    {"prod_dim_keepdim", [](const tg::tensor_list& x) { return tg::prod(x[0], 0, true); }},
    {"prod_complex", [](const tg::tensor_list& x) { return tg::prod(x[0]); }},
    {"amax", [](const tg::tensor_list& x) { return tg::amax(x[0]); }},
    {"amax_dim", [](const tg::tensor_list& x) { return tg::amax(x[0], {1}); }},
    {"amax_ties", [](const tg::tensor_list& x) { return tg::amax(x[0], {1}); }},
    {"amax_all_ties", [](const tg::tensor_list& x) { return tg::amax(x[0], {0, 1}, true); }},
    {"amin", [](const tg::tensor_list& x) { return tg::amin(x[0], {0}); }},
    {"amin_ties", [](const tg::tensor_list& x) { return tg::amin(x[0], {1}, true); }},
    {"max", [](const tg::tensor_list& x) { return tg::max(x[0]); }},
    {"max_ties", [](const tg::tensor_list& x) { return tg::max(x[0]); }},
    {"min", [](const tg::tensor_list& x) { return tg::min(x[0]); }},
    {"min_ties", [](const tg::tensor_list& x) { return tg::min(x[0]); }},
    {"max_dim", [](const tg::tensor_list& x) { return std::get<0>(tg::max(x[0], 1)); }},
    {"max_dim_keepdim", [](const tg::tensor_list& x) { return std::get<0>(tg::max(x[0], 0, true)); }},
    {"min_dim", [](const tg::tensor_list& x) { return std::get<0>(tg::min(x[0], 1)); }},
    {"max_dim_ties", [](const tg::tensor_list& x) { return std::get<0>(tg::max(x[0], 1)); }},
    {"min_dim_ties", [](const tg::tensor_list& x) { return std::get<0>(tg::min(x[0], 1)); }},
    {"norm", [](const tg::tensor_list& x) { return tg::norm(x[0]); }},
    {"norm_1", [](const tg::tensor_list& x) { return tg::norm(x[0], 1.0); }},
    {"norm_3", [](const tg::tensor_list& x) { return tg::norm(x[0], 3.0); }},
    {"norm_0_5", [](const tg::tensor_list& x) { return tg::norm(x[0], 0.5); }},
    {"norm_inf", [](const tg::tensor_list& x) { return tg::norm(x[0], tg_inf); }},
    {"norm_neg_inf", [](const tg::tensor_list& x) { return tg::norm(x[0], -tg_inf); }},
    {"norm_dim", [](const tg::tensor_list& x) { return tg::norm(x[0], 2.0, {1}); }},
    {"norm_3_dim_keepdim", [](const tg::tensor_list& x) { return tg::norm(x[0], 3.0, {0}, true); }},
    {"norm_complex", [](const tg::tensor_list& x) { return tg::norm(x[0]); }},
    {"logsumexp", [](const tg::tensor_list& x) { return tg::logsumexp(x[0], {1}); }},
    {"logsumexp_all_keepdim", [](const tg::tensor_list& x) { return tg::logsumexp(x[0], {0, 1}, true); }},
    {"var", [](const tg::tensor_list& x) { return tg::var(x[0]); }},
    {"var_dim", [](const tg::tensor_list& x) { return tg::var(x[0], {1}); }},
    {"var_correction_0_keepdim", [](const tg::tensor_list& x) { return tg::var(x[0], {0}, 0.0, true); }},
    {"var_correction_2", [](const tg::tensor_list& x) { return tg::var(x[0], {0, 1}, 2.0); }},
    {"var_complex", [](const tg::tensor_list& x) { return tg::var(x[0]); }},
    {"std", [](const tg::tensor_list& x) { return tg::std(x[0]); }},
    {"std_dim", [](const tg::tensor_list& x) { return tg::std(x[0], {1}); }},
    {"std_correction_0_keepdim", [](const tg::tensor_list& x) { return tg::std(x[0], {0}, 0.0, true); }},
    {"std_complex", [](const tg::tensor_list& x) { return tg::std(x[0]); }},
    // ---- matrix products ----
    {"mm", [](const tg::tensor_list& x) { return tg::mm(x[0], x[1]); }},
    {"mm_complex", [](const tg::tensor_list& x) { return tg::mm(x[0], x[1]); }},
    {"mv", [](const tg::tensor_list& x) { return tg::mv(x[0], x[1]); }},
    {"mv_complex", [](const tg::tensor_list& x) { return tg::mv(x[0], x[1]); }},
    {"bmm", [](const tg::tensor_list& x) { return tg::bmm(x[0], x[1]); }},
    {"dot", [](const tg::tensor_list& x) { return tg::dot(x[0], x[1]); }},
    {"outer", [](const tg::tensor_list& x) { return tg::outer(x[0], x[1]); }},
    {"matmul_1d_1d", [](const tg::tensor_list& x) { return tg::matmul(x[0], x[1]); }},
    {"matmul_2d_1d", [](const tg::tensor_list& x) { return tg::matmul(x[0], x[1]); }},
    {"matmul_2d_2d", [](const tg::tensor_list& x) { return tg::matmul(x[0], x[1]); }},
    {"matmul_complex", [](const tg::tensor_list& x) { return tg::matmul(x[0], x[1]); }},
    // ---- views and copies ----
    {"view", [](const tg::tensor_list& x) { return x[0].view({3, 2}) * x[1]; }},
    {"view_alone", [](const tg::tensor_list& x) { return x[0].view({-1}); }},
    {"reshape", [](const tg::tensor_list& x) { return x[0].reshape({3, 2}); }},
    {"reshape_copy", [](const tg::tensor_list& x) { return x[0].t().reshape({-1}); }},
    {"transpose", [](const tg::tensor_list& x) { return x[0].transpose(0, 1); }},
    {"t", [](const tg::tensor_list& x) { return x[0].t(); }},
    {"permute", [](const tg::tensor_list& x) { return x[0].permute({2, 0, 1}); }},
    {"select", [](const tg::tensor_list& x) { return x[0].select(1, 2); }},
    {"select_neg", [](const tg::tensor_list& x) { return x[0].select(0, -1); }},
    {"narrow", [](const tg::tensor_list& x) { return x[0].narrow(1, 1, 2); }},
    {"squeeze", [](const tg::tensor_list& x) { return x[0].squeeze(); }},
    {"squeeze_dim", [](const tg::tensor_list& x) { return x[0].squeeze(2); }},
    {"unsqueeze", [](const tg::tensor_list& x) { return x[0].unsqueeze(1); }},
    {"expand", [](const tg::tensor_list& x) { return x[0].expand({2, 3, 4}); }},
    {"expand_as", [](const tg::tensor_list& x) { return x[0].expand_as(x[1]); }},
    {"flatten", [](const tg::tensor_list& x) { return x[0].flatten(); }},
    {"flatten_range", [](const tg::tensor_list& x) { return x[0].flatten(1, 2); }},
    {"clone", [](const tg::tensor_list& x) { return x[0].clone(); }},
    {"contiguous", [](const tg::tensor_list& x) { return x[0].t().contiguous(); }},
    {"to_float", [](const tg::tensor_list& x) { return x[0].to(tg::kFloat); }},
    {"to_complex", [](const tg::tensor_list& x) { return x[0].to(tg::kComplexDouble); }},
    {"view_complex", [](const tg::tensor_list& x) { return x[0].view({4}); }},
    {"transpose_complex", [](const tg::tensor_list& x) { return x[0].t(); }},
    // ---- joining and splitting ----
    {"cat", [](const tg::tensor_list& x) { return tg::cat({x[0], x[1]}); }},
    {"cat_dim1", [](const tg::tensor_list& x) { return tg::cat({x[0], x[1], x[0]}, 1); }},
    {"stack", [](const tg::tensor_list& x) { return tg::stack({x[0], x[1]}); }},
    {"stack_dim2", [](const tg::tensor_list& x) { return tg::stack({x[0], x[1]}, 2); }},
    {"split", [](const tg::tensor_list& x) { return tg::split(x[0], 2, 1)[1]; }},
    {"split_product",
     [](const tg::tensor_list& x) {
       const auto p = tg::split(x[0], 2, 1);
       return p[0] * p[1];
     }},
    {"split_with_sizes", [](const tg::tensor_list& x) { return tg::split_with_sizes(x[0], {1, 3}, 1)[1]; }},
    {"chunk", [](const tg::tensor_list& x) { return tg::chunk(x[0], 2, 0)[0]; }},
    {"unbind", [](const tg::tensor_list& x) { return tg::unbind(x[0], 1)[2]; }},
    {"unbind_product",
     [](const tg::tensor_list& x) {
       const auto p = tg::unbind(x[0]);
       return p[0] * p[2];
     }},
    // ---- indexing ----
    {"index_select", [](const tg::tensor_list& x) { return tg::index_select(x[0], 1, x[1]); }},
    {"index_select_dim0", [](const tg::tensor_list& x) { return tg::index_select(x[0], 0, x[1]); }},
    {"index_add", [](const tg::tensor_list& x) { return tg::index_add(x[0], 0, x[2], x[1]); }},
    {"index_add_repeated", [](const tg::tensor_list& x) { return tg::index_add(x[0], 1, x[2], x[1]); }},
    {"gather", [](const tg::tensor_list& x) { return tg::gather(x[0], 1, x[1]); }},
    {"scatter_add", [](const tg::tensor_list& x) { return tg::scatter_add(x[0], 1, x[2], x[1]); }},
    {"repeat", [](const tg::tensor_list& x) { return x[0].repeat({2, 1, 3}); }},
    {"repeat_same_rank", [](const tg::tensor_list& x) { return x[0].repeat({3, 2}); }},
    // ---- neural-network functions ----
    {"softmax", [](const tg::tensor_list& x) { return tg::softmax(x[0], 1); }},
    {"softmax_dim0", [](const tg::tensor_list& x) { return tg::softmax(x[0], 0); }},
    {"log_softmax", [](const tg::tensor_list& x) { return tg::log_softmax(x[0], 1); }},
    {"log_softmax_dim0", [](const tg::tensor_list& x) { return tg::log_softmax(x[0], 0); }},
    {"mse_loss", [](const tg::tensor_list& x) { return tg::mse_loss(x[0], x[1]); }},
    {"mse_loss_sum", [](const tg::tensor_list& x) { return tg::mse_loss(x[0], x[1], Reduction::Sum); }},
    {"mse_loss_none", [](const tg::tensor_list& x) { return tg::mse_loss(x[0], x[1], Reduction::None); }},
    {"mse_loss_constant_target", [](const tg::tensor_list& x) { return tg::mse_loss(x[0], x[1]); }},
    {"cross_entropy", [](const tg::tensor_list& x) { return tg::cross_entropy(x[0], x[1]); }},
    {"cross_entropy_sum", [](const tg::tensor_list& x) { return tg::cross_entropy(x[0], x[1], Reduction::Sum); }},
    {"cross_entropy_none", [](const tg::tensor_list& x) { return tg::cross_entropy(x[0], x[1], Reduction::None); }},
    {"cross_entropy_1d", [](const tg::tensor_list& x) { return tg::cross_entropy(x[0], x[1]); }},
    // ---- in-place operations on non-leaves ----
    {"add_", [](const tg::tensor_list& x) -> tg::Tensor { return (x[0] * 1.0).add_(x[1], 2.0); }},
    {"add_number_", [](const tg::tensor_list& x) -> tg::Tensor { return (x[0] * x[0]).add_(1.5); }},
    {"sub_", [](const tg::tensor_list& x) -> tg::Tensor { return (x[0] * x[0]).sub_(x[1]); }},
    {"mul_", [](const tg::tensor_list& x) -> tg::Tensor { return (x[0] * 1.0).mul_(x[1]); }},
    {"mul_number_", [](const tg::tensor_list& x) -> tg::Tensor { return (x[0] * x[0]).mul_(-2.0); }},
    {"div_", [](const tg::tensor_list& x) -> tg::Tensor { return (x[0] * x[0]).div_(x[1]); }},
    {"div_number_", [](const tg::tensor_list& x) -> tg::Tensor { return (x[0] * x[0]).div_(4.0); }},
    {"zero_", [](const tg::tensor_list& x) -> tg::Tensor { return (x[0] * x[0]).zero_() + x[0]; }},
    {"fill_", [](const tg::tensor_list& x) -> tg::Tensor { return (x[0] * x[0]).fill_(2.5); }},
    {"copy_", [](const tg::tensor_list& x) -> tg::Tensor { return (x[0] * 1.0).copy_(x[1] * x[1]); }},
    {"copy_broadcast_", [](const tg::tensor_list& x) -> tg::Tensor { return (x[0] * 1.0).copy_(x[1]); }},
    {"clamp_", [](const tg::tensor_list& x) -> tg::Tensor { return (x[0] * x[0]).clamp_(0.2, 1.5); }},
    {"clamp_min_", [](const tg::tensor_list& x) -> tg::Tensor { return (x[0] * 1.0).clamp_(-0.5); }},
    {"mul_complex_", [](const tg::tensor_list& x) -> tg::Tensor { return (x[0] * 1.0).mul_(x[1]); }},
    // ---- float, bfloat16 and half ----
    {"exp_float", [](const tg::tensor_list& x) { return tg::exp(x[0]); }},
    {"sigmoid_float", [](const tg::tensor_list& x) { return tg::sigmoid(x[0]); }},
    {"mul_float", [](const tg::tensor_list& x) { return x[0] * x[1]; }},
    {"mm_float", [](const tg::tensor_list& x) { return tg::mm(x[0], x[1]); }},
    {"softmax_float", [](const tg::tensor_list& x) { return tg::softmax(x[0], 1); }},
    {"sum_float", [](const tg::tensor_list& x) { return (x[0] * x[0]).sum(); }},
    {"exp_bfloat16", [](const tg::tensor_list& x) { return tg::exp(x[0]); }},
    {"mul_bfloat16", [](const tg::tensor_list& x) { return x[0] * x[1]; }},
    {"tanh_bfloat16", [](const tg::tensor_list& x) { return tg::tanh(x[0]); }},
    {"mul_half", [](const tg::tensor_list& x) { return x[0] * x[1]; }},
    {"div_half", [](const tg::tensor_list& x) { return x[0] / x[1]; }},
    {"pow_half", [](const tg::tensor_list& x) { return tg::pow(x[0], 2.0); }},
    {"mixed_float_double", [](const tg::tensor_list& x) { return x[0] * x[1]; }},
};

// ---- building inputs and comparing results ---------------------------------------------------

/// The tensor a row describes (a leaf; requires grad when torch's did).
tg::Tensor make(const ref_tensor& r) {
  tg::Tensor t;
  {
    tg::NoGradGuard no_history;
    if (tg::is_complex(r.dtype)) {
      std::vector<std::complex<double>> z;
      for (std::size_t k = 0; k + 1 < r.values.size(); k += 2) z.emplace_back(r.values[k], r.values[k + 1]);
      t = tg::tensor(z, tg::dtype(tg::kComplexDouble));
    } else {
      t = tg::tensor(r.values, tg::dtype(tg::kDouble));
    }
    t = t.to(r.dtype).reshape(r.sizes).clone();
  }
  t = t.detach();
  if (r.requires_grad) t.requires_grad_(true);
  return t;
}

/// Relative tolerance and absolute margin (times the largest expected magnitude, at least 1)
/// for results of a dtype.
struct tolerance {
  double rtol, atol;
};
tolerance tolerance_for(tg::ScalarType t) {
  switch (t) {
    case tg::kDouble:
    case tg::kComplexDouble: return {1e-10, 1e-12};
    case tg::kFloat:
    case tg::kComplexFloat: return {1e-5, 1e-6};
    case tg::kHalf: return {5e-3, 2e-3};
    case tg::kBFloat16: return {2e-2, 1e-2};
    default: return {0.0, 0.0};
  }
}

std::string sizes_text(const std::vector<std::int64_t>& s) {
  std::ostringstream o;
  o << "[";
  for (std::size_t k = 0; k < s.size(); ++k) o << (k ? ", " : "") << s[k];
  o << "]";
  return o.str();
}

/// The values of `t` flattened row-major (complex ones as real, imaginary pairs), in double.
std::vector<double> values_of(const tg::Tensor& t) {
  tg::NoGradGuard no_history;
  std::vector<double> out;
  if (t.is_complex()) {
    const tg::Tensor c = t.detach().to(tg::kComplexDouble).contiguous();
    const auto* p = c.data_ptr<std::complex<double>>();
    for (std::int64_t k = 0; k < c.numel(); ++k) {
      out.push_back(p[k].real());
      out.push_back(p[k].imag());
    }
  } else {
    const tg::Tensor c = t.detach().to(tg::kDouble).contiguous();
    const auto* p = c.data_ptr<double>();
    out.assign(p, p + c.numel());
  }
  return out;
}

/// Checks `actual` against torch's `expected`: defined, dtype, sizes, values and (when asked)
/// requires_grad.
void compare(const std::string& what, const tg::Tensor& actual, const ref_tensor& expected, bool check_requires_grad) {
  INFO(what);
  CHECK(actual.defined() == expected.defined);
  if (!actual.defined() || !expected.defined) return;
  CHECK(tg::scalar_type_name(actual.dtype()) == tg::scalar_type_name(expected.dtype));
  CHECK(sizes_text(actual.sizes()) == sizes_text(expected.sizes));
  if (check_requires_grad) CHECK(actual.requires_grad() == expected.requires_grad);
  if (actual.sizes() != expected.sizes || actual.is_complex() != tg::is_complex(expected.dtype)) return;
  const std::vector<double> got = values_of(actual);
  REQUIRE(got.size() == expected.values.size());
  const tolerance tol = tolerance_for(expected.dtype);
  double scale = 1.0;
  for (double e : expected.values) scale = std::max(scale, std::abs(e));
  const double margin = tol.atol * scale;
  std::ostringstream bad;
  bad.precision(17);
  int wrong = 0;
  for (std::size_t k = 0; k < got.size(); ++k) {
    const double e = expected.values[k], a = got[k];
    const bool same = (std::isnan(e) && std::isnan(a)) || a == e || std::abs(a - e) <= tol.rtol * std::abs(e) + margin;
    if (!same) {
      ++wrong;
      bad << "\n  [" << k << "] typegrad " << a << "  torch " << e;
    }
  }
  INFO("rtol " << tol.rtol << ", margin " << margin << "; differing values (complex: re, im flattened):" << bad.str());
  CHECK(wrong == 0);
}

case_fn function_for(const std::string& name) {
  for (const auto& [n, f] : kCases)
    if (name == n) return f;
  return nullptr;
}

/// Re(sum(g * conj(v))), as the script computes it.
tg::Tensor directional(const tg::Tensor& g, const tg::Tensor& v) {
  const tg::Tensor term = (g * tg::conj(v)).sum();
  return term.is_complex() ? tg::real(term) : term;
}

void run(const ref_case& c) {
  const case_fn f = function_for(c.name);
  REQUIRE(f != nullptr);
  tg::tensor_list inputs, diff, vs;
  for (const auto& r : c.inputs) {
    inputs.push_back(make(r));
    if (r.requires_grad) diff.push_back(inputs.back());
  }
  REQUIRE(diff.size() == c.grads.size());
  REQUIRE(diff.size() == c.v.size());
  REQUIRE(diff.size() == c.second.size());
  for (const auto& r : c.v) vs.push_back(make(r));

  const tg::Tensor y = f(inputs);
  compare("value", y, c.output, true);
  REQUIRE(y.grad_fn() != nullptr);
  CHECK(y.grad_fn()->name() == c.node);

  const tg::Tensor w = make(c.weight);
  const tg::Tensor loss = y.is_complex() ? tg::real((y * tg::conj(w)).sum()) : (y * w).sum();
  const tg::tensor_list grads = tg::autograd::grad({loss}, diff, {}, true, /*create_graph=*/true, /*allow_unused=*/true);
  for (std::size_t i = 0; i < diff.size(); ++i) compare("gradient " + std::to_string(i), grads[i], c.grads[i], true);

  tg::Tensor s;
  for (std::size_t i = 0; i < diff.size(); ++i) {
    if (!grads[i].defined()) continue;
    const tg::Tensor term = directional(grads[i], vs[i]);
    s = s.defined() ? s + term : term;
  }
  tg::tensor_list second(diff.size());
  if (s.defined() && s.requires_grad()) second = tg::autograd::grad({s}, diff, {}, std::nullopt, false, /*allow_unused=*/true);
  for (std::size_t i = 0; i < diff.size(); ++i) compare("second derivative " + std::to_string(i), second[i], c.second[i], false);
}

}  // namespace

TEST_CASE("torch reference: the C++ cases are the table's, in its order", "[functions][torch]") {
  std::vector<std::string> table, cpp;
  for (const auto& c : reference()) table.emplace_back(c.name);
  for (const auto& [n, f] : kCases) cpp.emplace_back(n);
  std::string missing;
  for (const auto& n : table)
    if (std::find(cpp.begin(), cpp.end(), n) == cpp.end()) missing += "\n  in the table, no C++ function: " + n;
  for (const auto& n : cpp)
    if (std::find(table.begin(), table.end(), n) == table.end()) missing += "\n  C++ function, not in the table: " + n;
  INFO("rerun test/functions/make_torch_reference.py or update kCases:" << missing);
  REQUIRE(missing.empty());
  REQUIRE(table == cpp);
  CHECK(table.size() == 264);
}

TEST_CASE("torch reference: values, gradients, second derivatives and grad_fn names", "[functions][torch]") {
  for (const auto& c : reference()) {
    INFO("case " << c.name);
    CHECK_NOTHROW(run(c));  // an error in one case is reported and the others still run
  }
}
