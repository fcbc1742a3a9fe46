// Checks of the command line made before CLI11 parses it: an unknown or
// mistyped (sub)command is named together with the nearest existing ones.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kholuu::cli {

// Optimal string alignment distance: insertions, deletions, substitutions
// and transpositions of adjacent bytes each cost 1 ("serach" -> "search" is 1).
size_t EditDistance(std::string_view a, std::string_view b);

// The names among `candidates` nearest to `word`: within distance 2 (1 for
// words of up to 4 bytes), or starting with `word`; nearest first.
std::vector<std::string> NearestNames(std::string_view word, const std::vector<std::string>& candidates);

// Walks `args` (args[0] the program) down `app`'s subcommands and returns the
// message for the first command word that names no subcommand ("không có
// lệnh 'serach' — có phải ý bạn là: search"), or for a --lang that is neither
// vi nor en outside `kholuu text`; nullopt when the words are all known
// (CLI11 then reports anything else).
std::optional<std::string> CheckCommandLine(CLI::App& app, const std::vector<std::string>& args);

}  // namespace kholuu::cli
