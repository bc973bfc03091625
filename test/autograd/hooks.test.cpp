// Tensor hooks, node pre/post hooks, retain_grad, post-accumulate-grad hooks and their order
// (spec/autograd.md §2, acceptance tests 1-16 in our own words).
#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <typegrad/dynamic.hpp>

#include "support/tensor_values.hpp"

namespace tg = typegrad;
using hook_result = std::optional<tg::tensor_list>;

namespace {
tg::Tensor scalar_leaf(double v) { return tg::tensor(v, tg::requires_grad()); }
double item(const tg::Tensor& t) { return t.item<double>(); }
}  // namespace

TEST_CASE("tensor hooks see the gradient, may replace it, count calls and can be removed", "[autograd][hooks]") {
  auto x = scalar_leaf(2.0);
  auto y = x * 3.0;
  int calls = 0;
  auto h1 = y.register_hook([&](const tg::Tensor& g) {
    ++calls;
    CHECK(item(g) == 1.0);
    return g * 10.0;
  });
  y.backward({}, true);
  CHECK(calls == 1);
  CHECK(item(x.grad()) == 30.0);
  h1.remove();
  h1.remove();  // removing twice is fine
  y.backward({}, true);
  CHECK(calls == 1);
  CHECK(item(x.grad()) == 33.0);
  // a hook returning nullopt (or nothing) leaves the gradient unchanged
  auto h2 = x.register_hook([](const tg::Tensor&) -> std::optional<tg::Tensor> { return std::nullopt; });
  y.backward({}, true);
  CHECK(item(x.grad()) == 36.0);
  h2.remove();
}

TEST_CASE("hooks are not called for gradients that do not flow", "[autograd][hooks]") {
  auto x = scalar_leaf(1.0);
  auto w = scalar_leaf(2.0);
  auto y = x * w;
  bool called = false;
  w.register_hook([&](const tg::Tensor&) { called = true; });
  tg::autograd::grad({y}, {x});  // w's gradient is never computed
  CHECK_FALSE(called);
}

TEST_CASE("registering a hook needs requires_grad", "[autograd][hooks][errors]") {
  auto c = tg::tensor(1.0);
  CHECK_THROWS_WITH(c.register_hook([](const tg::Tensor& g) { return g; }),
                    "cannot register a hook on a tensor that doesn't require gradient");
  CHECK_THROWS_WITH(c.retain_grad(), "can't retain_grad on Tensor that has requires_grad=False");
}

TEST_CASE("node pre-hooks may replace the gradients - nullopt is a no-op", "[autograd][hooks]") {
  auto x = scalar_leaf(1.0);
  auto y = x * 2.0;
  auto noop = y.grad_fn()->register_prehook([](const tg::tensor_list&) -> hook_result { return std::nullopt; });
  y.backward({}, true);
  CHECK(item(x.grad()) == 2.0);
  auto doubling = y.grad_fn()->register_prehook([](const tg::tensor_list& gs) -> hook_result {
    return tg::tensor_list{gs[0] * 2.0};
  });
  y.backward({}, true);
  CHECK(item(x.grad()) == 6.0);
  doubling.remove();
  noop.remove();
  y.backward({}, true);
  CHECK(item(x.grad()) == 8.0);
}

TEST_CASE("node post-hooks see (grad_inputs, grad_outputs) and may replace grad_inputs", "[autograd][hooks]") {
  auto x = scalar_leaf(3.0);
  auto w = scalar_leaf(4.0);
  auto y = x * w;
  y.grad_fn()->register_hook([&](const tg::tensor_list& grad_inputs, const tg::tensor_list& grad_outputs) -> hook_result {
    REQUIRE(grad_inputs.size() == 2);
    REQUIRE(grad_outputs.size() == 1);
    CHECK(item(grad_outputs[0]) == 1.0);
    CHECK(item(grad_inputs[0]) == 4.0);
    CHECK(item(grad_inputs[1]) == 3.0);
    return tg::tensor_list{grad_inputs[0], grad_inputs[1] * 0.0};
  });
  y.backward();
  CHECK(item(x.grad()) == 4.0);
  CHECK(item(w.grad()) == 0.0);
}

TEST_CASE("AccumulateGrad: hooks with empty grad_inputs, shared by all uses of the leaf", "[autograd][hooks][graph]") {
  auto a = scalar_leaf(1.0);
  auto b = a.clone();
  auto c = a * 2.0;
  auto acc = b.grad_fn()->next_functions()[0].first;
  CHECK(acc == c.grad_fn()->next_functions()[0].first);
  CHECK(acc->name() == "torch::autograd::AccumulateGrad");
  CHECK(acc->next_functions().empty());
  CHECK(dynamic_cast<tg::autograd::AccumulateGrad&>(*acc).variable().is_same(a));
  a.register_hook([](const tg::Tensor& g) { return g * 2.0; });
  bool post = false, pre = false;
  acc->register_hook([&](const tg::tensor_list& grad_inputs, const tg::tensor_list& grad_outputs) -> hook_result {
    CHECK(grad_inputs.empty());
    CHECK(item(grad_outputs[0]) == 2.0);  // after the tensor hook
    post = true;
    return std::nullopt;
  });
  acc->register_prehook([&](const tg::tensor_list& gs) -> hook_result {
    CHECK(gs.size() == 1);
    CHECK(item(gs[0]) == 2.0);
    pre = true;
    return std::nullopt;
  });
  b.backward();
  CHECK(pre);
  CHECK(post);
}

TEST_CASE("hooks may be removed in the middle of backward", "[autograd][hooks]") {
  auto a = scalar_leaf(1.0);
  auto b = a * 2.0;
  auto c = b * 3.0;
  int calls = 0;
  tg::autograd::RemovableHandle later;
  c.grad_fn()->register_prehook([&](const tg::tensor_list&) -> hook_result {
    later.remove();  // b's node has not run yet
    return std::nullopt;
  });
  later = b.grad_fn()->register_prehook([&](const tg::tensor_list&) -> hook_result {
    ++calls;
    return std::nullopt;
  });
  c.backward();
  CHECK(calls == 0);
  CHECK(item(a.grad()) == 6.0);
}

TEST_CASE("tensor hooks run before the node's pre-hooks (torch's current order)", "[autograd][hooks][order]") {
  std::vector<int> log;
  auto hook1 = [&](const tg::Tensor& g) {
    log.push_back(1);
    return g * 3.0;
  };
  auto hook2 = [&](const tg::tensor_list& gs) -> hook_result {
    log.push_back(2);
    tg::tensor_list r;
    for (const auto& g : gs) r.push_back(g * 2.0);
    return r;
  };
  auto a = scalar_leaf(1.0);
  auto b = a.clone();
  b.grad_fn()->register_prehook(hook2);
  b.register_hook(hook1);
  b.grad_fn()->register_prehook(hook2);
  auto acc = b.grad_fn()->next_functions()[0].first;
  a.register_hook(hook1);
  acc->register_prehook(hook2);
  a.register_hook(hook1);

  b.sum().backward({}, true);
  CHECK(log == std::vector<int>{1, 2, 2, 1, 1, 2});
  // grad() runs the input's tensor hooks but not its node (nor the node's hooks)
  log.clear();
  tg::autograd::grad({b.sum()}, {a}, {}, true);
  CHECK(log == std::vector<int>{1, 2, 2, 1, 1});
  // backward(inputs=b) runs b's node but nothing below it; b.grad sees only the tensor hook
  log.clear();
  b.sum().backward({}, std::nullopt, false, {b});
  CHECK(log == std::vector<int>{1, 2, 2});
  CHECK(item(b.grad()) == 3.0);
}

TEST_CASE("retain_grad: a non-leaf's .grad accumulates and sees every tensor hook", "[autograd][hooks][retain_grad]") {
  auto a = scalar_leaf(2.0);
  auto b = a * 3.0;
  CHECK_FALSE(b.retains_grad());
  b.retain_grad();
  b.retain_grad();  // twice is fine
  CHECK(b.retains_grad());
  b.register_hook([](const tg::Tensor& g) { return g * 5.0; });  // registered after retain_grad, still seen
  (b * b).backward({}, true);
  CHECK(item(b.grad()) == 2.0 * 6.0 * 5.0);
  (b * b).backward();
  CHECK(item(b.grad()) == 2.0 * 2.0 * 6.0 * 5.0);
  a.retain_grad();  // a leaf: no-op
  CHECK_FALSE(a.retains_grad());
}

TEST_CASE("retain_grad follows an in-place update to the new grad_fn", "[autograd][hooks][retain_grad]") {
  auto a = scalar_leaf(2.0);
  auto b = a * 1.0;
  b.retain_grad();
  b.mul_(2.0);
  (b * 3.0).backward();
  CHECK(item(b.grad()) == 3.0);
  CHECK(item(a.grad()) == 6.0);
}

TEST_CASE("tensor hooks bind to the grad_fn current when they are registered", "[autograd][hooks]") {
  auto a = scalar_leaf(1.0);
  auto b = a * 1.0;
  std::vector<std::string> log;
  b.register_hook([&](const tg::Tensor& g) {
    log.push_back("old");
    return g;
  });
  b.add_(1.0);
  b.register_hook([&](const tg::Tensor& g) {
    log.push_back("new");
    return g;
  });
  b.backward();
  CHECK(log == std::vector<std::string>{"new", "old"});
}

TEST_CASE("post-accumulate-grad hooks run after .grad is updated, leaves only", "[autograd][hooks]") {
  auto a = scalar_leaf(1.0);
  std::vector<double> seen;
  a.register_hook([](const tg::Tensor& g) { return g * 3.0; });
  a.register_post_accumulate_grad_hook([&](const tg::Tensor& p) { seen.push_back(item(p.grad())); });
  (a * 1.0).backward();
  (a * 1.0).backward();
  CHECK(seen == std::vector<double>{3.0, 6.0});
  auto b = a * 2.0;
  CHECK_THROWS_WITH(b.register_post_accumulate_grad_hook([](const tg::Tensor&) {}),
                    "post accumulate grad hooks cannot be registered on non-leaf tensors");
  auto c = scalar_leaf(1.0);
  c.register_post_accumulate_grad_hook([](const tg::Tensor& p) { return p; });
  CHECK_THROWS_WITH((c * 1.0).backward(), "hooks should return None.");
}

TEST_CASE("post-accumulate-grad hooks of leaves outside inputs stay silent", "[autograd][hooks]") {
  auto a = scalar_leaf(1.0);
  auto b = scalar_leaf(2.0);
  int calls = 0;
  a.register_post_accumulate_grad_hook([&](const tg::Tensor&) { ++calls; });
  (a * b).backward({}, std::nullopt, false, {b});
  CHECK(calls == 0);
  CHECK(item(b.grad()) == 1.0);
}

TEST_CASE("hook counts for grad() and backward() on the same graph", "[autograd][hooks]") {
  auto a = scalar_leaf(1.0);
  auto b = a * 2.0;
  int tensor_hook = 0, node_hook = 0;
  a.register_hook([&](const tg::Tensor& g) {
    ++tensor_hook;
    return g;
  });
  auto acc = b.grad_fn()->next_functions()[0].first;
  acc->register_prehook([&](const tg::tensor_list&) -> hook_result {
    ++node_hook;
    return std::nullopt;
  });
  tg::autograd::grad({b}, {a}, {}, true);
  CHECK(tensor_hook == 1);
  CHECK(node_hook == 0);
  b.backward({}, true);
  CHECK(tensor_hook == 2);
  CHECK(node_hook == 1);
}

TEST_CASE("the full relative order of hooks", "[autograd][hooks][order]") {
  std::vector<std::string> log;
  auto a = scalar_leaf(1.0);
  auto b = a * 2.0;
  b.retain_grad();
  auto acc = b.grad_fn()->next_functions()[0].first;
  b.grad_fn()->register_hook([&](const tg::tensor_list&, const tg::tensor_list&) -> hook_result {
    log.push_back("node post");
    return std::nullopt;
  });
  b.grad_fn()->register_prehook([&](const tg::tensor_list&) -> hook_result {
    log.push_back("node pre");
    CHECK(b.grad().defined());  // retain_grad already ran
    return std::nullopt;
  });
  b.register_hook([&](const tg::Tensor& g) {
    log.push_back("tensor");
    CHECK_FALSE(b.grad().defined());
    return g;
  });
  a.register_post_accumulate_grad_hook([&](const tg::Tensor&) { log.push_back("post accumulate"); });
  acc->register_hook([&](const tg::tensor_list&, const tg::tensor_list&) -> hook_result {
    log.push_back("accumulate post");
    return std::nullopt;
  });
  b.backward();
  CHECK(log == std::vector<std::string>{"tensor", "node pre", "node post", "post accumulate", "accumulate post"});
}

TEST_CASE("node metadata is a mutable dictionary, initially empty", "[autograd][graph]") {
  auto a = scalar_leaf(1.0);
  auto y = (a * 2.0).sum();
  CHECK(y.grad_fn()->metadata().empty());
  y.grad_fn()->metadata()["tag"] = std::string("loss");
  CHECK(std::any_cast<std::string>(y.grad_fn()->metadata().at("tag")) == "loss");
}

// ---- register_multi_grad_hook (spec/autograd.md §2 "Related", acceptance test 49) ----------------

namespace {
std::vector<bool> defined_flags(const tg::tensor_list& grads) {
  std::vector<bool> flags;
  for (const auto& g : grads) flags.push_back(g.defined());
  return flags;
}
}  // namespace

TEST_CASE("multi-grad hook, mode all: once per pass, after every gradient the pass computes", "[autograd][hooks][multi]") {
  auto a = tg::tensor({1.0, 2.0}, tg::requires_grad());
  auto b = tg::tensor({3.0, 5.0}, tg::requires_grad());
  auto c = a * b;
  auto d = a * b;
  int calls = 0;
  std::vector<bool> seen;
  tg::tensor_list last;
  auto handle = tg::autograd::graph::register_multi_grad_hook({a, b, c, d}, [&](const tg::tensor_list& grads) {
    ++calls;
    seen = defined_flags(grads);
    last = grads;
  });

  c.sum().backward({}, true);  // d is not in this graph: not waited for
  CHECK(calls == 1);
  CHECK(seen == std::vector<bool>{true, true, true, false});
  CHECK(test_support::values(last[0]) == test_support::values(b));  // the gradients themselves, in the order of the tensors
  CHECK(test_support::values(last[1]) == test_support::values(a));
  CHECK(test_support::values(last[2]) == test_support::values(tg::ones_like(c)));

  c.sum().backward({}, true, false, {a});  // inputs=(a,): b's gradient is not needed
  CHECK(calls == 2);
  CHECK(seen == std::vector<bool>{true, false, true, false});

  tg::autograd::grad({(c + d).sum()}, {b}, {}, true);  // grad(): the captured b counts too
  CHECK(calls == 3);
  CHECK(seen == std::vector<bool>{false, true, true, true});

  handle.remove();
  c.sum().backward({}, true);
  CHECK(calls == 3);
}

TEST_CASE("multi-grad hook, mode all: non-leaf, custom-function and leaf tensors together", "[autograd][hooks][multi]") {
  struct Identity : tg::autograd::Function<Identity> {
    static tg::Tensor forward(tg::autograd::AutogradContext*, const tg::Tensor& x) { return x.clone(); }
    static tg::tensor_list backward(tg::autograd::AutogradContext*, tg::tensor_list g) { return g; }
  };
  auto x1 = tg::tensor({1.0, 2.0}, tg::requires_grad());
  auto x2 = tg::tensor({3.0, 4.0}, tg::requires_grad());
  auto t1 = x1 * 2.0;              // a C++ node
  auto t2 = Identity::apply(x2);   // a custom function's node
  auto t3 = tg::sin(x1);
  auto t4 = tg::tensor({5.0, 6.0}, tg::requires_grad());  // a leaf
  int calls = 0;
  std::vector<bool> seen;
  auto handle = tg::autograd::graph::register_multi_grad_hook({t1, t2, t3, t4}, [&](const tg::tensor_list& grads) {
    ++calls;
    seen = defined_flags(grads);
  });
  auto out = t2 * t3;
  out.sum().backward({}, true, false, {t2, t3});
  CHECK(calls == 1);
  CHECK(seen == std::vector<bool>{false, true, true, false});
  out.sum().backward({}, true, false, {x2});  // t3 is not needed for x2
  CHECK(calls == 2);
  CHECK(seen == std::vector<bool>{false, true, false, false});
  (t1 * t4).sum().backward();
  CHECK(calls == 3);
  CHECK(seen == std::vector<bool>{true, false, false, true});
  handle.remove();
}

TEST_CASE("multi-grad hook, mode any: the first gradient of each pass, once", "[autograd][hooks][multi]") {
  auto t1 = tg::tensor({1.0, 2.0}, tg::requires_grad());
  auto t2 = tg::tensor({3.0, 4.0}, tg::requires_grad());
  auto t3 = tg::tensor({5.0, 6.0}, tg::requires_grad());
  auto plain = tg::tensor({7.0, 8.0});  // does not require grad: skipped
  int calls = 0;
  tg::Tensor first;
  auto handle = tg::autograd::graph::register_multi_grad_hook(
      {t1, t2, t3, plain},
      [&](const tg::Tensor& g) {
        ++calls;
        first = g;
      },
      "any");
  auto out = (t2 * t3 * 2.0).sum();
  out.backward({}, true);
  CHECK(calls == 1);
  const bool is_t2_grad = test_support::values(first) == test_support::values(t3 * 2.0), is_t3_grad = test_support::values(first) == test_support::values(t2 * 2.0);
  CHECK((is_t2_grad || is_t3_grad));
  out.backward({}, true);
  CHECK(calls == 2);
  (t1 * 2.0).sum().backward();
  CHECK(calls == 3);
  CHECK(test_support::values(first) == test_support::values(tg::full_like(t1, 2.0)));
  handle.remove();
  out.backward({}, true);
  CHECK(calls == 3);
}

TEST_CASE("multi-grad hooks count each pass apart: reentrant and concurrent passes", "[autograd][hooks][multi]") {
  auto a = tg::tensor({1.0, 2.0}, tg::requires_grad());
  auto b = tg::tensor({3.0, 4.0}, tg::requires_grad());
  std::atomic<int> all_calls{0}, any_calls{0}, incomplete{0};
  auto h_all = tg::autograd::graph::register_multi_grad_hook({a, b}, [&](const tg::tensor_list& grads) {
    ++all_calls;
    if (!grads[0].defined() || !grads[1].defined()) ++incomplete;
  });
  auto h_any = tg::autograd::graph::register_multi_grad_hook({a, b}, [&](const tg::Tensor&) { ++any_calls; }, "any");

  // A backward pass inside another's hook (on its own graph) is a pass of its own.
  auto outer_leaf = tg::tensor(1.0, tg::requires_grad());
  auto outer = outer_leaf * 2.0;
  outer.register_hook([&](const tg::Tensor&) {
    tg::AutoGradMode enable(true);  // backward runs its hooks with grad mode off, as torch does
    (a * b).sum().backward();
  });
  (outer * (a + b).sum()).backward();
  CHECK(all_calls == 2);
  CHECK(any_calls == 2);

  std::vector<std::thread> pool;
  for (int t = 0; t < 4; ++t) {
    pool.emplace_back([&] {
      for (int k = 0; k < 25; ++k) (a * b).sum().backward();
    });
  }
  for (auto& th : pool) th.join();
  CHECK(all_calls == 102);
  CHECK(any_calls == 102);
  CHECK(incomplete == 0);
  h_all.remove();
  h_any.remove();
}

TEST_CASE("multi-grad hooks keep no graph alive and check their arguments", "[autograd][hooks][multi][errors]") {
  auto a = tg::tensor({1.0, 2.0}, tg::requires_grad());
  std::weak_ptr<tg::autograd::Node> node;
  {
    auto c = a * 2.0;
    node = c.grad_fn();
    tg::autograd::graph::register_multi_grad_hook({a, c}, [](const tg::tensor_list&) {});
    // Without backward: the hook on c's node references nothing that owns the node.
  }
  CHECK(node.expired());

  auto plain = tg::tensor({1.0});
  CHECK_THROWS_WITH(tg::autograd::graph::register_multi_grad_hook({a, plain}, [](const tg::tensor_list&) {}),
                    "cannot register a hook on a tensor that doesn't require gradient");
  CHECK_THROWS_WITH(tg::autograd::graph::register_multi_grad_hook({a}, [](const tg::tensor_list&) {}, "some"),
                    "Expects mode to be one of ('all', 'any') but got some");
  CHECK_THROWS_WITH(tg::autograd::graph::register_multi_grad_hook({a}, [](const tg::Tensor&) {}, "all"),
                    Catch::Contains("pass a function of const tensor_list&"));
  CHECK_THROWS_WITH(tg::autograd::will_engine_execute_node(a.grad_fn()),
                    "_will_engine_execute_node should only be called during the backward pass");
  CHECK_THROWS_WITH(tg::autograd::queue_callback([] {}), "Final callbacks can only be installed during backward pass.");
}

TEST_CASE("queue_callback runs once the pass has executed its last node", "[autograd][hooks][multi]") {
  auto a = tg::tensor({1.0, 2.0}, tg::requires_grad());
  auto c = a * 3.0;
  std::vector<std::string> events;
  c.register_hook([&](const tg::Tensor&) {
    events.push_back("hook");
    tg::autograd::queue_callback([&] {
      events.push_back(a.grad().defined() ? "callback after accumulation" : "callback too early");
      tg::autograd::queue_callback([&] { events.push_back("queued by a callback"); });
    });
  });
  c.sum().backward();
  CHECK(events == std::vector<std::string>{"hook", "callback after accumulation", "queued by a callback"});
}
