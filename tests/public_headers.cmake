# The public-header rules, checked by the ctest public_headers:
# - every header outside detail/ folders is included by its folder's umbrella header
#   (core/core.hpp, autodiff/autodiff.hpp, layers/layers.hpp, optim/optim.hpp), and each umbrella
#   by grutape.hpp;
# - no header outside detail/ includes one inside: detail/ headers are not installed, so such an
#   include would break every program built against an installed grutape.
# Usage: cmake -DSOURCE_DIR=<checkout> -P public_headers.cmake
set(failures "")
file(READ ${SOURCE_DIR}/grutape.hpp top)
foreach(folder core autodiff layers optim)
  set(umbrella ${folder}/${folder}.hpp)
  string(FIND "${top}" "#include \"${umbrella}\"" at)
  if(at EQUAL -1)
    string(APPEND failures "grutape.hpp: expected #include \"${umbrella}\"\n")
  endif()
  file(READ ${SOURCE_DIR}/${umbrella} listed)
  file(GLOB_RECURSE headers RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/${folder}/*.hpp)
  foreach(header ${headers})
    if(header MATCHES "/detail/")
      continue()
    endif()
    if(NOT header STREQUAL umbrella)
      string(FIND "${listed}" "#include \"${header}\"" at)
      if(at EQUAL -1)
        string(APPEND failures "${umbrella}: expected #include \"${header}\", a public header\n")
      endif()
    endif()
    file(STRINGS ${SOURCE_DIR}/${header} includes REGEX "^#include \"[^\"]*/detail/")
    foreach(line ${includes})
      string(APPEND failures "${header}: a public header, includes an internal one: ${line}\n")
    endforeach()
  endforeach()
endforeach()
if(failures)
  message(FATAL_ERROR "${failures}")
endif()
