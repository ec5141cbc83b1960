#include "commands.hpp"

namespace grutape::cli {

const std::vector<CommandAdder>& all_commands() {
  static const std::vector<CommandAdder> commands = {add_train_command,    add_predict_command,
                                                     add_evaluate_command, add_summary_command,
                                                     add_convert_command,  add_export_command,
                                                     add_import_command,   add_bench_command};
  return commands;
}

}  // namespace grutape::cli
