// kholuu receipt JOB [--list] [--pdf -o FILE] [--json]
//
// The receipt of an ingested package (ingest/receipt.h), built on request
// from the catalog: for an accepted package the transfer receipt (biên bản
// giao nhận) with its file list, for a refused one the refusal notice. JOB
// is the package's SHA-256 (as `kholuu ingest` and `kholuu jobs` print it) or
// a unique prefix of 8 or more hex digits.
//
// Without --pdf: the receipt as JSON on stdout (docs/ingest.md "Receipts");
// --list: the file list (mục lục) alone. With --pdf -o FILE: the PDF/A-2b
// receipt (or, with --list, the file list alone), validated and sealed with
// the archive's key when one is installed, written atomically to FILE; a
// line (or, with --json, an object) says what was written. Exit: 0 written
// or printed; 2 an unknown job, a malformed id, a usage error, or a receipt
// that cannot be given (an interrupted job; the list of a refused package);
// 3 an internal error.
#include <iostream>

#include "archive/base/file.h"
#include "ingest/receipt.h"
#include "tools/kholuu/json_out.h"
#include "tools/kholuu/messages.h"
#include "tools/kholuu/modules.h"
#include "tools/kholuu/output.h"

namespace kholuu::cli {
namespace {

struct ReceiptArgs {
  std::string job;
  bool list = false;
  bool pdf = false;
  std::string out;
  bool force = false;
};

int CmdReceipt(const Common& c, const ReceiptArgs& a) {
  if (a.pdf && a.out.empty()) return Fail(c, InvalidArgumentError("--pdf needs -o FILE"));
  if (!a.pdf && !a.out.empty()) return Fail(c, InvalidArgumentError("-o goes with --pdf"));
  auto service = OpenService(c, /*read_only=*/true);
  if (!service.ok()) return Fail(c, service.status());
  auto receipt = ingest::BuildReceipt(**service, a.job);
  if (!receipt.ok()) return Fail(c, receipt.status());
  if (!a.pdf) {
    if (receipt->kind == ingest::ReceiptKind::kNone) {
      return Fail(c, FailedPreconditionError("job " + receipt->job + " is " + receipt->state +
                                             ": an interrupted package has no receipt (submit it again)"));
    }
    if (a.list && receipt->kind == ingest::ReceiptKind::kRefusal) {
      return Fail(c, FailedPreconditionError("a refused package has no file list"));
    }
    std::cout << ingest::ReceiptJson(*receipt, a.list);
    return kExitOk;
  }
  auto out = Output::Prepare(a.out, a.force, c.json);
  if (!out.ok()) return Fail(c, out.status());
  ingest::ReceiptPdfOptions po;
  po.list_only = a.list;
  auto pdf = ingest::RenderReceiptPdf((*service)->data(), *receipt, po);
  if (!pdf.ok()) return Fail(c, pdf.status());
  Status s = out->Write(pdf->pdf);
  if (!s.ok()) return Fail(c, s);
  const std::string kind = a.list ? "file_list" : std::string(ingest::ReceiptKindName(receipt->kind));
  if (c.json) {
    std::cout << DumpJson({{"job", receipt->job},
                           {"kind", kind},
                           {"number", receipt->number},
                           {"out", a.out},
                           {"bytes", pdf->pdf.size()},
                           {"pages", pdf->pages},
                           {"profile", "2b"},
                           {"sealed", pdf->sealed},
                           {"timestamped", pdf->timestamped},
                           {"seconds", pdf->seconds}})
              << "\n";
  } else if (!c.quiet) {
    (out->to_stdout() ? std::cerr : std::cout)
        << Tr(Msg::kReceiptWrote, {kind, receipt->number, out->shown(), std::to_string(pdf->pages),
                                   Tr(pdf->sealed ? Msg::kSealed : Msg::kNotSealedNoKey)})
        << "\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterReceiptCommands(CLI::App& app, const Registry& reg) {
  static ReceiptArgs storage;  // lives as long as the CLI app
  ReceiptArgs* args = &storage;
  CLI::App* cmd = app.add_subcommand(
      "receipt", "an ingested package's receipt: transfer receipt and file list, or refusal notice (JSON or PDF/A-2b)");
  reg.AddCommon(cmd);
  cmd->add_option("JOB", args->job, "the package's SHA-256 (or a unique prefix of 8+ hex digits)")->required();
  cmd->add_flag("--list", args->list, "the file list (mục lục hồ sơ) alone");
  cmd->add_flag("--pdf", args->pdf, "write the PDF/A-2b receipt (sealed when the archive has a seal key)");
  cmd->add_option("-o,--output", args->out, "where to write the PDF (with --pdf), or - for standard output");
  cmd->add_flag("--force", args->force, "replace an existing output file");
  Registry r = reg;
  cmd->callback([args, r] { *r.rc = CmdReceipt(*r.common, *args); });
}

}  // namespace kholuu::cli
