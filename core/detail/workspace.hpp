#pragma once
// Aligned scratch memory for kernels that are called again and again with the same shapes (the
// fused GRU, the outer products of core/detail/outer_products.hpp), from a cache of the blocks
// earlier calls gave back. Not a public header.

#include <algorithm>
#include <cstddef>
#include <memory>

namespace grutape::detail {

/// Memory for Buffers: 64-byte aligned blocks of at least `bytes`, taken from a process-wide
/// cache of blocks earlier Buffers gave back when one fits (core/detail/workspace.cpp). A
/// training loop calls the kernel with the same shapes again and again; fresh memory from the
/// system would cost a page fault and a zeroed page per 4 KiB every call (measured: a third of a
/// batch-1 backward pass). `bytes` becomes the block's true size.
void* acquire_block(std::size_t& bytes);
/// Gives a block back to the cache (or to the system when the cache is full).
void release_block(void* block, std::size_t bytes);

/// An uninitialised, 64-byte aligned array owned by the kernel.
template <class T>
class Buffer {
 public:
  Buffer() = default;
  explicit Buffer(std::size_t size) : size_(size) {
    if (size == 0) return;
    std::size_t bytes = size * sizeof(T);
    data_.reset(static_cast<T*>(acquire_block(bytes)));
    data_.get_deleter().bytes = bytes;
  }
  T* data() { return data_.get(); }
  const T* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  struct Release {
    std::size_t bytes = 0;
    void operator()(T* p) const { release_block(p, bytes); }
  };
  std::unique_ptr<T, Release> data_;
  std::size_t size_ = 0;
};

/// A Buffer of `size` zeros.
template <class T>
Buffer<T> zero_buffer(std::size_t size) {
  Buffer<T> buffer(size);
  std::fill(buffer.data(), buffer.data() + size, T(0));
  return buffer;
}

}  // namespace grutape::detail
