// Command modules: each file tools/kholuu/cmd_<name>.cc registers its
// subcommands on the CLI. main.cc calls every Register* function below.
// A module writes its result to stdout (one JSON document with --json) and
// sets *rc to the exit status (json_out.h).
#pragma once

#include <CLI/CLI.hpp>

#include "tools/kholuu/commands.h"

namespace kholuu::cli {

struct Registry {
  Common* common;
  int* rc;
  // Adds --data and --json to a subcommand.
  void AddCommon(CLI::App* cmd) const {
    cmd->add_option("--data", common->data,
                    "archive directory (default $KHOLUU_DATA or ./var/kholuu)");
    cmd->add_flag("--json", common->json, "machine-readable output");
    cmd->add_flag("--quiet", common->quiet, "no progress and no informational lines on stderr");
    cmd->add_flag("--progress", common->progress, "progress on stderr even when it is not a terminal");
  }
};

void RegisterGetCommands(CLI::App& app, const Registry& reg);
void RegisterEdxmlCommands(CLI::App& app, const Registry& reg);
void RegisterSigCommands(CLI::App& app, const Registry& reg);
void RegisterSearchCommands(CLI::App& app, const Registry& reg);
void RegisterPdfaCommands(CLI::App& app, const Registry& reg);
void RegisterConvertCommands(CLI::App& app, const Registry& reg);
void RegisterSealCommands(CLI::App& app, const Registry& reg);
void RegisterTextCommands(CLI::App& app, const Registry& reg);
void RegisterPreserveCommands(CLI::App& app, const Registry& reg);
void RegisterIngestCommands(CLI::App& app, const Registry& reg);
void RegisterReceiptCommands(CLI::App& app, const Registry& reg);
void RegisterAnchorCommands(CLI::App& app, const Registry& reg);
void RegisterRetentionCommands(CLI::App& app, const Registry& reg);

// An anchor (ingest/anchor.h) as JSON and as one line of text; shared by
// `anchor`, `evidence`, `backup` and `audit verify`.
nlohmann::json AnchorJson(const ingest::Anchor& a);
std::string AnchorText(const ingest::Anchor& a);

}  // namespace kholuu::cli
