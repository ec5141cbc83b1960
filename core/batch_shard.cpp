#include "core/batch_shard.hpp"

#include <algorithm>

namespace grutape {
namespace {

thread_local std::optional<BatchShard> current_shard;

}  // namespace

std::optional<BatchShard> current_batch_shard() { return current_shard; }

BatchShardScope::BatchShardScope(BatchShard shard) : previous_(current_shard) {
  current_shard = shard;
}

BatchShardScope::~BatchShardScope() { current_shard = previous_; }

Tensor bernoulli_rows(Random& random, const Shape& shape, std::size_t batch_axis, double p,
                      DType dtype) {
  const std::size_t rows = shape[batch_axis];
  if (!current_shard || current_shard->offset + rows > current_shard->global_rows) {
    return random.bernoulli(shape, p, dtype);
  }
  Shape global_shape = shape;
  global_shape[batch_axis] = current_shard->global_rows;
  const Tensor global = random.bernoulli(global_shape, p, dtype);
  std::size_t outer = 1, inner = 1;
  for (std::size_t axis = 0; axis < batch_axis; ++axis) outer *= shape[axis];
  for (std::size_t axis = batch_axis + 1; axis < shape.size(); ++axis) inner *= shape[axis];
  Tensor shard = Tensor::zeros(shape, dtype);
  global.visit([&](const auto& from) {
    shard.visit([&](auto& to) {
      for (std::size_t o = 0; o < outer; ++o) {
        const auto* begin = from.data() + (o * global_shape[batch_axis] + current_shard->offset) * inner;
        std::copy(begin, begin + rows * inner, to.data() + o * rows * inner);
      }
    });
  });
  return shard;
}

}  // namespace grutape
