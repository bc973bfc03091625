// The engine: scheduling order, unneeded nodes skipped, reentrant backward, threads, graph
// task ids, memory release (spec/autograd.md §1-3, acceptance tests 26, 44-50).
#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <typegrad/dynamic.hpp>

namespace tg = typegrad;
using hook_result = std::optional<tg::tensor_list>;

TEST_CASE("nodes no input needs do not run", "[autograd][engine]") {
  auto x = tg::tensor({1.0}, tg::requires_grad());
  auto w = tg::tensor({2.0}, tg::requires_grad());
  auto a = x * 2.0;
  auto b = w * 3.0;
  bool b_ran = false;
  b.grad_fn()->register_prehook([&](const tg::tensor_list&) -> hook_result {
    b_ran = true;
    return std::nullopt;
  });
  auto y = (a * b).sum();
  tg::autograd::grad({y}, {x}, {}, true);
  CHECK_FALSE(b_ran);
  y.backward();
  CHECK(b_ran);
}

TEST_CASE("newer nodes run first - a node runs once all its gradients are in", "[autograd][engine]") {
  auto x = tg::tensor(1.0, tg::requires_grad());
  std::vector<std::string> order;
  auto a = x * 2.0;
  auto b = x * 3.0;  // created after a: runs before a
  auto c = a + b;
  auto d = c * a;  // a gets gradients from c and d
  for (auto* t : {&a, &b, &c, &d}) {
    t->grad_fn()->register_prehook([&order, name = t == &a ? "a" : t == &b ? "b" : t == &c ? "c" : "d"](
                                       const tg::tensor_list&) -> hook_result {
      order.push_back(name);
      return std::nullopt;
    });
  }
  d.backward();
  CHECK(order == std::vector<std::string>{"d", "c", "b", "a"});
  CHECK(x.grad().item<double>() == Approx(2.0 * (2.0 + 3.0) * 1.0 + 2.0 * 5.0));  // d = (5x)(2x): 20x
}

TEST_CASE("reentrant backward: a hook may run a backward of its own", "[autograd][engine][reentrant]") {
  auto x = tg::tensor(2.0, tg::requires_grad());
  auto inner_leaf = tg::tensor(3.0, tg::requires_grad());
  auto y = x * x;
  std::int64_t outer_id = -1, inner_id = -1;
  y.grad_fn()->register_prehook([&](const tg::tensor_list&) -> hook_result {
    outer_id = tg::autograd::current_graph_task_id();
    tg::EnableGradGuard grad_mode;  // backward runs without grad mode (create_graph is false)
    auto inner = inner_leaf * inner_leaf;
    inner.grad_fn()->register_prehook([&](const tg::tensor_list&) -> hook_result {
      inner_id = tg::autograd::current_graph_task_id();
      return std::nullopt;
    });
    inner.backward();
    return std::nullopt;
  });
  y.backward();
  CHECK(x.grad().item<double>() == 4.0);
  CHECK(inner_leaf.grad().item<double>() == 6.0);
  CHECK(inner_id > outer_id);
  CHECK(tg::autograd::current_graph_task_id() == -1);
}

TEST_CASE("an error inside a reentrant backward reaches the outer caller", "[autograd][engine][reentrant]") {
  auto x = tg::tensor(2.0, tg::requires_grad());
  auto y = x * x;
  y.grad_fn()->register_prehook([&](const tg::tensor_list&) -> hook_result {
    tg::tensor(1.0).backward();  // no grad: raises
    return std::nullopt;
  });
  CHECK_THROWS_WITH(y.backward(), "element 0 of tensors does not require grad and does not have a grad_fn");
}

TEST_CASE("deep reentrant backward", "[autograd][engine][reentrant]") {
  // each level's backward starts the next level's backward from inside a hook
  const int depth = 200;
  std::function<double(int)> level = [&](int k) -> double {
    auto x = tg::tensor(1.0, tg::requires_grad());
    auto y = x * 2.0;
    if (k < depth) {
      y.grad_fn()->register_prehook([&, k](const tg::tensor_list&) -> hook_result {
        tg::EnableGradGuard grad_mode;
        level(k + 1);
        return std::nullopt;
      });
    }
    y.backward();
    return x.grad().item<double>();
  };
  CHECK(level(0) == 2.0);
}

TEST_CASE("graph task ids increase per backward", "[autograd][engine]") {
  auto x = tg::tensor(1.0, tg::requires_grad());
  std::vector<std::int64_t> ids;
  auto y = x * 2.0;
  y.grad_fn()->register_prehook([&](const tg::tensor_list&) -> hook_result {
    ids.push_back(tg::autograd::current_graph_task_id());
    return std::nullopt;
  });
  y.backward({}, true);
  y.backward({}, true);
  REQUIRE(ids.size() == 2);
  CHECK(ids[1] > ids[0]);
}

TEST_CASE("backward on 10 threads: independent graphs, and one shared leaf", "[autograd][engine][threads]") {
  const int threads = 10;
  auto shared = tg::tensor({1.0, 2.0, 3.0}, tg::requires_grad());
  std::vector<tg::Tensor> own(threads);
  std::vector<std::thread> pool;
  std::atomic<int> failures{0};
  for (int k = 0; k < threads; ++k) {
    own[static_cast<std::size_t>(k)] = tg::tensor({1.0 * k, 2.0}, tg::requires_grad());
    pool.emplace_back([&, k] {
      try {
        const auto& mine = own[static_cast<std::size_t>(k)];
        for (int r = 0; r < 20; ++r) {
          auto y = (mine * mine).sum() + (shared * 1.0).sum();
          y.backward();
        }
      } catch (...) {
        ++failures;
      }
    });
  }
  for (auto& t : pool) t.join();
  CHECK(failures == 0);
  for (int k = 0; k < threads; ++k) {
    CHECK(own[static_cast<std::size_t>(k)].grad().select(0, 0).item<double>() == 20 * 2.0 * k);
  }
  CHECK(shared.grad().select(0, 2).item<double>() == 200.0);  // every accumulation counted
}

TEST_CASE("two threads through one graph need retain_graph", "[autograd][engine][threads]") {
  auto x = tg::tensor({1.0}, tg::requires_grad());
  auto y = (x * x).sum();
  y.backward({}, true);
  std::atomic<int> errors{0};
  std::thread a([&] {
    try {
      y.backward();
    } catch (const tg::Error&) {
      ++errors;
    }
  });
  a.join();
  CHECK_THROWS_WITH(y.backward(), Catch::StartsWith("Trying to backward through the graph a second time"));
  CHECK(errors == 0);
}

TEST_CASE("graphs are freed after backward, also when hooks capture their tensors", "[autograd][engine][memory]") {
  std::weak_ptr<tg::autograd::Node> node;
  {
    auto x = tg::tensor({1.0}, tg::requires_grad());
    auto y = tg::exp(x) * 2.0;  // ExpBackward0 saves its own output
    node = y.grad_fn();
    y.sum().backward();
  }
  CHECK(node.expired());
  {
    auto x = tg::tensor({1.0}, tg::requires_grad());
    auto y = x * 2.0;
    node = y.grad_fn();
    y.register_hook([y](const tg::Tensor& g) { return g * 1.0; });  // the hook holds y, y holds the node
    y.sum().backward();
  }
  CHECK(node.expired());
}
