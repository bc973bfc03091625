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

/// A fixed-size byte buffer. Aligned to 64 bytes (a cache line, and enough for any SIMD load)
/// and zero-filled, so `empty()` tensors have defined contents (torch leaves them garbage).
class Storage {
 public:
  static constexpr std::size_t alignment = 64;

  explicit Storage(std::size_t nbytes) : nbytes_(nbytes), data_(allocate(nbytes)) {}
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  std::byte* data() noexcept { return data_.get(); }
  const std::byte* data() const noexcept { return data_.get(); }
  std::size_t nbytes() const noexcept { return nbytes_; }

 private:
  struct aligned_delete {
    void operator()(std::byte* p) const noexcept { ::operator delete[](p, std::align_val_t{alignment}); }
  };
  static std::unique_ptr<std::byte[], aligned_delete> allocate(std::size_t nbytes) {
    // Always allocate at least one byte so data() is never null (also for 0-element tensors).
    const std::size_t n = nbytes == 0 ? 1 : nbytes;
    auto* p = static_cast<std::byte*>(::operator new[](n, std::align_val_t{alignment}));
    std::memset(p, 0, n);
    return std::unique_ptr<std::byte[], aligned_delete>(p);
  }

  std::size_t nbytes_;
  std::unique_ptr<std::byte[], aligned_delete> data_;
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
