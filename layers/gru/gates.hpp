#pragma once
// The internal gate order of the GRU, defined here and nowhere else.
//
// Every axis of extent 3 * units in the internal weights (the columns of the kernel W (input,
// 3 * units) and of the recurrent kernel U (units, 3 * units), the bias and the recurrent bias
// (3 * units)) and every per-gate setting holds three blocks of `units` values in this order:
//
//     [ z: update gate | r: reset gate | h: candidate ]
//
// which is the order of Keras and ONNX. PyTorch and MATLAB store [r | z | candidate];
// layers/gru/layouts/layouts.hpp converts. Gate g of unit j is column g * units + j.
//
// Per-gate learn-rate and L2 factors (GateFactors, layers/params/gate_factors.hpp) are given in
// this order too. Options JSON and messages name each gate instead, {"update": u, "reset": r,
// "candidate": c}, because MATLAB lists the same three as reset, update, candidate.

#include <array>
#include <cstddef>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "layers/params/gate_factors.hpp"

namespace grutape {

enum class GruGate : std::size_t { update = 0, reset = 1, candidate = 2 };

/// The number of gate blocks in a 3 * units axis.
constexpr std::size_t gru_gate_count = 3;

/// The gates in internal order.
constexpr std::array<GruGate, gru_gate_count> gru_gate_order = {GruGate::update, GruGate::reset,
                                                                GruGate::candidate};

/// The block index of `gate` in a 3 * units axis.
constexpr std::size_t gate_index(GruGate gate) {
  return static_cast<std::size_t>(gate);
}

/// "update", "reset", "candidate".
constexpr const char* gate_name(GruGate gate) {
  return gate == GruGate::update ? "update" : gate == GruGate::reset ? "reset" : "candidate";
}

/// A ValueError naming `where` unless `factors` is one factor or one per gate of the GRU, each
/// finite and >= 0.
void validate_gru_gate_factors(const GateFactors& factors, const std::string& where);
/// A number when uniform, else {"update": u, "reset": r, "candidate": c}.
nlohmann::json gru_gate_factors_to_json(const GateFactors& factors);
/// The inverse of gru_gate_factors_to_json; a ValueError naming `where` and the key for anything
/// else.
GateFactors gru_gate_factors_from_json(const nlohmann::json& json, const std::string& where);
/// "2" or "(update 1, reset 2, candidate 3)", for messages.
std::string gru_gate_factors_to_string(const GateFactors& factors);

}  // namespace grutape
