// tg::Tensor: metadata, views (shared storage and version counter), copies, data access,
// the requires_grad flag, and torch's error texts.
#include <catch2/catch.hpp>

#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <vector>

#include <typegrad/dynamic.hpp>

#include "support/tensor_values.hpp"

namespace tg = typegrad;
using test_support::values;
using V = std::vector<std::int64_t>;

namespace {
tg::Tensor iota(V sizes, tg::ScalarType dtype = tg::kFloat) {
  return tg::arange(tg::detail::numel_of(sizes), tg::dtype(dtype)).view(sizes);
}
bool shares(const tg::Tensor& a, const tg::Tensor& b) {
  return a.storage() == b.storage() && a.version_counter() == b.version_counter();
}
}  // namespace

TEST_CASE("an undefined tensor", "[tensor]") {
  tg::Tensor t;
  CHECK_FALSE(t.defined());
  CHECK_THROWS_WITH(t.sizes(), "sizes() called on an undefined Tensor");
  CHECK_THROWS_WITH(t.dim(), "dim() called on an undefined Tensor");
  CHECK(tg::zeros({1}).defined());
}

TEST_CASE("metadata of a new tensor", "[tensor]") {
  const tg::Tensor t = tg::zeros({2, 3, 4});
  CHECK(t.sizes() == V{2, 3, 4});
  CHECK(t.strides() == V{12, 4, 1});
  CHECK(t.storage_offset() == 0);
  CHECK(t.dim() == 3);
  CHECK(t.numel() == 24);
  CHECK(t.size(-1) == 4);
  CHECK(t.stride(0) == 12);
  CHECK_THROWS_WITH(t.size(3), "Dimension out of range (expected to be in range of [-3, 2], but got 3)");
  CHECK(t.dtype() == tg::kFloat);
  CHECK(t.scalar_type() == tg::kFloat);
  CHECK(t.element_size() == 4);
  CHECK(t.is_floating_point());
  CHECK_FALSE(t.is_complex());
  CHECK(t.is_contiguous());
  CHECK(t.options().dtype() == tg::kFloat);
  CHECK(t._version() == 0);
  CHECK_FALSE(t.requires_grad());
  CHECK(t.storage()->nbytes() == 24 * 4);
  const tg::Tensor s = tg::tensor(2.5);
  CHECK(s.dim() == 0);
  CHECK(s.numel() == 1);
  CHECK(s.sizes().empty());
}

TEST_CASE("storage is aligned (64 bytes beyond the inline capacity) and zeroed", "[tensor]") {
  for (auto t : tg::all_scalar_types) {
    for (const std::int64_t n : {1, 3, 15, 100}) {
      const tg::Tensor x = tg::empty({n}, tg::dtype(t));
      const auto address = reinterpret_cast<std::uintptr_t>(x.data_ptr());
      const bool inline_buffer = x.numel() * static_cast<std::int64_t>(x.element_size()) <=
                                 static_cast<std::int64_t>(tg::Storage::inline_capacity);
      CHECK(address % (inline_buffer ? tg::Storage::inline_alignment : tg::Storage::alignment) == 0);
      CHECK(address % x.element_size() == 0);
      CHECK(values(x) == std::vector<double>(static_cast<std::size_t>(n), 0.0));
    }
  }
  tg::Storage s(0);
  CHECK(s.data() != nullptr);
  CHECK(s.nbytes() == 0);
}

TEST_CASE("data_ptr is checked against the dtype", "[tensor]") {
  const tg::Tensor d = tg::zeros({2}, tg::dtype(tg::kDouble));
  CHECK(d.data_ptr<double>() != nullptr);
  CHECK_THROWS_WITH(d.data_ptr<float>(), "expected scalar type Float but found Double");
  CHECK_THROWS_WITH(tg::zeros({1}, tg::dtype(tg::kLong)).data_ptr<tg::half>(), "expected scalar type Half but found Long");
  CHECK_THROWS_WITH(tg::zeros({1}).data_ptr<std::complex<double>>(), "expected scalar type ComplexDouble but found Float");
  const tg::Tensor base = iota({4});
  const tg::Tensor v = base.narrow(0, 1, 2);
  CHECK(v.data_ptr<float>() == base.data_ptr<float>() + 1);
  CHECK(*v.data_ptr<float>() == 1.0f);
  CHECK(v.data_ptr() == static_cast<void*>(v.data_ptr<float>()));
}

TEST_CASE("item converts the single element like c10::Scalar", "[tensor]") {
  CHECK(tg::tensor(2.5).item<double>() == 2.5);
  CHECK(tg::tensor(2.5).item<float>() == 2.5f);
  CHECK(tg::tensor(2.75).item<std::int64_t>() == 2);
  CHECK(tg::tensor(-2.75).item<std::int64_t>() == -2);
  CHECK(tg::tensor(std::int64_t{7}).item<double>() == 7.0);
  CHECK(tg::tensor(true).item<std::int64_t>() == 1);
  CHECK(tg::tensor(0.5).item<bool>());
  CHECK(float(tg::tensor(1.5, tg::dtype(tg::kHalf)).item<tg::half>()) == 1.5f);
  CHECK(float(tg::tensor(1.5, tg::dtype(tg::kBFloat16)).item<tg::bfloat16>()) == 1.5f);
  CHECK(tg::tensor({{4.0}}).item<double>() == 4.0);
  CHECK(tg::tensor(std::complex<double>(1, 2)).item<std::complex<double>>() == std::complex<double>(1, 2));
  CHECK(tg::tensor(std::complex<double>(3, 0)).item<double>() == 3.0);
  CHECK(tg::tensor(1.5).item<std::complex<float>>() == std::complex<float>(1.5f, 0));
  CHECK_THROWS_WITH(tg::zeros({2}).item<float>(), "a Tensor with 2 elements cannot be converted to Scalar");
  CHECK_THROWS_WITH(tg::zeros({0}).item<float>(), "a Tensor with 0 elements cannot be converted to Scalar");
  CHECK_THROWS_WITH(tg::tensor(std::complex<double>(1, 2)).item<double>(),
                    "value cannot be converted to type double without overflow");
  CHECK_THROWS_WITH(tg::tensor(1e300).item<float>(), "value cannot be converted to type float without overflow");
  CHECK_THROWS_WITH(tg::tensor(1e6).item<tg::half>(), "value cannot be converted to type at::Half without overflow");
  CHECK_THROWS_WITH(tg::tensor(1e19).item<std::int64_t>(),
                    "value cannot be converted to type int64_t without overflow");
  CHECK(std::isinf(tg::tensor(std::numeric_limits<double>::infinity()).item<float>()));
  CHECK(std::isnan(tg::tensor(std::numeric_limits<double>::quiet_NaN()).item<float>()));
}

TEST_CASE("view: -1 inference, strides, shared storage and version counter", "[tensor][view]") {
  const tg::Tensor x = iota({2, 3});
  const tg::Tensor v = x.view({3, -1});
  CHECK(v.sizes() == V{3, 2});
  CHECK(v.strides() == V{2, 1});
  CHECK(shares(v, x));
  CHECK_FALSE(v.is_same(x));
  CHECK(values(v) == std::vector<double>{0, 1, 2, 3, 4, 5});
  CHECK(x.view({6}).sizes() == V{6});
  CHECK(x.view({1, 2, 1, 3}).strides() == V{6, 3, 3, 1});
  CHECK(tg::tensor(5.0).view({1, 1}).sizes() == V{1, 1});
  CHECK(x.view({1, 6}).view({-1}).sizes() == V{6});
  CHECK(tg::zeros({0, 3}).view({-1, 3}).sizes() == V{0, 3});
  // a transposed tensor can still be viewed where its dims stay within one chunk
  const tg::Tensor tt = iota({2, 3, 4}).transpose(0, 1);  // sizes 3,2,4 strides 4,12,1
  CHECK(tt.view({3, 2, 2, 2}).strides() == V{4, 12, 2, 1});
  // the version counter is one object: a bump through a view is seen everywhere
  v.version_counter()->bump();
  CHECK(x._version() == 1);
  CHECK(v._version() == 1);
  // writes through a view are seen by the base
  v.data_ptr<float>()[1] = 42.0f;
  CHECK(x.data_ptr<float>()[1] == 42.0f);

  CHECK_THROWS_WITH(x.view({4, 2}), "shape '[4, 2]' is invalid for input of size 6");
  CHECK_THROWS_WITH(x.view({-1, -1}), "only one dimension can be inferred");
  CHECK_THROWS_WITH(x.view({-2, 3}), "invalid shape dimension -2");
  CHECK_THROWS_WITH(tg::zeros({2}).view({2, -1, 0}), "shape '[2, -1, 0]' is invalid for input of size 2");
  CHECK_THROWS_WITH(tg::zeros({0}).view({-1, 0}),
                    "cannot reshape tensor of 0 elements into shape [-1, 0] because the unspecified dimension size -1 "
                    "can be any value and is ambiguous");
  CHECK_THROWS_WITH(x.t().view({6}),
                    "view size is not compatible with input tensor's size and stride (at least one dimension spans "
                    "across two contiguous subspaces). Use .reshape(...) instead.");
}

TEST_CASE("reshape views when it can and copies when it must", "[tensor][view]") {
  const tg::Tensor x = iota({2, 3});
  const tg::Tensor r = x.reshape({3, 2});
  CHECK(shares(r, x));
  const tg::Tensor c = x.t().reshape({6});
  CHECK(c.storage() != x.storage());
  CHECK(values(c) == std::vector<double>{0, 3, 1, 4, 2, 5});
  CHECK(c.is_contiguous());
  CHECK_THROWS_WITH(x.reshape({5}), "shape '[5]' is invalid for input of size 6");
}

TEST_CASE("transpose, t and permute swap sizes and strides", "[tensor][view]") {
  const tg::Tensor x = iota({2, 3, 4});
  const tg::Tensor tr = x.transpose(0, 2);
  CHECK(tr.sizes() == V{4, 3, 2});
  CHECK(tr.strides() == V{1, 4, 12});
  CHECK(shares(tr, x));
  CHECK_FALSE(tr.is_contiguous());
  CHECK(x.transpose(-1, -3).sizes() == V{4, 3, 2});
  CHECK(x.transpose(1, 1).strides() == x.strides());
  CHECK_THROWS_WITH(x.transpose(0, 3), "Dimension out of range (expected to be in range of [-3, 2], but got 3)");
  CHECK_THROWS_WITH(tg::tensor(1.0).transpose(0, 1),
                    "Dimension out of range (expected to be in range of [-1, 0], but got 1)");

  const tg::Tensor m = iota({2, 3});
  CHECK(m.t().sizes() == V{3, 2});
  CHECK(m.t().strides() == V{1, 3});
  CHECK(values(m.t()) == std::vector<double>{0, 3, 1, 4, 2, 5});
  CHECK(iota({5}).t().sizes() == V{5});
  CHECK(tg::tensor(1.0).t().dim() == 0);
  CHECK(shares(iota({5}).t(), iota({5})) == false);  // distinct bases
  const tg::Tensor one = iota({5});
  CHECK(shares(one.t(), one));
  CHECK_THROWS_WITH(x.t(), "t() expects a tensor with <= 2 dimensions, but self is 3D");

  const tg::Tensor p = x.permute({2, 0, 1});
  CHECK(p.sizes() == V{4, 2, 3});
  CHECK(p.strides() == V{1, 12, 4});
  CHECK(shares(p, x));
  CHECK(x.permute({-1, 0, 1}).sizes() == V{4, 2, 3});
  CHECK(values(m.permute({1, 0})) == values(m.t()));
  CHECK_THROWS_WITH(m.permute({0}),
                    "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the "
                    "desired ordering of dimensions i.e. input.dim() = 2 is not equal to len(dims) = 1");
  CHECK_THROWS_WITH(m.permute({0, 0}), "permute(): duplicate dims are not allowed.");
  CHECK_THROWS_WITH(m.permute({0, 2}), "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
}

TEST_CASE("select and narrow", "[tensor][view]") {
  const tg::Tensor x = iota({2, 3});
  const tg::Tensor row = x.select(0, 1);
  CHECK(row.sizes() == V{3});
  CHECK(row.storage_offset() == 3);
  CHECK(values(row) == std::vector<double>{3, 4, 5});
  CHECK(shares(row, x));
  const tg::Tensor col = x.select(1, -1);
  CHECK(col.strides() == V{3});
  CHECK(values(col) == std::vector<double>{2, 5});
  CHECK(x.select(0, 0).select(0, 2).item<float>() == 2.0f);
  CHECK(x.select(0, 0).select(0, 2).dim() == 0);
  CHECK_THROWS_WITH(x.select(0, 5), "select(): index 5 out of range for tensor of size [2, 3] at dimension 0");
  CHECK_THROWS_WITH(x.select(1, -4), "select(): index -4 out of range for tensor of size [2, 3] at dimension 1");
  CHECK_THROWS_WITH(tg::tensor(1.0).select(0, 0), "select() cannot be applied to a 0-dim tensor.");
  CHECK_THROWS_WITH(x.select(2, 0), "Dimension out of range (expected to be in range of [-2, 1], but got 2)");

  const tg::Tensor n = x.narrow(1, 1, 2);
  CHECK(n.sizes() == V{2, 2});
  CHECK(n.strides() == V{3, 1});
  CHECK(n.storage_offset() == 1);
  CHECK(values(n) == std::vector<double>{1, 2, 4, 5});
  CHECK_FALSE(n.is_contiguous());
  CHECK(shares(n, x));
  CHECK(values(x.narrow(1, -2, 2)) == std::vector<double>{1, 2, 4, 5});
  CHECK(x.narrow(1, 3, 0).sizes() == V{2, 0});
  CHECK_THROWS_WITH(x.narrow(1, 2, 3), "start (2) + length (3) exceeds dimension size (3).");
  CHECK_THROWS_WITH(x.narrow(0, 5, 1), "start out of range (expected to be in range of [-2, 2], but got 5)");
  CHECK_THROWS_WITH(x.narrow(1, 0, -1), "narrow(): length must be non-negative.");
  CHECK_THROWS_WITH(tg::tensor(1.0).narrow(0, 0, 1), "narrow() cannot be applied to a 0-dim tensor.");
}

TEST_CASE("squeeze and unsqueeze", "[tensor][view]") {
  const tg::Tensor x = iota({2, 1, 3, 1});
  CHECK(x.squeeze().sizes() == V{2, 3});
  CHECK(x.squeeze().strides() == V{3, 1});
  CHECK(x.squeeze(1).sizes() == V{2, 3, 1});
  CHECK(x.squeeze(0).sizes() == V{2, 1, 3, 1});
  CHECK(x.squeeze(-1).sizes() == V{2, 1, 3});
  CHECK(shares(x.squeeze(), x));
  CHECK(tg::tensor(1.0).squeeze().dim() == 0);
  CHECK(tg::tensor(1.0).squeeze(0).dim() == 0);
  CHECK_THROWS_WITH(iota({2, 3}).squeeze(2), "Dimension out of range (expected to be in range of [-2, 1], but got 2)");

  const tg::Tensor m = iota({2, 3});
  CHECK(m.unsqueeze(0).sizes() == V{1, 2, 3});
  CHECK(m.unsqueeze(0).strides() == V{6, 3, 1});
  CHECK(m.unsqueeze(1).strides() == V{3, 3, 1});  // torch: sizes[1] * strides[1]
  CHECK(m.unsqueeze(2).sizes() == V{2, 3, 1});
  CHECK(m.unsqueeze(-1).sizes() == V{2, 3, 1});
  CHECK(m.unsqueeze(-3).sizes() == V{1, 2, 3});
  CHECK(tg::tensor(1.0).unsqueeze(0).sizes() == V{1});
  CHECK(shares(m.unsqueeze(1), m));
  CHECK_THROWS_WITH(m.unsqueeze(3), "Dimension out of range (expected to be in range of [-3, 2], but got 3)");
}

TEST_CASE("expand repeats size-1 dims with stride 0", "[tensor][view]") {
  const tg::Tensor x = iota({3, 1});
  const tg::Tensor e = x.expand({2, 3, 4});
  CHECK(e.sizes() == V{2, 3, 4});
  CHECK(e.strides() == V{0, 1, 0});
  CHECK(shares(e, x));
  CHECK_FALSE(e.is_contiguous());
  CHECK(values(e.select(0, 1).select(0, 2)) == std::vector<double>{2, 2, 2, 2});
  CHECK(x.expand({-1, 5}).sizes() == V{3, 5});
  CHECK(tg::tensor(7.0).expand({2, 2}).strides() == V{0, 0});
  CHECK(values(tg::tensor(7.0).expand({2})) == std::vector<double>{7, 7});
  const tg::Tensor m = iota({2, 3});
  CHECK(m.expand({2, 3}).strides() == V{3, 1});
  CHECK_THROWS_WITH(m.expand({3}), "expand(torch.FloatTensor{[2, 3]}, size=[3]): the number of sizes provided (1) must "
                                   "be greater or equal to the number of dimensions in the tensor (2)");
  CHECK_THROWS_WITH(m.expand({2, 4}), "The expanded size of the tensor (4) must match the existing size (3) at "
                                      "non-singleton dimension 1.  Target sizes: [2, 4].  Tensor sizes: [2, 3]");
  CHECK_THROWS_WITH(m.expand({-1, -1, 3}),
                    "The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0");
  CHECK_THROWS_WITH(iota({2}, tg::kLong).expand({1}),
                    "The expanded size of the tensor (1) must match the existing size (2) at non-singleton dimension "
                    "0.  Target sizes: [1].  Tensor sizes: [2]");
}

TEST_CASE("flatten merges a range of dims", "[tensor][view]") {
  const tg::Tensor x = iota({2, 3, 4});
  CHECK(x.flatten().sizes() == V{24});
  CHECK(shares(x.flatten(), x));
  CHECK(x.flatten(1).sizes() == V{2, 12});
  CHECK(x.flatten(0, 1).sizes() == V{6, 4});
  CHECK(x.flatten(-2, -1).sizes() == V{2, 12});
  CHECK(x.flatten(1, 1).is_same(x));
  CHECK(tg::tensor(3.0).flatten().sizes() == V{1});
  const tg::Tensor f = x.transpose(0, 2).flatten();
  CHECK(f.storage() != x.storage());
  CHECK(values(f) == values(x.transpose(0, 2)));
  CHECK_THROWS_WITH(x.flatten(2, 1), "flatten() has invalid args: start_dim cannot come after end_dim");
  CHECK_THROWS_WITH(x.flatten(0, 3), "Dimension out of range (expected to be in range of [-3, 2], but got 3)");
}

TEST_CASE("contiguous returns itself or a contiguous copy", "[tensor][copy]") {
  const tg::Tensor x = iota({2, 3});
  CHECK(x.contiguous().is_same(x));
  const tg::Tensor c = x.t().contiguous();
  CHECK(c.is_contiguous());
  CHECK(c.strides() == V{2, 1});
  CHECK(c.storage() != x.storage());
  CHECK(c.version_counter() != x.version_counter());
  CHECK(values(c) == std::vector<double>{0, 3, 1, 4, 2, 5});
  const tg::Tensor e = tg::tensor({1.0, 2.0}).expand({2, 2}).contiguous();
  CHECK(e.strides() == V{2, 1});
  CHECK(values(e) == std::vector<double>{1, 2, 1, 2});
}

TEST_CASE("clone copies and keeps a dense layout (preserve_format)", "[tensor][copy]") {
  const tg::Tensor x = iota({2, 3});
  const tg::Tensor c = x.clone();
  CHECK(c.storage() != x.storage());
  CHECK(c.version_counter() != x.version_counter());
  CHECK(c.strides() == V{3, 1});
  CHECK(values(c) == values(x));
  c.data_ptr<float>()[0] = 9.0f;
  CHECK(x.data_ptr<float>()[0] == 0.0f);
  // torch: x.t().clone().stride() == (1, 3); expanded -> contiguous; permuted keeps order
  CHECK(x.t().clone().strides() == V{1, 3});
  CHECK(values(x.t().clone()) == values(x.t()));
  CHECK(x.expand({4, 2, 3}).clone().strides() == V{6, 3, 1});
  CHECK(iota({2, 1, 3}).permute({2, 0, 1}).clone().strides() == V{1, 3, 3});
  // a narrowed transposed tensor is not dense: dense strides in the same dim order
  const tg::Tensor n = iota({4, 3}).t().narrow(1, 1, 2);  // sizes 3,2 strides 1,3
  CHECK(n.clone().strides() == V{1, 3});
  CHECK(values(n.clone()) == values(n));
  CHECK(tg::detail::infer_dense_strides(V{3, 2}, V{1, 3}) == V{1, 3});
  CHECK(tg::detail::infer_dense_strides(V{2, 3}, V{10, 1}) == V{3, 1});
  CHECK(tg::zeros({0, 2}).clone().sizes() == V{0, 2});
  CHECK(tg::tensor(2.0).clone().item<double>() == 2.0);
}

TEST_CASE("to converts between all dtypes", "[tensor][copy]") {
  const tg::Tensor x = tg::tensor({-2.5, 0.0, 1.0, 3.75});
  CHECK(x.to(tg::kDouble).is_same(x));
  CHECK(values(x.to(tg::kFloat)) == std::vector<double>{-2.5, 0, 1, 3.75});
  CHECK(values(x.to(tg::kHalf)) == std::vector<double>{-2.5, 0, 1, 3.75});
  CHECK(values(x.to(tg::kBFloat16)) == std::vector<double>{-2.5, 0, 1, 3.75});
  CHECK(values(x.to(tg::kLong)) == std::vector<double>{-2, 0, 1, 3});
  CHECK(values(x.to(tg::kBool)) == std::vector<double>{1, 0, 1, 1});
  const tg::Tensor c = x.to(tg::kComplexDouble);
  CHECK(c.dtype() == tg::kComplexDouble);
  CHECK(c.select(0, 3).item<std::complex<double>>() == std::complex<double>(3.75, 0));
  const tg::Tensor z = tg::tensor({std::complex<double>(1.5, -2), std::complex<double>(0, 1)});
  CHECK(values(z.to(tg::kFloat)) == std::vector<double>{1.5, 0});  // drops the imaginary part
  CHECK(values(z.to(tg::kBool)) == std::vector<double>{1, 1});
  CHECK(z.to(tg::kComplexFloat).select(0, 0).item<std::complex<float>>() == std::complex<float>(1.5f, -2));
  // NaN / out of range to Long: x86's INT64_MIN (defined here, undefined in C++)
  const tg::Tensor odd = tg::tensor({std::numeric_limits<double>::quiet_NaN(), 1e30, -1e30});
  const tg::Tensor l = odd.to(tg::kLong);
  for (int i = 0; i < 3; ++i) CHECK(l.data_ptr<std::int64_t>()[i] == std::numeric_limits<std::int64_t>::min());
  // double -> half rounds through float, like torch (1 + 2^-11 + 2^-40 -> float 1 + 2^-11 -> half 1)
  const double tricky = 1.0 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40);
  CHECK(float(tg::tensor(tricky).to(tg::kHalf).item<tg::half>()) == 1.0f);
  // layout is preserved, values follow the view
  const tg::Tensor t = iota({2, 3}).t().to(tg::kDouble);
  CHECK(t.strides() == V{1, 3});
  CHECK(values(t) == std::vector<double>{0, 3, 1, 4, 2, 5});
  for (auto from : tg::all_scalar_types) {
    for (auto to : tg::all_scalar_types) {
      const tg::Tensor a = tg::ones({2}, tg::dtype(from)).to(to);
      CHECK(a.dtype() == to);
      CHECK(values(a) == std::vector<double>{1, 1});
    }
  }
}

TEST_CASE("requires_grad flag and its dtype errors", "[tensor][autograd]") {
  const tg::Tensor x = tg::zeros({2});
  CHECK_FALSE(x.requires_grad());
  CHECK(x.requires_grad_().requires_grad());
  x.requires_grad_(false);
  CHECK_FALSE(x.requires_grad());
  x.set_requires_grad(true);
  CHECK(x.requires_grad());
  for (auto t : {tg::kHalf, tg::kBFloat16, tg::kFloat, tg::kDouble, tg::kComplexFloat, tg::kComplexDouble}) {
    CHECK(tg::zeros({1}, tg::dtype(t)).requires_grad_().requires_grad());
  }
  for (auto t : {tg::kBool, tg::kLong}) {
    const tg::Tensor i = tg::zeros({1}, tg::dtype(t));
    CHECK_THROWS_WITH(i.requires_grad_(), "only Tensors of floating point dtype can require gradients");
    CHECK_THROWS_WITH(i.set_requires_grad(true), "only Tensors of floating point and complex dtype can require gradients");
    CHECK_NOTHROW(i.requires_grad_(false));
    CHECK_FALSE(i.requires_grad());
  }
  // setting the flag creates the leaf's autograd state (as torch's), on the thread that set it:
  // threads sharing the leaf later only read it
  CHECK(x.unsafe_get_impl()->autograd_meta != nullptr);
  CHECK(tg::zeros({1}).unsafe_get_impl()->autograd_meta == nullptr);
  CHECK(x.view({2}).requires_grad());
  CHECK(x.view({2}).grad_fn()->name() == "ViewBackward0");
}
