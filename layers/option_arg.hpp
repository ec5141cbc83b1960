#pragma once
// The options setter helper of the layers' options structs: GRUTAPE_ARG(T, name) and
// GRUTAPE_ARG_DEFAULT(T, name, default), defined once for the whole library in
// core/option_arg.hpp (a second definition here made headers that include both redefine them).

#include "core/option_arg.hpp"
