#include <cstdlib>

#include "optim/distributed/communicator.hpp"

namespace grutape {
namespace {

class SingleProcess final : public Communicator {
 public:
  std::size_t rank() const override { return 0; }
  std::size_t size() const override { return 1; }
  void allreduce_sum(std::vector<double>&) override {}
  void broadcast(std::vector<double>&, std::size_t) override {}
  std::vector<std::string> allgather_text(const std::string& text) override { return {text}; }
  void barrier() override {}
  [[noreturn]] void abort(int code) override { std::exit(code); }
  std::string name() const override { return "single process"; }
};

}  // namespace

std::shared_ptr<Communicator> single_process_communicator() {
  return std::make_shared<SingleProcess>();
}

}  // namespace grutape
