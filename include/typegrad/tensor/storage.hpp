#pragma once
/// \file tensor/storage.hpp
/// The memory behind tensors: tg::Storage (a 64-byte-aligned, zero-initialised byte buffer
/// shared by a tensor and all its views; large ones recycled through a small cache) and tg::VersionCounter (the in-place modification
/// count shared by a tensor, its views and its detached aliases, like torch's VariableVersion).
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <vector>

namespace typegrad {

namespace detail {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool sanitized_build = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool sanitized_build = true;
#else
inline constexpr bool sanitized_build = false;
#endif
#else
inline constexpr bool sanitized_build = false;
#endif

/// Large buffers freed recently, kept for reuse by the next buffer of the same size. glibc
/// maps every block over 32 MiB afresh and unmaps it on free, so a training loop over 10^7
/// floats would otherwise spend most of its time in page faults zeroing new pages. Blocks of
/// at least `min_bytes` are kept, `max_cached_bytes` in all; sizes must match exactly (after
/// rounding to pages), as they do from one iteration to the next. Off under AddressSanitizer,
/// whose use-after-free checks need every block really freed.
class block_cache {
 public:
  static constexpr std::size_t min_bytes = std::size_t{1} << 20;
  static constexpr std::size_t max_cached_bytes = std::size_t{512} << 20;
  static constexpr std::size_t page = 4096;
  static constexpr std::align_val_t alignment{64};

  /// Cached sizes are whole pages (small buffers keep their exact size).
  static std::size_t rounded(std::size_t nbytes) noexcept {
    return nbytes >= min_bytes ? (nbytes + page - 1) / page * page : nbytes;
  }

  std::byte* allocate(std::size_t nbytes) {
    const std::size_t size = rounded(nbytes);
    if (!sanitized_build && size >= min_bytes) {
      std::lock_guard<std::mutex> lock(mutex_);
      for (std::size_t i = blocks_.size(); i-- > 0;) {
        if (blocks_[i].size == size) {
          std::byte* p = blocks_[i].data;
          cached_ -= size;
          blocks_.erase(blocks_.begin() + static_cast<std::ptrdiff_t>(i));
          return p;
        }
      }
    }
    return static_cast<std::byte*>(::operator new[](size, alignment));
  }

  void deallocate(std::byte* p, std::size_t nbytes) noexcept {
    const std::size_t size = rounded(nbytes);
    if (!sanitized_build && size >= min_bytes) {
      std::lock_guard<std::mutex> lock(mutex_);
      // the oldest blocks make room for the newest: a loop's sizes are the recent ones
      while (!blocks_.empty() && cached_ + size > max_cached_bytes) {
        ::operator delete[](blocks_.front().data, alignment);
        cached_ -= blocks_.front().size;
        blocks_.erase(blocks_.begin());
      }
      if (cached_ + size <= max_cached_bytes) {
        blocks_.push_back({p, size});
        cached_ += size;
        return;
      }
    }
    ::operator delete[](p, alignment);
  }

  /// Frees every cached block (the memory goes back to the system).
  void release() noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& b : blocks_) ::operator delete[](b.data, alignment);
    blocks_.clear();
    cached_ = 0;
  }

  std::size_t cached_bytes() const noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    return cached_;
  }

 private:
  struct block {
    std::byte* data;
    std::size_t size;
  };
  mutable std::mutex mutex_;
  std::vector<block> blocks_;
  std::size_t cached_ = 0;
};

/// The process's cache (never destroyed: tensors in static storage may outlive any destructor order).
inline block_cache& large_blocks() {
  static block_cache* cache = new block_cache;
  return *cache;
}

}  // namespace detail

/// Returns the large tensor buffers typegrad keeps for reuse to the system (as
/// torch.cuda.empty_cache does for CUDA's caching allocator).
inline void empty_cache() noexcept { detail::large_blocks().release(); }

/// A fixed-size byte buffer. Zero-filled unless made `uninitialized` (for kernel outputs that
/// are written whole), so `empty()` tensors have defined contents (torch leaves them garbage).
/// Buffers of up to `inline_capacity` bytes live inside the Storage object itself: a 0-d or
/// tiny tensor costs one allocation, not two (the per-operation overhead of scalar graphs is
/// mostly malloc). Larger buffers are aligned to `alignment` (a cache line, enough for any SIMD
/// load); inline ones to `inline_alignment` (malloc's, enough for any element type; no kernel
/// needs more: they load unaligned). A 64-byte aligned Storage object would go through
/// malloc's slow aligned path on every tensor: measured, 1.3x the time of a 0-d operation.
class Storage {
 public:
  static constexpr std::size_t alignment = 64;
  static constexpr std::size_t inline_capacity = 64;
  static constexpr std::size_t inline_alignment = alignof(std::max_align_t);
  struct uninitialized_t {};
  static constexpr uninitialized_t uninitialized{};

  explicit Storage(std::size_t nbytes) : Storage(nbytes, uninitialized) { std::memset(data_, 0, nbytes == 0 ? 1 : nbytes); }
  Storage(std::size_t nbytes, uninitialized_t) : nbytes_(nbytes) {
    // Always at least one byte so data() is never null (also for 0-element tensors).
    data_ = nbytes <= inline_capacity ? inline_ : detail::large_blocks().allocate(nbytes);
  }
  ~Storage() {
    if (data_ != inline_) detail::large_blocks().deallocate(data_, nbytes_);
  }
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  std::byte* data() noexcept { return data_; }
  const std::byte* data() const noexcept { return data_; }
  std::size_t nbytes() const noexcept { return nbytes_; }

 private:
  std::size_t nbytes_;
  std::byte* data_;
  alignas(inline_alignment) std::byte inline_[inline_capacity];
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
