// Grad mode, inference mode, anomaly mode and saved-tensor hooks: thread-local switches
// (spec/autograd.md §2-3 and §8, acceptance tests 33-35, 41-42).
#include <catch2/catch.hpp>

#include <any>
#include <string>
#include <thread>
#include <vector>

#include <typegrad/dynamic.hpp>

namespace tg = typegrad;

TEST_CASE("no_grad: results are leaves without grad - factories still make requires-grad leaves", "[autograd][grad_mode]") {
  auto x = tg::tensor({1.0}, tg::requires_grad());
  {
    tg::NoGradGuard guard;
    CHECK_FALSE(tg::is_grad_enabled());
    auto y = x * 2.0;
    CHECK_FALSE(y.requires_grad());
    CHECK(y.is_leaf());
    auto z = tg::ones({2}, tg::requires_grad());
    CHECK(z.requires_grad());
    CHECK(z.is_leaf());
    {
      tg::AutoGradMode enable(true);
      CHECK((x * 2.0).requires_grad());
    }
    CHECK_FALSE((x * 2.0).requires_grad());
  }
  CHECK(tg::is_grad_enabled());
  { tg::EnableGradGuard g; CHECK(tg::is_grad_enabled()); }
}

TEST_CASE("grad mode is thread local", "[autograd][grad_mode][threads]") {
  tg::NoGradGuard guard;
  bool other_thread_enabled = false;
  std::thread t([&] { other_thread_enabled = tg::is_grad_enabled(); });
  t.join();
  CHECK(other_thread_enabled);
  CHECK_FALSE(tg::is_grad_enabled());
}

TEST_CASE("inference mode: inference tensors and their errors", "[autograd][inference]") {
  auto x = tg::tensor({1.0, 2.0}, tg::requires_grad());
  tg::Tensor inf;
  {
    tg::InferenceMode guard;
    CHECK(tg::is_inference_mode_enabled());
    CHECK_FALSE(tg::is_grad_enabled());
    inf = x * 2.0;
    CHECK_FALSE(inf.requires_grad());
    CHECK(inf.is_inference());
    inf.add_(1.0);  // allowed inside the mode
  }
  CHECK_FALSE(tg::is_inference_mode_enabled());
  CHECK(tg::is_grad_enabled());
  CHECK_THROWS_WITH(inf._version(), "Inference tensors do not track version counter.");
  CHECK_THROWS_WITH(inf.add_(1.0), Catch::StartsWith("Inplace update to inference tensor outside InferenceMode is not allowed."));
  CHECK_THROWS_WITH(x * inf, Catch::StartsWith("Inference tensors cannot be saved for backward."));
  auto mixed = x + inf;  // AddBackward0 saves nothing: a normal tensor
  CHECK(mixed.requires_grad());
  CHECK_FALSE(mixed.is_inference());
  CHECK(inf.clone().is_inference() == false);
}

TEST_CASE("anomaly mode: NaN check names the node", "[autograd][anomaly]") {
  auto x = tg::tensor({0.0, 1.0}, tg::requires_grad());
  auto y = tg::sqrt(x) * 0.0;  // the gradient of sqrt at 0 is inf; inf * 0 = nan
  CHECK_FALSE(tg::is_anomaly_enabled());
  {
    tg::autograd::DetectAnomalyGuard anomaly;
    CHECK(tg::is_anomaly_enabled());
    auto z = (tg::sqrt(x) * 0.0).sum();
    CHECK_THROWS_WITH(z.backward(), "Function 'SqrtBackward0' returned nan values in its 0th output.");
  }
  CHECK_FALSE(tg::is_anomaly_enabled());
  y.sum().backward();  // outside anomaly mode the NaN just flows
  CHECK(std::isnan(x.grad().select(0, 0).item<double>()));
}

TEST_CASE("anomaly mode changes the hint of the saved-tensor error", "[autograd][anomaly]") {
  tg::autograd::DetectAnomalyGuard anomaly;
  auto x = tg::tensor({1.0}, tg::requires_grad());
  auto y = x * 1.0;
  auto z = y * y;
  y.add_(1.0);
  CHECK_THROWS_WITH(z.backward(), Catch::EndsWith("Hint: the backtrace further above shows the operation that failed to "
                                                  "compute its gradient. The variable in question was changed in there "
                                                  "or anywhere later. Good luck!"));
}

TEST_CASE("saved-tensor hooks: pack once, unpack on every access, innermost wins", "[autograd][saved_hooks]") {
  auto x = tg::tensor({1.0, 2.0}, tg::requires_grad());
  int packs = 0, unpacks = 0, inner_packs = 0;
  tg::Tensor y;
  {
    tg::autograd::graph::saved_tensors_hooks outer(
        [&](const tg::Tensor& t) -> std::any {
          ++packs;
          return t;
        },
        [&](const std::any& a) {
          ++unpacks;
          return std::any_cast<tg::Tensor>(a);
        });
    y = x * x;  // saves x twice
    {
      tg::autograd::graph::saved_tensors_hooks inner(
          [&](const tg::Tensor& t) -> std::any {
            ++inner_packs;
            return t;
          },
          [](const std::any& a) { return std::any_cast<tg::Tensor>(a); });
      auto z = tg::sin(x);
      (void)z;
    }
  }
  CHECK(packs == 2);
  CHECK(inner_packs == 1);
  y.sum().backward({}, true);
  CHECK(unpacks == 2);
  y.sum().backward();
  CHECK(unpacks == 4);
  CHECK(x.grad().select(0, 1).item<double>() == 8.0);
}

TEST_CASE("save_on_cpu: saved tensors are copies taken at save time", "[autograd][saved_hooks]") {
  auto x = tg::tensor({1.0, 2.0}, tg::requires_grad());
  auto a = x * 1.0;
  tg::Tensor y;
  {
    tg::autograd::graph::save_on_cpu hooks;
    y = (a * a).sum();  // MulBackward0 saves a twice, as copies
  }
  a.mul_(10.0);  // without the hooks, backward would refuse (a saved tensor was modified)
  y.backward();
  CHECK(x.grad().contiguous().data_ptr<double>()[0] == 2.0);  // 2 a at save time
  CHECK(x.grad().contiguous().data_ptr<double>()[1] == 4.0);
}

TEST_CASE("disable_saved_tensors_hooks refuses hooks while it lives, in both orders, and nests", "[autograd][saved_hooks][errors]") {
  const std::string message = "Saved tensors default hooks are disabled";
  {
    tg::autograd::graph::disable_saved_tensors_hooks off(message);
    CHECK_THROWS_WITH(tg::autograd::graph::save_on_cpu(), message);
    {
      tg::autograd::graph::disable_saved_tensors_hooks inner("inner message");
      CHECK_THROWS_WITH(tg::autograd::graph::save_on_cpu(), "inner message");
    }
    CHECK_THROWS_WITH(tg::autograd::graph::save_on_cpu(), message);  // the enclosing message is back
  }
  CHECK_NOTHROW(tg::autograd::graph::save_on_cpu());  // enabled again
  {
    tg::autograd::graph::save_on_cpu hooks;
    CHECK_THROWS_WITH(tg::autograd::graph::disable_saved_tensors_hooks(message), message);
  }
  CHECK_NOTHROW(tg::autograd::graph::save_on_cpu());  // the failed disable left nothing behind
  // Thread-local, like the hooks themselves.
  tg::autograd::graph::disable_saved_tensors_hooks off(message);
  bool other_thread_ok = false;
  std::thread t([&] {
    tg::autograd::graph::save_on_cpu hooks;
    other_thread_ok = true;
  });
  t.join();
  CHECK(other_thread_ok);
}

TEST_CASE("a pack hook modifying its input in place is an error", "[autograd][saved_hooks][errors]") {
  auto x = tg::tensor({1.0}, tg::requires_grad());
  auto y = x * 1.0;
  tg::autograd::graph::saved_tensors_hooks hooks(
      [](const tg::Tensor& t) -> std::any {
        t.add_(1.0);
        return t;
      },
      [](const std::any& a) { return std::any_cast<tg::Tensor>(a); });
  CHECK_THROWS_WITH(y * y, Catch::StartsWith("A saved tensor pack hook is modifying its input in place."));
}
