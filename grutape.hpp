#pragma once
// The whole public API of grutape in one include, as a program writes it:
//   #include <grutape/grutape.hpp>
// Each folder has its own umbrella too (core/core.hpp, autodiff/autodiff.hpp, layers/layers.hpp,
// optim/optim.hpp); the headers under detail/ folders are internal and not installed.

#include "autodiff/autodiff.hpp"
#include "core/core.hpp"
#include "layers/layers.hpp"
#include "optim/optim.hpp"
