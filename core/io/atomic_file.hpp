#pragma once
// Whole-file reads and crash-safe writes. Every file grutape writes (models, checkpoints, CSV,
// NPY) goes through write_file_atomically: the bytes go to a temporary file in the target's
// directory, which is flushed to disk and then renamed over the target. A rename within one
// directory is atomic, so a crash at any moment leaves either the old file or the new one, never
// a mixture; syncing the directory afterwards makes the rename itself survive a power loss.

#include <functional>
#include <iosfwd>
#include <string>

namespace grutape {

/// Writes what `writer` puts into the stream to `path`, atomically. An exception from `writer`
/// or any failure of the system calls removes the temporary file and leaves an existing `path`
/// untouched; failures are an IoError naming the path and the system's reason. A new file gets
/// the permissions the umask allows; an existing file keeps its permission bits.
void write_file_atomically(const std::string& path,
                           const std::function<void(std::ostream&)>& writer);

/// Writes `bytes` to `path`, atomically, as above.
void write_file_atomically(const std::string& path, const std::string& bytes);

/// The whole contents of `path` as bytes; an IoError naming the path and the system's reason.
std::string read_file(const std::string& path);

}  // namespace grutape
