// kholuu seal init [--subject DN] [--key PEM --cert PEM] [--days N] [--replace] [--tsa URL]
// kholuu seal tsa URL|--none
// kholuu seal pdf FILE -o OUT [--reason R] [--location L]
//
// `seal init` installs the archive's seal key (seal_key.h): the given key and
// certificate chain, or, without --key/--cert, a new ECDSA P-256 key with a
// self-signed certificate for --subject. When --data holds an archive, the
// change is recorded in its audit log (action "seal.init", payload: the
// SHA-256 of the certificate). `--tsa` / `seal tsa` configure the RFC 3161
// TSA every seal is then timestamped by (seal_key.h LoadSealTsa; audited as
// "seal.tsa", payload: the SHA-256 of the URL). `seal pdf` seals a PDF with
// that key (PAdES-B-B, or B-T with a TSA; if the TSA fails, nothing is
// written). Exit 0 on success, 2 for usage or unreadable input (and an
// existing key without --replace, a bad TSA URL, a TSA that fails), 3
// internal.
#include <ctime>
#include <iostream>

#include "archive/archive.h"
#include "archive/base/file.h"
#include "formats/x509/sign.h"
#include "formats/x509/x509.h"
#include "tools/kholuu/json_out.h"
#include "tools/kholuu/modules.h"
#include "tools/kholuu/seal_key.h"
#include "tools/kholuu/tsa_client.h"

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
};

// Records a seal configuration change in the archive's audit log when
// --data holds an archive; returns whether it did.
Result<bool> AuditSealChange(const Common& c, const std::string& action, const std::string& detail,
                             const Sha256& digest) {
  if (!archive::Archive::IsArchive(c.data)) return false;
  KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<archive::Archive> archive, archive::Archive::Open(c.data));
  KHOLUU_RETURN_IF_ERROR(archive->catalog().Update(c.actor, [&](archive::WriteTxn& w) {
    return w.Audit(action, "seal-key", detail, digest);
  }));
  return true;
}

int CmdSealInit(const Common& c, const SealArgs& a) {
  if (a.key_file.empty() != a.cert_file.empty()) {
    return Fail(c, InvalidArgumentError("--key and --cert go together"));
  }
  std::string key_pem, cert_pem;
  const bool generated = a.key_file.empty();
  if (generated) {
    auto made = formats::x509::GenerateSelfSignedSeal(a.subject, static_cast<int64_t>(std::time(nullptr)), a.days);
    if (!made.ok()) return Fail(c, made.status());
    key_pem = made->key_pem;
    cert_pem = made->cert_pem;
  } else {
    auto k = ReadFileToString(a.key_file, 1u << 20);
    if (!k.ok()) return Fail(c, InvalidArgumentError(k.status().message()));
    auto ce = ReadFileToString(a.cert_file, 1u << 20);
    if (!ce.ok()) return Fail(c, InvalidArgumentError(ce.status().message()));
    key_pem = *k;
    cert_pem = *ce;
  }
  if (!a.tsa_url.empty()) {
    auto url = ParseTsaUrl(a.tsa_url);
    if (!url.ok()) return Fail(c, url.status());
  }
  auto id = formats::x509::LoadSigningIdentity(key_pem, cert_pem);
  if (!id.ok()) return Fail(c, id.status());
  auto info = formats::x509::DescribeCertificate(id->chain_der[0]);
  if (!info.ok()) return Fail(c, info.status());
  Status s = StoreSealKey(c.data, key_pem, cert_pem, a.replace);
  if (!s.ok()) return Fail(c, s);
  auto digest = Sha256::FromHex(info->sha256_hex);
  if (!digest.ok()) return Fail(c, digest.status());
  auto audited = AuditSealChange(c, "seal.init",
                                 std::string(generated ? "generated" : "imported") + " " + info->subject, *digest);
  if (!audited.ok()) return Fail(c, audited.status());
  if (!a.tsa_url.empty()) {
    s = StoreSealTsa(c.data, a.tsa_url);
    if (!s.ok()) return Fail(c, s);
    auto logged = AuditSealChange(c, "seal.tsa", "TSA " + a.tsa_url, Sha256Of(a.tsa_url));
    if (!logged.ok()) return Fail(c, logged.status());
  }
  nlohmann::json j = {{"key", SealKeyPath(c.data)},      {"cert", SealCertPath(c.data)},
                      {"subject", info->subject},         {"sha256", info->sha256_hex},
                      {"not_after", formats::x509::FormatTime(info->not_after)},
                      {"key_algorithm", info->key_algorithm}, {"generated", generated},
                      {"audited", *audited}};
  if (!a.tsa_url.empty()) j["tsa"] = a.tsa_url;
  if (c.json) {
    std::cout << DumpJson(j) << "\n";
  } else {
    std::cout << (generated ? "generated" : "imported") << " seal key for " << info->subject << "\n  "
              << SealKeyPath(c.data) << "\n  " << SealCertPath(c.data) << "\n  sha256 " << info->sha256_hex
              << (a.tsa_url.empty() ? "" : "\n  timestamps from " + a.tsa_url)
              << (*audited ? "\n  (recorded in the audit log)" : "") << "\n";
  }
  return kExitOk;
}

int CmdSealTsa(const Common& c, const SealArgs& a) {
  if (a.tsa_none == !a.tsa_url.empty()) return Fail(c, InvalidArgumentError("give a TSA URL or --none"));
  Status s = StoreSealTsa(c.data, a.tsa_url);
  if (!s.ok()) return Fail(c, s);
  auto audited = AuditSealChange(c, "seal.tsa", a.tsa_none ? "no TSA" : "TSA " + a.tsa_url,
                                 Sha256Of(a.tsa_url));
  if (!audited.ok()) return Fail(c, audited.status());
  if (c.json) {
    std::cout << DumpJson({{"tsa", a.tsa_none ? nlohmann::json(nullptr) : nlohmann::json(a.tsa_url)},
                           {"file", SealTsaPath(c.data)},
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
  auto signer = LoadSealKey(c.data);
  if (!signer.ok()) return Fail(c, signer.status());
  auto timestamp = LoadSealTimestamp(c.data);
  if (!timestamp.ok()) return Fail(c, timestamp.status());
  auto in = ReadFileToString(a.file, uint64_t{1} << 30);
  if (!in.ok()) return Fail(c, InvalidArgumentError(in.status().message()));
  formats::pdfsig::SealOptions o;
  o.reason = a.reason;
  o.location = a.location;
  o.timestamp = *timestamp;
  auto sealed = formats::pdfsig::SealPdf(*in, *signer, o);
  if (!sealed.ok()) return Fail(c, sealed.status());
  Status s = WriteFileAtomic(a.out, *sealed);
  if (!s.ok()) return Fail(c, s);
  if (c.json) {
    std::cout << DumpJson({{"file", a.file}, {"out", a.out}, {"bytes", sealed->size()},
                           {"timestamped", static_cast<bool>(o.timestamp)}})
              << "\n";
  } else {
    std::cout << "sealed " << a.file << " -> " << a.out << "\n";
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
  pdf->add_option("-o,--output", args->out, "sealed PDF to write")->required();
  pdf->add_option("--reason", args->reason, "signature reason");
  pdf->add_option("--location", args->location, "signature location");
  pdf->callback([args, r] { *r.rc = CmdSealPdf(*r.common, *args); });
}

}  // namespace kholuu::cli
