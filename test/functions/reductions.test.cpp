// Reductions: prod, amax/amin, max/min, norm, logsumexp, var, std (functions/reductions.hpp).
#include "functions/support.hpp"

#include <cmath>
#include <tuple>

using test_support::check_all;
using test_support::doubles;

TEST_CASE("reductions: gradcheck, gradgradcheck, forward mode, node names", "[functions][reductions]") {
  tg::manual_seed(1);
  auto x = tg::randn({3, 4}, doubles());
  auto z = tg::tensor({{1.5, 0.0, 2.0}, {0.0, 0.0, 3.0}}, tg::requires_grad());  // zeros for prod
  check_all({
      {"prod", "ProdBackward0", [](const tg::tensor_list& in) { return tg::prod(in[0]); }},
      {"prod with zeros", "ProdBackward0", [](const tg::tensor_list& in) { return tg::prod(in[1]); }},
      {"prod dim", "ProdBackward1", [](const tg::tensor_list& in) { return tg::prod(in[0], 1); }},
      {"prod dim with zeros", "ProdBackward1", [](const tg::tensor_list& in) { return tg::prod(in[1], 1, true); }},
      {"amax", "AmaxBackward0", [](const tg::tensor_list& in) { return tg::amax(in[0], {1}); }},
      {"amin", "AminBackward0", [](const tg::tensor_list& in) { return tg::amin(in[0]); }},
      {"max", "MaxBackward1", [](const tg::tensor_list& in) { return tg::max(in[0]); }},
      {"min", "MinBackward1", [](const tg::tensor_list& in) { return tg::min(in[0]); }},
      {"max dim", "MaxBackward0", [](const tg::tensor_list& in) { return std::get<0>(tg::max(in[0], 1)); }},
      {"min dim keepdim", "MinBackward0", [](const tg::tensor_list& in) { return std::get<0>(tg::min(in[0], 0, true)); }},
      {"norm", "NormBackward1", [](const tg::tensor_list& in) { return tg::norm(in[0]); }},
      {"norm 1 over dim", "NormBackward1", [](const tg::tensor_list& in) { return tg::norm(in[0], 1.0, {1}); }},
      {"norm 3 keepdim", "NormBackward1", [](const tg::tensor_list& in) { return tg::norm(in[0], 3.0, {0}, true); }},
      {"norm inf", "NormBackward1", [](const tg::tensor_list& in) { return tg::norm(in[0], INFINITY); }},
      {"logsumexp", "LogsumexpBackward0", [](const tg::tensor_list& in) { return tg::logsumexp(in[0], {1}); }},
      {"var", "VarBackward0", [](const tg::tensor_list& in) { return tg::var(in[0]); }},
      {"var dim, no correction", "VarBackward0", [](const tg::tensor_list& in) { return tg::var(in[0], {1}, 0.0, true); }},
      {"std", "StdBackward0", [](const tg::tensor_list& in) { return tg::std(in[0], {0}); }},
      {"sum dims", "SumBackward1", [](const tg::tensor_list& in) { return in[0].sum({0, 1}, true); }},
      {"mean dim", "MeanBackward1", [](const tg::tensor_list& in) { return in[0].mean({1}); }},
  }, {x, z});
}

TEST_CASE("reductions: values and index results", "[functions][reductions]") {
  auto x = tg::tensor({{1.0, 5.0, 5.0}, {-2.0, 0.5, 3.0}}, tg::requires_grad());
  auto [values, indices] = tg::max(x, 1);
  CHECK(values.select(0, 0).item<double>() == 5.0);
  CHECK(indices.dtype() == tg::kLong);
  CHECK(indices.select(0, 0).item<std::int64_t>() == 1);  // the first of tied maxima
  CHECK_FALSE(indices.requires_grad());
  values.sum().backward();
  CHECK(x.grad().select(0, 1).select(0, 2).item<double>() == 1.0);
  CHECK(x.grad().select(0, 0).select(0, 2).item<double>() == 0.0);
  x.mutable_grad() = tg::Tensor();
  tg::amax(x, {1}).sum().backward();  // ties share
  CHECK(x.grad().select(0, 0).select(0, 1).item<double>() == 0.5);
  CHECK(tg::logsumexp(tg::tensor({1000.0, 1000.0}), {0}).item<double>() == Approx(1000.0 + std::log(2.0)));
  CHECK(tg::var(tg::tensor({1.0, 2.0, 3.0, 4.0})).item<double>() == Approx(5.0 / 3.0));
  CHECK(tg::std(tg::tensor({1.0, 2.0, 3.0, 4.0}), {}, 0.0).item<double>() == Approx(std::sqrt(1.25)));
  CHECK(tg::std(tg::tensor({{1.0, 3.0}, {2.0, 6.0}}), {0}).select(0, 1).item<double>() == Approx(std::sqrt(4.5)));
  CHECK(tg::norm(tg::tensor({3.0, -4.0})).item<double>() == 5.0);
  CHECK_THROWS_WITH(tg::max(tg::zeros({0})), Catch::StartsWith("max(): Expected reduction dim to be specified"));
}
