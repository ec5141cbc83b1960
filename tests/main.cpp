#define BOOST_TEST_MODULE grutape
#include <boost/test/unit_test.hpp>
