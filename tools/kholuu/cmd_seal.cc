// kholuu seal init [--subject DN] [--key PEM --cert PEM] [--days N] [--replace] [--tsa URL]
// kholuu seal tsa URL|--none
// kholuu seal pdf FILE -o OUT [--reason R] [--location L]
//
// `seal init` installs the archive's seal key (ingest/seal_key.h): the given key and
// certificate chain, or, without --key/--cert, a new ECDSA P-256 key with a
// self-signed certificate for --subject. When --data holds an archive, the
// change is recorded in its audit log (action "seal.init", payload: the
// SHA-256 of the certificate). `--tsa` / `seal tsa` configure the RFC 3161
// TSA every seal is then timestamped by (ingest/seal_key.h LoadSealTsa; audited as
// "seal.tsa", payload: the SHA-256 of the URL). `seal pdf` seals a PDF with
// that key (PAdES-B-B, or B-T with a TSA; if the TSA fails, nothing is
// written). Exit 0 on success, 2 for usage or unreadable input (and an
// existing key without --replace, a bad TSA URL, a TSA that fails), 3
// internal.
#include <ctime>
#include <iostream>

#include "archive/base/file.h"
#include "ingest/seal_key.h"
#include "ingest/tsa_client.h"
#include "tools/kholuu/json_out.h"
#include "tools/kholuu/messages.h"
#include "tools/kholuu/modules.h"
#include "tools/kholuu/output.h"

namespace kholuu::cli {
namespace {

struct SealArgs {
  std::string subject = "CN=Kho lưu trữ điện tử (kholuu),O=kholuu,C=VN";
  std::string key_file, cert_file;
  int days = 3650;
  bool replace = false;
  std::string file, out, reason = "Niêm phong của kho lưu trữ", location;
  std::string tsa_url;
  bool tsa_none = false;
  bool force = false;
};

// Records a seal configuration change in the archive's audit log when
// --data holds an archive; returns whether it did.
Result<bool> AuditSealChange(const Common& c, const std::string& action, const std::string& detail,
                             const Sha256& digest) {
  if (!ingest::Service::IsArchive(ingest::DataDir(c.data))) return false;
  KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<ingest::Service> archive, OpenService(c));
  KHOLUU_RETURN_IF_ERROR(archive->AuditConfigChange(action, "seal-key", detail, digest));
  return true;
}

int CmdSealInit(const Common& c, const SealArgs& a) {
  if (a.key_file.empty() != a.cert_file.empty()) {
    return Fail(c, InvalidArgumentError("--key and --cert go together"));
  }
  const ingest::DataDir data(c.data);
  ingest::SealKeySource source;
  source.subject = a.subject;
  source.days = a.days;
  source.now = static_cast<int64_t>(std::time(nullptr));
  if (!a.key_file.empty()) {
    auto k = ReadFileToString(a.key_file, 1u << 20);
    if (!k.ok()) return Fail(c, InvalidArgumentError(k.status().message()));
    auto ce = ReadFileToString(a.cert_file, 1u << 20);
    if (!ce.ok()) return Fail(c, InvalidArgumentError(ce.status().message()));
    source.key_pem = *k;
    source.chain_pem = *ce;
  }
  if (!a.tsa_url.empty()) {
    auto url = ingest::ParseTsaUrl(a.tsa_url);
    if (!url.ok()) return Fail(c, url.status());
  }
  auto info = ingest::InstallSealKey(data, source, a.replace);
  if (!info.ok()) return Fail(c, info.status());
  auto digest = Sha256::FromHex(info->sha256_hex);
  if (!digest.ok()) return Fail(c, digest.status());
  auto audited = AuditSealChange(
      c, "seal.init", std::string(info->generated ? "generated" : "imported") + " " + info->subject, *digest);
  if (!audited.ok()) return Fail(c, audited.status());
  if (!a.tsa_url.empty()) {
    Status s = ingest::StoreSealTsa(data, a.tsa_url);
    if (!s.ok()) return Fail(c, s);
    auto logged = AuditSealChange(c, "seal.tsa", "TSA " + a.tsa_url, Sha256Of(a.tsa_url));
    if (!logged.ok()) return Fail(c, logged.status());
  }
  nlohmann::json j = {{"key", data.seal_key()},
                      {"cert", data.seal_cert()},
                      {"subject", info->subject},
                      {"sha256", info->sha256_hex},
                      {"not_after", info->not_after},
                      {"key_algorithm", info->key_algorithm},
                      {"generated", info->generated},
                      {"audited", *audited}};
  if (!a.tsa_url.empty()) j["tsa"] = a.tsa_url;
  if (c.json) {
    std::cout << DumpJson(j) << "\n";
  } else {
    std::cout << (info->generated ? "generated" : "imported") << " seal key for " << info->subject << "\n  "
              << data.seal_key() << "\n  " << data.seal_cert() << "\n  sha256 " << info->sha256_hex
              << (a.tsa_url.empty() ? "" : "\n  timestamps from " + a.tsa_url)
              << (*audited ? "\n  (recorded in the audit log)" : "") << "\n";
  }
  return kExitOk;
}

int CmdSealTsa(const Common& c, const SealArgs& a) {
  if (a.tsa_none == !a.tsa_url.empty()) return Fail(c, InvalidArgumentError("give a TSA URL or --none"));
  Status s = ingest::StoreSealTsa(ingest::DataDir(c.data), a.tsa_url);
  if (!s.ok()) return Fail(c, s);
  auto audited = AuditSealChange(c, "seal.tsa", a.tsa_none ? "no TSA" : "TSA " + a.tsa_url,
                                 Sha256Of(a.tsa_url));
  if (!audited.ok()) return Fail(c, audited.status());
  if (c.json) {
    std::cout << DumpJson({{"tsa", a.tsa_none ? nlohmann::json(nullptr) : nlohmann::json(a.tsa_url)},
                           {"file", ingest::DataDir(c.data).tsa_url()},
                           {"audited", *audited}})
              << "\n";
  } else {
    std::cout << (a.tsa_none ? std::string("seals are no longer timestamped (no TSA)")
                             : "seals are timestamped by " + a.tsa_url)
              << (*audited ? "\n  (recorded in the audit log)" : "") << "\n";
  }
  return kExitOk;
}

int CmdSealPdf(const Common& c, const SealArgs& a) {
  auto out = Output::Prepare(a.out, a.force, c.json);
  if (!out.ok()) return Fail(c, out.status());
  auto in = ReadFileToString(a.file, uint64_t{1} << 30);
  if (!in.ok()) return Fail(c, InvalidArgumentError(in.status().message()));
  auto sealed = ingest::SealWithArchiveKey(ingest::DataDir(c.data), *in, a.reason, a.location);
  if (!sealed.ok()) {
    // A seal key or TSA problem is the archive's, a PDF problem the file's.
    const std::string m = sealed.status().message();
    const bool about_file = m.find("PDF") != std::string::npos && m.find("TSA") == std::string::npos;
    return Fail(c, about_file ? Status(sealed.status()).Annotate(a.file) : sealed.status());
  }
  Status s = out->Write(sealed->pdf);
  if (!s.ok()) return Fail(c, s);
  if (c.json) {
    std::cout << DumpJson({{"file", a.file}, {"out", a.out}, {"bytes", sealed->pdf.size()},
                           {"timestamped", sealed->timestamped}})
              << "\n";
  } else if (!c.quiet) {
    (out->to_stdout() ? std::cerr : std::cout) << Tr(Msg::kSealWrote, {a.file, out->shown()}) << "\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterSealCommands(CLI::App& app, const Registry& reg) {
  static SealArgs storage;  // lives as long as the CLI app
  SealArgs* args = &storage;
  CLI::App* seal = app.add_subcommand("seal", "the archive's seal key and sealed PDFs");
  seal->require_subcommand(1);
  CLI::App* init = seal->add_subcommand("init", "install or create the archive's seal key");
  reg.AddCommon(init);
  init->add_option("--subject", args->subject, "subject of a generated certificate (CN=...,O=...,C=VN)");
  init->add_option("--key", args->key_file, "import this private key (PEM, unencrypted)");
  init->add_option("--cert", args->cert_file, "import this certificate chain (PEM, leaf first)");
  init->add_option("--days", args->days, "validity of a generated certificate (default 3650)");
  init->add_flag("--replace", args->replace, "replace an existing seal key");
  init->add_option("--tsa", args->tsa_url, "timestamp every seal with this RFC 3161 TSA (http[s]://...)");
  Registry r = reg;
  init->callback([args, r] { *r.rc = CmdSealInit(*r.common, *args); });
  CLI::App* tsa = seal->add_subcommand("tsa", "set or remove the TSA seals are timestamped by");
  reg.AddCommon(tsa);
  tsa->add_option("URL", args->tsa_url, "RFC 3161 TSA (http[s]://host[:port]/path)");
  tsa->add_flag("--none", args->tsa_none, "no TSA: seals are PAdES-B-B");
  tsa->callback([args, r] { *r.rc = CmdSealTsa(*r.common, *args); });
  CLI::App* pdf = seal->add_subcommand("pdf", "seal a PDF with the archive's key (PAdES-B-B, B-T with a TSA)");
  reg.AddCommon(pdf);
  pdf->add_option("FILE", args->file, "PDF to seal")->required();
  pdf->add_option("-o,--output", args->out, "sealed PDF to write, or - for standard output")->required();
  pdf->add_flag("--force", args->force, "replace an existing output file");
  pdf->add_option("--reason", args->reason, "signature reason");
  pdf->add_option("--location", args->location, "signature location");
  pdf->callback([args, r] { *r.rc = CmdSealPdf(*r.common, *args); });
}

}  // namespace kholuu::cli
