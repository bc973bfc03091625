#pragma once
/// \file tensor/storage.hpp
/// The memory behind tensors: tg::Storage (a 64-byte-aligned, zero-initialised byte buffer
/// shared by a tensor and all its views) and tg::VersionCounter (the in-place modification
/// count shared by a tensor, its views and its detached aliases, like torch's VariableVersion).
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>

namespace typegrad {

/// A fixed-size byte buffer. Aligned to 64 bytes (a cache line, and enough for any SIMD load).
/// Zero-filled unless made `uninitialized` (for kernel outputs that are written whole), so
/// `empty()` tensors have defined contents (torch leaves them garbage). Buffers of up to
/// `inline_capacity` bytes live inside the Storage object itself: a 0-d or tiny tensor costs
/// one allocation, not two (the per-operation overhead of scalar graphs is mostly malloc).
class Storage {
 public:
  static constexpr std::size_t alignment = 64;
  static constexpr std::size_t inline_capacity = 64;
  struct uninitialized_t {};
  static constexpr uninitialized_t uninitialized{};

  explicit Storage(std::size_t nbytes) : Storage(nbytes, uninitialized) { std::memset(data_, 0, nbytes == 0 ? 1 : nbytes); }
  Storage(std::size_t nbytes, uninitialized_t) : nbytes_(nbytes) {
    // Always at least one byte so data() is never null (also for 0-element tensors).
    data_ = nbytes <= inline_capacity ? inline_ : static_cast<std::byte*>(::operator new[](nbytes, std::align_val_t{alignment}));
  }
  ~Storage() {
    if (data_ != inline_) ::operator delete[](data_, std::align_val_t{alignment});
  }
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  std::byte* data() noexcept { return data_; }
  const std::byte* data() const noexcept { return data_; }
  std::size_t nbytes() const noexcept { return nbytes_; }

 private:
  std::size_t nbytes_;
  std::byte* data_;
  alignas(alignment) std::byte inline_[inline_capacity];
};

/// Counts in-place modifications. One counter is shared by a tensor and every view of it; the
/// autograd engine records `version()` when it saves a tensor and compares on use. Atomic
/// because tensors may be modified from several threads (torch's counter is atomic too).
class VersionCounter {
 public:
  std::uint32_t version() const noexcept { return version_.load(std::memory_order_relaxed); }
  /// One in-place modification happened.
  void bump() noexcept { version_.fetch_add(1, std::memory_order_relaxed); }

 private:
  std::atomic<std::uint32_t> version_{0};
};

}  // namespace typegrad
