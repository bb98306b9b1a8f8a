// Writing files so that a crash or a failure never leaves a partial one: the one file writer of the
// CLI (kl -o, --write-baseline, report -o) and of the report directory (reports/render.hpp).
#pragma once

#include <filesystem>
#include <string>

namespace diffbound {

// Creates `path` (which must not exist), writes `content` and fsyncs it. Returns "" on success, else why
// it failed (the file may then exist, partly written: the caller removes it).
std::string write_new_file_synced(const std::filesystem::path& path, const std::string& content);

// fsyncs a directory, so that the renames in it last (best effort: durability, not atomicity).
void sync_directory(const std::filesystem::path& dir);

// Replaces `path` by a file holding `text`: a synced temporary file next to it, renamed over it, and the
// directory synced. On any failure the temporary file is removed, `path` is untouched, and an
// InputError names `option` and `path`.
void write_file_atomically(const std::string& path, const std::string& text, const std::string& option = "output");

}  // namespace diffbound
