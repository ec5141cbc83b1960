# Fails unless the README's C++ block after the line "<!-- examples/readme_example.cpp -->" is
# exactly examples/readme_example.cpp, so the program the README shows is the one CI runs.
#   cmake -DREADME=README.md -DSOURCE=examples/readme_example.cpp -P readme_matches.cmake
file(READ "${README}" readme)
file(READ "${SOURCE}" source)
set(marker "<!-- examples/readme_example.cpp -->\n```cpp\n")
string(FIND "${readme}" "${marker}" start)
if(start EQUAL -1)
  message(FATAL_ERROR "readme_matches: expected the marker line and a ```cpp block in ${README}, "
                      "got none")
endif()
string(LENGTH "${marker}" marker_length)
math(EXPR start "${start} + ${marker_length}")
string(SUBSTRING "${readme}" ${start} -1 rest)
string(FIND "${rest}" "```" end)
if(end EQUAL -1)
  message(FATAL_ERROR "readme_matches: expected the block after the marker to end with ```, "
                      "got no end in ${README}")
endif()
string(SUBSTRING "${rest}" 0 ${end} block)
if(NOT block STREQUAL source)
  message(FATAL_ERROR "readme_matches: expected the README's block to equal ${SOURCE}, got a "
                      "different text: copy the file into the README (or the block into the file)")
endif()
message(STATUS "readme_matches: the README shows ${SOURCE} exactly")
