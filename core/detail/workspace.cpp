// The cache of blocks behind the kernels' Buffers (core/detail/workspace.hpp).

#include <cstdlib>
#include <map>
#include <mutex>
#include <new>

#include "core/detail/workspace.hpp"

namespace grutape::detail {
namespace {

// The cache keeps at most this many bytes of free blocks; more is given back to the system.
// It holds the workspace of one large call (e.g. 300 steps x 20 samples x 800 units in
// float32 needs about 200 MB for forward and backward).
constexpr std::size_t kBlockCacheBytes = std::size_t{256} << 20;

// Blocks are multiples of a page, so that similar requests share blocks.
std::size_t page_rounded(std::size_t bytes) {
  return (bytes + 4095) / 4096 * 4096;
}

class BlockCache {
 public:
  // Takes a block of at least `bytes` and sets `bytes` to its size.
  void* acquire(std::size_t& bytes) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      // The smallest free block that fits, unless it is more than twice the request.
      const auto found = free_.lower_bound(bytes);
      if (found != free_.end() && found->first <= 2 * bytes) {
        void* block = found->second;
        bytes = found->first;
        held_ -= found->first;
        free_.erase(found);
        return block;
      }
    }
    void* block = std::aligned_alloc(64, bytes);
    if (!block) throw std::bad_alloc();
    return block;
  }

  void release(void* block, std::size_t bytes) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (held_ + bytes <= kBlockCacheBytes) {
        free_.emplace(bytes, block);
        held_ += bytes;
        return;
      }
    }
    std::free(block);
  }

 private:
  std::mutex mutex_;
  std::multimap<std::size_t, void*> free_;
  std::size_t held_ = 0;
};

// Never destroyed: Buffers in static objects may give blocks back during exit.
BlockCache& block_cache() {
  static BlockCache* instance = new BlockCache;
  return *instance;
}

}  // namespace

void* acquire_block(std::size_t& bytes) {
  bytes = page_rounded(bytes);
  return block_cache().acquire(bytes);
}

void release_block(void* block, std::size_t bytes) {
  if (block) block_cache().release(block, bytes);
}

}  // namespace grutape::detail
