// tg::Storage: aligned, zero-filled buffers; large ones recycled through the block cache.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>

#include <typegrad/dynamic.hpp>

namespace tg = typegrad;

TEST_CASE("large buffers are reused by the next buffer of the same size, zero-filled again", "[tensor][storage]") {
  auto& cache = tg::detail::large_blocks();
  tg::empty_cache();
  CHECK(cache.cached_bytes() == 0);
  const std::size_t big = (std::size_t{3} << 20) + 100;  // 3 MiB and a bit: cached in whole pages
  const std::byte* first = nullptr;
  {
    tg::Storage s(big);
    first = s.data();
    CHECK(reinterpret_cast<std::uintptr_t>(s.data()) % tg::Storage::alignment == 0);
    std::memset(s.data(), 0xab, big);
  }
  if (tg::detail::sanitized_build) {
    CHECK(cache.cached_bytes() == 0);  // AddressSanitizer must see every block freed
    return;
  }
  CHECK(cache.cached_bytes() == tg::detail::block_cache::rounded(big));
  {
    tg::Storage again(big);
    CHECK(again.data() == first);
    CHECK(cache.cached_bytes() == 0);
    bool zero = true;
    for (std::size_t i = 0; i < big; ++i) zero = zero && again.data()[i] == std::byte{0};
    CHECK(zero);  // a recycled block is zero-filled like a new one
  }
  {
    tg::Storage other(big * 2);  // another size: not served from the cache
    CHECK(cache.cached_bytes() == tg::detail::block_cache::rounded(big));
  }
  // small buffers are never cached
  { tg::Storage small(4096); }
  CHECK(cache.cached_bytes() == tg::detail::block_cache::rounded(big) + tg::detail::block_cache::rounded(big * 2));
  tg::empty_cache();
  CHECK(cache.cached_bytes() == 0);
}

TEST_CASE("the block cache keeps at most its limit, evicting the oldest blocks", "[tensor][storage]") {
  if (tg::detail::sanitized_build) return;
  auto& cache = tg::detail::large_blocks();
  tg::empty_cache();
  const std::size_t block = tg::detail::block_cache::max_cached_bytes / 4;
  {
    const auto u = tg::Storage::uninitialized;
    tg::Storage a(block, u), b(block + 4096, u), c(block + 8192, u), d(block + 12288, u), e(block + 16384, u);
  }  // five blocks freed into a cache that holds four of them
  CHECK(cache.cached_bytes() <= tg::detail::block_cache::max_cached_bytes);
  CHECK(cache.cached_bytes() >= 3 * block);
  tg::empty_cache();
}
