#include "core/error.hpp"

namespace grutape {

Error::Error(const std::string& where, const std::string& expected, const std::string& got)
    : std::runtime_error(where + ": expected " + expected + ", got " + got) {}

}  // namespace grutape
