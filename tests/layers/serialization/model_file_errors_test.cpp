// Damaged model files: every defect is an IoError that names the file and what is wrong.
// Truncation at every length, a flipped bit at every offset, and hand edits of each kind.
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/io/atomic_file.hpp"
#include "layers/basic/dense.hpp"
#include "layers/basic/input_layer.hpp"
#include "layers/gru/gru.hpp"
#include "layers/models/sequential.hpp"
#include "layers/serialization/model_file.hpp"
#include "tests/layers/serialization/model_file_bytes.hpp"
#include "tests/temp_dir.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::join_model_file;
using testing::require_error;
using testing::split_model_file;

namespace {

const std::string kSource = "damaged.grutape";
const std::string kWhere = "model file \"damaged.grutape\"";

// (batch, free timesteps, 2) -> GRU "gru" (3 units, sequences) -> Dense "head" (2).
std::shared_ptr<Sequential> small_model() {
  auto model = std::make_shared<Sequential>();
  model->set_name("model");
  auto input = sequence_input(2);
  input->set_name("in");
  auto gru = std::make_shared<Gru>(GruOptions(3).return_sequences(true).seed(1));
  gru->set_name("gru");
  auto head = std::make_shared<Dense>(DenseOptions(2).seed(2));
  head->set_name("head");
  model->add(input).add(gru).add(head);
  model->build();
  return model;
}

const std::string& good_file() {
  static const std::string bytes = format_model(*small_model());
  return bytes;
}

void parse(const std::string& bytes) {
  parse_model(bytes, kSource);
}

// The file with its header changed by `edit` (and a checksum that matches its data).
std::string edited_header(const std::function<void(nlohmann::json&)>& edit) {
  testing::ModelFileParts parts = split_model_file(good_file());
  edit(parts.header);
  return join_model_file(parts.header, parts.data);
}

nlohmann::json& weight_entry(nlohmann::json& header, const std::string& name) {
  for (auto& entry : header.at("weights"))
    if (entry.at("name") == name) return entry;
  throw std::runtime_error("no weight " + name);
}

nlohmann::json& layer_entry(nlohmann::json& header, const std::string& name) {
  for (auto& entry : header.at("model").at("layers"))
    if (entry.at("name") == name) return entry;
  throw std::runtime_error("no layer " + name);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(model_file_errors_test)

BOOST_AUTO_TEST_CASE(the_good_file_and_its_rebuilt_copy_load) {
  BOOST_CHECK_NO_THROW(parse(good_file()));
  BOOST_CHECK_NO_THROW(parse(edited_header([](nlohmann::json&) {})));
}

BOOST_AUTO_TEST_CASE(a_file_truncated_at_any_length_says_so) {
  const std::string& bytes = good_file();
  const std::size_t header_end = bytes.size() - split_model_file(bytes).data.size();
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    BOOST_TEST_CONTEXT("truncated to " << length << " of " << bytes.size() << " bytes") {
      std::vector<std::string> fragments{kWhere, "truncated?"};
      if (length < 16) {
        fragments.push_back("at least 16 bytes");
      } else if (length < header_end) {
        fragments.push_back("a header of " + std::to_string(header_end - 16) + " bytes");
      } else {
        fragments.push_back("expected " + std::to_string(bytes.size()) + " bytes");
      }
      require_error<IoError>([&] { parse(bytes.substr(0, length)); }, fragments);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_flipped_bit_anywhere_is_an_io_error_or_harmless) {
  const std::string& bytes = good_file();
  const std::size_t data_start = bytes.size() - split_model_file(bytes).data.size();
  std::size_t refused = 0;
  for (std::size_t offset = 0; offset < bytes.size(); ++offset) {
    for (unsigned char bit : {0x01, 0x80}) {
      std::string damaged = bytes;
      damaged[offset] = static_cast<char>(damaged[offset] ^ bit);
      BOOST_TEST_CONTEXT("bit " << int(bit) << " at offset " << offset) {
        try {
          parse(damaged);
          // Only the editable header may change harmlessly (a digit of lda_coeff, say).
          BOOST_TEST((offset >= 16 && offset < data_start));
        } catch (const IoError& error) {
          ++refused;
          const std::string message = error.what();
          BOOST_TEST(message.find(kWhere) == 0u, message);
          if (offset < 8) BOOST_TEST(message.find("magic bytes") != std::string::npos, message);
          if (offset >= data_start) {
            BOOST_TEST(message.find("checksum mismatch") != std::string::npos, message);
          }
        } catch (const std::exception& other) {
          BOOST_FAIL("not an IoError: " << other.what());
        }
      }
    }
  }
  BOOST_TEST(refused > bytes.size());
}

BOOST_AUTO_TEST_CASE(damaged_weights_fail_the_checksum) {
  testing::ModelFileParts parts = split_model_file(good_file());
  parts.data[5] = static_cast<char>(parts.data[5] ^ 0x10);
  require_error<IoError>([&] { parse(join_model_file(parts.header, parts.data, false)); },
                         {kWhere + ": checksum mismatch over the data",
                          "expected \"" + parts.header["data"]["checksum"].get<std::string>(),
                          "computed from the data"});
}

BOOST_AUTO_TEST_CASE(prefix_defects) {
  require_error<IoError>([] { parse("\x89GRUTAPX" + good_file().substr(8)); },
                         {kWhere, "expected the magic bytes \\x89GRUTAPE", "got \"\\x89GRUTAPX\""});
  require_error<IoError>([] { parse("GRUTAPE"); }, {kWhere, "at least 16 bytes", "got 7 bytes"});
  std::string huge_header = good_file();
  huge_header[15] = '\x7f';
  require_error<IoError>([&] { parse(huge_header); }, {kWhere, "a header of", "truncated?"});
  require_error<IoError>([] { parse(good_file() + "x"); },
                         {kWhere, "(trailing bytes)", std::to_string(good_file().size() + 1)});
}

BOOST_AUTO_TEST_CASE(a_header_that_is_not_json_or_not_an_object) {
  const std::string data = split_model_file(good_file()).data;
  std::string bytes = join_model_file(nlohmann::json::object(), data);
  // Replace the opening brace of the header with garbage.
  bytes[16] = '#';
  require_error<IoError>([&] { parse(bytes); }, {kWhere + ": header", "valid JSON", "parse error"});
  require_error<IoError>(
      [&] {
        parse(join_model_file(nlohmann::json::array({1, 2}), "", false));
      },
      {kWhere + ": header", "a JSON object", "an array"});
  nlohmann::json deep = 0;
  for (int i = 0; i < 200; ++i) deep = nlohmann::json::array({deep});
  require_error<IoError>([&] { parse(edited_header([&](nlohmann::json& h) { h["extra"] = deep; })); },
                         {kWhere + ": header", "nested at most 128 levels", "deeper nesting"});
}

BOOST_AUTO_TEST_CASE(wrong_format_or_version) {
  require_error<IoError>(
      [] { parse(edited_header([](nlohmann::json& h) { h["version"] = 2; })); },
      {kWhere + ": \"version\"", "expected 1 (the version this build reads)", "got 2"});
  require_error<IoError>([] { parse(edited_header([](nlohmann::json& h) { h["version"] = "1"; })); },
                         {kWhere + ": \"version\"", "got \"1\""});
  require_error<IoError>(
      [] { parse(edited_header([](nlohmann::json& h) { h["format"] = "keras-h5"; })); },
      {kWhere + ": \"format\"", "\"grutape-model\" or \"grutape-checkpoint\"", "\"keras-h5\""});
}

BOOST_AUTO_TEST_CASE(missing_fields_are_named) {
  for (const char* key : {"format", "version", "model", "input", "weights", "gru_layers"}) {
    require_error<IoError>([&] { parse(edited_header([&](nlohmann::json& h) { h.erase(key); })); },
                           {kWhere, std::string("the key \"") + key + "\"", "got none"});
  }
  testing::ModelFileParts parts = split_model_file(good_file());
  nlohmann::json no_data = parts.header;
  no_data.erase("data");
  require_error<IoError>([&] { parse(join_model_file(no_data, parts.data, false)); },
                         {kWhere, "the key \"data\"", "got none"});
  parts.header["data"].erase("checksum");
  require_error<IoError>([&] { parse(join_model_file(parts.header, parts.data, false)); },
                         {kWhere + ": \"data\"", "the key \"checksum\""});
  require_error<IoError>(
      [] {
        parse(edited_header([](nlohmann::json& h) { weight_entry(h, "head.kernel").erase("offset"); }));
      },
      {kWhere + ": weights \"head.kernel\"", "the key \"offset\""});
  require_error<IoError>(
      [] { parse(edited_header([](nlohmann::json& h) { layer_entry(h, "head").erase("units"); })); },
      {kWhere + ": \"model\"", "Dense::from_json", "units"});
  require_error<IoError>(
      [] { parse(edited_header([](nlohmann::json& h) { h["gru_layers"][0].erase("layout"); })); },
      {kWhere + ": \"gru_layers\" \"gru\"", "the key \"layout\""});
}

BOOST_AUTO_TEST_CASE(weights_of_the_wrong_shape_dtype_or_name) {
  // The same bytes under another shape.
  require_error<IoError>(
      [] {
        parse(edited_header([](nlohmann::json& h) { weight_entry(h, "head.kernel")["shape"] = {2, 3}; }));
      },
      {kWhere + ": weights \"head.kernel\"", "expected shape (3, 2) (the architecture's)",
       "got (2, 3)"});
  // An architecture that no longer fits the weights.
  require_error<IoError>(
      [] { parse(edited_header([](nlohmann::json& h) { layer_entry(h, "head")["units"] = 4; })); },
      {kWhere + ": weights \"head.kernel\"", "expected shape (3, 4)", "got (3, 2)"});
  // A byte count that does not fit the shape.
  require_error<IoError>(
      [] {
        parse(edited_header([](nlohmann::json& h) { weight_entry(h, "head.bias")["dtype"] = "float64"; }));
      },
      {kWhere + ": weights \"head.bias\": \"bytes\"", "expected 16 for float64 (2)", "got 8"});
  require_error<IoError>(
      [] {
        parse(edited_header([](nlohmann::json& h) { weight_entry(h, "head.bias")["dtype"] = "int8"; }));
      },
      {kWhere + ": weights \"head.bias\": \"dtype\"", "\"float32\" or \"float64\"", "\"int8\""});
  require_error<IoError>(
      [] {
        parse(edited_header([](nlohmann::json& h) { weight_entry(h, "head.bias")["name"] = "head.b"; }));
      },
      {kWhere + ": \"weights\"", "an entry for parameter \"head.bias\"", "none"});
  require_error<IoError>(
      [] {
        parse(edited_header([](nlohmann::json& h) {
          h["weights"].push_back(weight_entry(h, "head.bias"));
          h["weights"].back()["name"] = "head.extra";
        }));
      },
      {kWhere + ": \"weights\"", "names among the model's parameters", "\"head.extra\""});
  require_error<IoError>(
      [] {
        parse(edited_header(
            [](nlohmann::json& h) { h["weights"].push_back(weight_entry(h, "head.bias")); }));
      },
      {kWhere + ": \"weights\"", "one entry per parameter", "two for \"head.bias\""});
}

BOOST_AUTO_TEST_CASE(references_outside_the_data_or_leaving_gaps) {
  require_error<IoError>(
      [] {
        parse(edited_header([](nlohmann::json& h) { weight_entry(h, "head.bias")["offset"] = 1000000; }));
      },
      {kWhere + ": weights \"head.bias\"", "bytes within the data section", "bytes 1000000 to"});
  // Two weights on the same bytes, leaving the end of the data unread.
  require_error<IoError>(
      [] {
        parse(edited_header([](nlohmann::json& h) {
          weight_entry(h, "head.bias")["offset"] = weight_entry(h, "head.kernel")["offset"];
        }));
      },
      {kWhere + ": data", "tensors that do not overlap"});
  testing::ModelFileParts parts = split_model_file(good_file());
  require_error<IoError>(
      [&] { parse(join_model_file(parts.header, parts.data + "12345678")); },
      {kWhere + ": data", "tensors that cover every byte", "no tensor in bytes"});
  require_error<IoError>(
      [] {
        parse(edited_header([](nlohmann::json& h) {
          weight_entry(h, "head.bias")["shape"] = {std::uint64_t(1) << 40, std::uint64_t(1) << 40};
        }));
      },
      {kWhere + ": weights \"head.bias\": \"shape\"", "product is at most 2^48"});
}

BOOST_AUTO_TEST_CASE(an_unknown_layer_type_is_named) {
  require_error<IoError>(
      [] { parse(edited_header([](nlohmann::json& h) { layer_entry(h, "head")["type"] = "densse"; })); },
      {kWhere + ": \"model\"", "layer_from_json", "a type among", "gru", "\"densse\""});
}

BOOST_AUTO_TEST_CASE(non_finite_weights_are_refused) {
  for (const float bad :
       {std::numeric_limits<float>::quiet_NaN(), -std::numeric_limits<float>::infinity()}) {
    testing::ModelFileParts parts = split_model_file(good_file());
    const nlohmann::json& entry = weight_entry(parts.header, "gru.recurrent_kernel");
    const std::size_t offset = entry.at("offset").get<std::size_t>() + 4 * 7;
    std::uint32_t bits;
    std::memcpy(&bits, &bad, 4);
    for (int b = 0; b < 4; ++b)
      parts.data[offset + b] = static_cast<char>((bits >> (8 * b)) & 0xff);
    require_error<IoError>([&] { parse(join_model_file(parts.header, parts.data)); },
                           {kWhere + ": weights \"gru.recurrent_kernel\"", "expected finite values",
                            std::string(bad != bad ? "nan" : "-inf") + " at element 7"});
  }
}

BOOST_AUTO_TEST_CASE(gru_layouts_that_the_file_does_not_state_as_stored) {
  using Edit = std::function<void(nlohmann::json&)>;
  const std::vector<std::pair<Edit, std::vector<std::string>>> cases = {
      {[](nlohmann::json& h) { h["gru_layers"][0]["layout"] = "keras"; },
       {"\"layout\"", "\"internal\"", "got \"keras\""}},
      {[](nlohmann::json& h) {
         h["gru_layers"][0]["gate_order"] = {"reset", "update", "candidate"};
       },
       {"\"gate_order\"", "[\"update\",\"reset\",\"candidate\"]", "[\"reset\",\"update\""}},
      {[](nlohmann::json& h) { h["gru_layers"][0]["reset_gate_mode"] = "after_multiplication"; },
       {"\"reset_gate_mode\"", "\"recurrent_bias_after_multiplication\" (the architecture's)",
        "got \"after_multiplication\""}},
      {[](nlohmann::json& h) { h["gru_layers"][0]["gate_axis"] = "first"; },
       {"\"gate_axis\"", "got \"first\""}},
      {[](nlohmann::json& h) { h["gru_layers"][0]["parameters"] = {"gru.kernel"}; },
       {"\"parameters\"", "gru.recurrent_bias"}},
  };
  for (const auto& [edit, fragments] : cases) {
    std::vector<std::string> all{kWhere + ": \"gru_layers\" \"gru\""};
    all.insert(all.end(), fragments.begin(), fragments.end());
    require_error<IoError>([&] { parse(edited_header(edit)); }, all);
  }
  require_error<IoError>(
      [] { parse(edited_header([](nlohmann::json& h) { h["gru_layers"] = nlohmann::json::array(); })); },
      {kWhere + ": \"gru_layers\"", "an entry for the GRU at \"gru\"", "none"});
  require_error<IoError>(
      [] {
        parse(edited_header([](nlohmann::json& h) {
          h["gru_layers"].push_back(h["gru_layers"][0]);
          h["gru_layers"][1]["path"] = "head";
        }));
      },
      {kWhere + ": \"gru_layers\"", "entries only for the model's GRUs", "\"head\""});
  // An initial state that does not fit the layer: (2) for 3 units.
  testing::ModelFileParts parts = split_model_file(good_file());
  parts.header["gru_layers"][0]["initial_states"] = {
      {{"dtype", "float32"}, {"shape", {2}}, {"offset", parts.data.size()}, {"bytes", 8}}};
  parts.data += std::string(8, '\0');
  require_error<IoError>(
      [&] { parse(join_model_file(parts.header, parts.data)); },
      {kWhere + ": \"gru_layers\": gru: set_initial_states: state 1", "got (2)"});
}

BOOST_AUTO_TEST_CASE(an_input_the_model_does_not_build_for) {
  require_error<IoError>(
      [] {
        parse(edited_header([](nlohmann::json& h) { h["input"]["shape"] = {1, 4}; }));
      },
      {kWhere + ": building the model for input (1, 4) float32", "gru"});
  require_error<IoError>(
      [] { parse(edited_header([](nlohmann::json& h) { h["input"]["dtype"] = "int32"; })); },
      {kWhere + ": \"input\": \"dtype\"", "\"int32\""});
  require_error<IoError>(
      [] {
        parse(edited_header([](nlohmann::json& h) { h["input"]["shape"] = {1, 100000, 100000}; }));
      },
      {kWhere + ": \"input\": \"shape\"", "at most 2^28 elements"});
}

BOOST_AUTO_TEST_CASE(a_missing_file_names_the_path) {
  testing::TempDir dir;
  require_error<IoError>([&] { load_model(dir.file("none.grutape")); },
                         {dir.file("none.grutape"), "No such file"});
}

BOOST_AUTO_TEST_SUITE_END()
