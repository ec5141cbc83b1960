#include <boost/test/unit_test.hpp>

#include <cstdlib>

#include "optim/distributed/communicator.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;

BOOST_AUTO_TEST_SUITE(communicator_test)

BOOST_AUTO_TEST_CASE(one_process_keeps_its_values) {
  const auto alone = single_process_communicator();
  BOOST_TEST(alone->rank() == 0u);
  BOOST_TEST(alone->size() == 1u);
  std::vector<double> values{1.5, -2.0};
  alone->allreduce_sum(values);
  alone->broadcast(values, 0);
  alone->barrier();
  BOOST_TEST(values == (std::vector<double>{1.5, -2.0}), boost::test_tools::per_element());
  BOOST_TEST(alone->allgather_text("cause") == std::vector<std::string>{"cause"});
}

BOOST_AUTO_TEST_CASE(not_launched_by_mpirun_a_run_is_one_process) {
  if (std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_SIZE")) {
    BOOST_TEST_MESSAGE("skipped: this test runs under an MPI launcher");
    return;
  }
  BOOST_TEST(!launched_by_mpi());
  BOOST_TEST(launched_communicator()->size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_build_without_mpi_says_so) {
  if (mpi_available()) {
    BOOST_TEST_MESSAGE("skipped: this build has MPI (the distributed_* entries test it)");
    return;
  }
  testing::require_error<DistributedError>([] { mpi_communicator(); },
                                           {"mpi_communicator", "GRUTAPE_MPI=ON", "without MPI"});
}

BOOST_AUTO_TEST_SUITE_END()
