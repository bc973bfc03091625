#pragma once
/// \file autograd/node_table.hpp
/// The per-node state of one backward pass (dependency count and input buffer), in one
/// open-addressing table keyed by the node's address. A node-based std::unordered_map costs an
/// allocation per entry, and a graph of scalar operations has an entry per operation: with two
/// such maps that was a quarter of the engine's allocations.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include <typegrad/tensor/tensor.hpp>

namespace typegrad::autograd {

class Node;

namespace detail {

class node_table {
 public:
  struct entry {
    Node* node = nullptr;
    /// Edges into the node whose gradient has not arrived yet.
    int dependencies = 0;
    /// The gradients that arrived, one slot per forward output of the node (created on arrival).
    tensor_list buffer;
  };

  /// The node's entry, created (zero dependencies, empty buffer) if missing. Adding entries
  /// moves the others: do not keep a reference across a call that may insert.
  entry& operator[](Node* node) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    entry& e = slot_of(node);
    if (e.node == nullptr) {
      e.node = node;
      ++size_;
    }
    return e;
  }
  /// The node's entry, or null.
  entry* find(const Node* node) noexcept {
    if (slots_.empty()) return nullptr;
    entry& e = slot_of(node);
    return e.node != nullptr ? &e : nullptr;
  }
  bool contains(const Node* node) const noexcept { return const_cast<node_table*>(this)->find(node) != nullptr; }

 private:
  /// The slot holding `node`, or the empty slot where it belongs (linear probing; the table is
  /// at most half full, so an empty slot is always found).
  entry& slot_of(const Node* node) noexcept {
    const std::size_t mask = slots_.size() - 1;
    // Fibonacci hashing: node addresses are aligned, their low bits carry nothing
    std::size_t i = static_cast<std::size_t>((reinterpret_cast<std::uintptr_t>(node) * 0x9E3779B97F4A7C15ull) >> shift_);
    while (slots_[i].node != nullptr && slots_[i].node != node) i = (i + 1) & mask;
    return slots_[i];
  }
  void grow() {
    std::vector<entry> old = std::exchange(slots_, std::vector<entry>(slots_.empty() ? 64 : 2 * slots_.size()));
    shift_ = 64 - static_cast<unsigned>(std::countr_zero(slots_.size()));
    for (auto& e : old) {
      if (e.node != nullptr) slot_of(e.node) = std::move(e);
    }
  }

  std::vector<entry> slots_;
  std::size_t size_ = 0;
  unsigned shift_ = 64;
};

}  // namespace detail
}  // namespace typegrad::autograd
