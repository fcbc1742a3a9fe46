// kholuu: the operator command line over the archive libraries.
#include <pwd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "tools/kholuu/commands.h"
#include "tools/kholuu/json_out.h"
#include "tools/kholuu/messages.h"
#include "tools/kholuu/modules.h"
#include "tools/kholuu/suggest.h"

namespace {

std::string DefaultActor() {
  const passwd* pw = ::getpwuid(::geteuid());
  return std::string("cli:") + (pw != nullptr ? pw->pw_name : std::to_string(::geteuid()));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace kholuu::cli;
  // The message language first, so that even a usage error speaks it.
  std::vector<std::string> args(argv, argv + argc);
  std::optional<Lang> flag = TakeLangFlag(&args);
  SetLang(flag ? *flag : LangFromLocale(std::getenv("LC_ALL"), std::getenv("LC_MESSAGES"), std::getenv("LANG")));

  CLI::App app{"kholuu — electronic records archive"};
  app.require_subcommand(1);
  app.footer(
      "Every command also takes --lang vi|en (messages; default from LC_ALL, LC_MESSAGES, LANG, else "
      "Vietnamese), --quiet and --progress. Exit: 0 ok, 1 a check failed, 2 usage or bad input, 3 internal "
      "error (docs/cli.md).");
  Common common;
  common.data = kholuu::ingest::DataDir::Default().root();
  common.actor = DefaultActor();
  // Every command accepts --data and --json, before or after the subcommand.
  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("--data", common.data, "archive directory (default $KHOLUU_DATA or ./var/kholuu)");
    cmd->add_flag("--json", common.json, "machine-readable output");
    cmd->add_flag("--quiet", common.quiet, "no progress and no informational lines on stderr");
    cmd->add_flag("--progress", common.progress, "progress on stderr even when it is not a terminal");
  };
  add_common(&app);
  int rc = kExitOk;

  CLI::App* init = app.add_subcommand("init", "create an empty archive in the data directory");
  add_common(init);
  init->callback([&] { rc = CmdInit(common); });

  std::string show_id;
  CLI::App* show = app.add_subcommand("show", "show a record file, document, component or blob");
  add_common(show);
  show->add_option("ID", show_id, "file code, document id, component id or sha256")->required();
  show->callback([&] { rc = CmdShow(common, show_id); });

  std::string verify_id;
  CLI::App* verify_cmd = app.add_subcommand(
      "verify", "check one record file or document against its history, and its blobs in both copies (exit 1 if any differs)");
  add_common(verify_cmd);
  verify_cmd->add_option("ID", verify_id, "file code or document id")->required();
  verify_cmd->callback([&] { rc = CmdVerify(common, verify_id); });

  CLI::App* stats = app.add_subcommand("stats", "count the catalog's rows");
  add_common(stats);
  stats->callback([&] { rc = CmdStats(common); });

  FixityArgs fx;
  CLI::App* fixity = app.add_subcommand("fixity", "recompute blob hashes (exit 1 on failures)");
  add_common(fixity);
  fixity->add_flag("--all", fx.all, "check every blob (the default)");
  fixity->add_option("--sample", fx.sample, "check a random sample of N blobs");
  fixity->add_flag("--repair", fx.repair, "restore bad blobs from the replica");
  fixity->add_option("--replica", fx.replica, "replica directory (default: the last synced one)");
  fixity->add_flag("--no-events", fx.no_events, "do not record fixity-check events");
  fixity->callback([&] { rc = CmdFixity(common, fx); });

  CLI::App* audit = app.add_subcommand("audit", "the tamper-evident audit chain");
  audit->require_subcommand(1);
  CLI::App* verify = audit->add_subcommand("verify", "check every link (exit 1 if broken)");
  add_common(verify);
  verify->callback([&] { rc = CmdAuditVerify(common); });
  uint64_t log_limit = 50;
  CLI::App* log = audit->add_subcommand("log", "print the newest audit entries");
  add_common(log);
  log->add_option("--limit", log_limit, "how many (default 50, 0 = all)");
  log->callback([&] { rc = CmdAuditLog(common, log_limit); });

  std::string dir;
  bool verify_only = false;
  CLI::App* backup = app.add_subcommand("backup", "write a verified backup to DIR");
  add_common(backup);
  backup->add_option("DIR", dir, "new or empty directory")->required();
  backup->add_flag("--verify", verify_only,
                   "only check an existing backup DIR against its manifest (exit 1 if damaged)");
  backup->callback([&] { rc = verify_only ? CmdBackupVerify(common, dir) : CmdBackup(common, dir); });

  CLI::App* restore = app.add_subcommand("restore", "restore backup DIR into the data directory");
  add_common(restore);
  restore->add_option("DIR", dir, "backup directory")->required();
  restore->callback([&] { rc = CmdRestore(common, dir); });

  CLI::App* replica = app.add_subcommand("replica", "the replica copy");
  replica->require_subcommand(1);
  CLI::App* sync = replica->add_subcommand("sync", "bring replica DIR in step with the archive");
  add_common(sync);
  sync->add_option("DIR", dir, "replica directory")->required();
  sync->callback([&] { rc = CmdReplicaSync(common, dir); });

  GcArgs gc_args;
  CLI::App* gc = app.add_subcommand("gc", "remove unreferenced blobs (audited)");
  add_common(gc);
  gc->add_flag("--dry-run", gc_args.dry_run, "only list what would be removed");
  gc->add_option("--min-age", gc_args.min_age_seconds, "keep blobs younger than S seconds (3600)");
  gc->callback([&] { rc = CmdGc(common, gc_args); });

  PutArgs put_args;
  CLI::App* put = app.add_subcommand("put", "store FILE as a document's original (until ingest exists)");
  add_common(put);
  put->add_option("FILE", put_args.file)->required();
  put->add_option("--file-code", put_args.file_code, "ORGANID.YEAR.NOTATION")->required();
  put->add_option("--title", put_args.title, "record file title (when creating it)");
  put->add_option("--subject", put_args.subject, "trích yếu")->required();
  put->add_option("--issued", put_args.issued_date, "YYYY-MM-DD")->required();
  put->add_option("--organ-name", put_args.organ_name, "issuing body")->required();
  put->add_option("--number", put_args.number, "số");
  put->add_option("--max-bytes", put_args.max_bytes, "refuse a file larger than this (default 1 GiB)");
  put->add_option("--notation", put_args.notation, "ký hiệu");
  put->add_option("--type", put_args.type_name, "tên loại văn bản");
  put->callback([&] { rc = CmdPut(common, put_args); });

  CLI::App* sample = app.add_subcommand("sample", "seed the archive with sample records");
  add_common(sample);
  sample->callback([&] { rc = CmdSample(common); });

  Registry reg{&common, &rc};
  RegisterGetCommands(app, reg);
  RegisterEdxmlCommands(app, reg);
  RegisterSigCommands(app, reg);
  RegisterSearchCommands(app, reg);
  RegisterPdfaCommands(app, reg);
  RegisterConvertCommands(app, reg);
  RegisterSealCommands(app, reg);
  RegisterTextCommands(app, reg);
  RegisterPreserveCommands(app, reg);
  RegisterIngestCommands(app, reg);
  RegisterReceiptCommands(app, reg);
  RegisterAnchorCommands(app, reg);
  RegisterRetentionCommands(app, reg);

  // A mistyped command is named with the nearest ones, a --lang that is
  // neither vi nor en refused (outside `kholuu text`, where --lang names
  // Tesseract languages).
  if (std::optional<std::string> problem = CheckCommandLine(app, args)) {
    std::cerr << "kholuu: " << *problem << "\n";
    if (common.json) std::cout << DumpJson(ErrorJson(kholuu::InvalidArgumentError(*problem))) << "\n";
    return kExitUsage;
  }
  std::vector<char*> argv2;
  for (std::string& a : args) argv2.push_back(a.data());
  try {
    app.parse(static_cast<int>(argv2.size()), argv2.data());
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    std::cerr << "kholuu: " << Tr(Msg::kUsageError, {e.what()}) << "\n" << "kholuu: " << Tr(Msg::kSeeHelp) << "\n";
    return kExitUsage;
  }
  return rc;
}
