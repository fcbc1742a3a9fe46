#include "ingest/seal_key.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>

#include "archive/base/file.h"
#include "formats/x509/sign.h"
#include "formats/x509/x509.h"
#include "ingest/tsa_client.h"

namespace kholuu::ingest {

Result<formats::pdfsig::SealSigner> LoadSealKey(const DataDir& data) {
  const std::string key_path = data.seal_key();
  struct stat st {};
  if (stat(key_path.c_str(), &st) != 0) {
    return NotFoundError("no seal key at " + key_path + " (run `kholuu seal init`)");
  }
  if ((st.st_mode & 077) != 0) {
    return FailedPreconditionError(key_path + " is readable by group or others; chmod 600 it");
  }
  formats::pdfsig::SealSigner s;
  KHOLUU_ASSIGN_OR_RETURN(s.key_pem, ReadFileToString(key_path, 1u << 20));
  KHOLUU_ASSIGN_OR_RETURN(s.chain_pem, ReadFileToString(data.seal_cert(), 1u << 20));
  auto id = formats::x509::LoadSigningIdentity(s.key_pem, s.chain_pem);
  if (!id.ok()) return Status(id.status()).Annotate("seal key " + key_path);
  return s;
}

Status StoreSealKey(const DataDir& data, const std::string& key_pem, const std::string& chain_pem,
                    bool replace) {
  KHOLUU_RETURN_IF_ERROR(formats::x509::LoadSigningIdentity(key_pem, chain_pem).status());
  if (!replace && (PathExists(data.seal_key()) || PathExists(data.seal_cert()))) {
    return AlreadyExistsError("a seal key already exists in " + data.keys() + " (use --replace)");
  }
  const std::string dir = data.keys();
  KHOLUU_RETURN_IF_ERROR(CreateDirs(dir));
  if (chmod(dir.c_str(), 0700) != 0) return PermissionDeniedError("cannot chmod 700 " + dir);
  {
    KHOLUU_ASSIGN_OR_RETURN(AtomicFileWriter w, AtomicFileWriter::Create(data.seal_key()));
    // Private before a single key byte is written.
    if (chmod(w.temp_path().c_str(), 0600) != 0) return PermissionDeniedError("cannot chmod 600 " + w.temp_path());
    KHOLUU_RETURN_IF_ERROR(w.Append(key_pem));
    KHOLUU_RETURN_IF_ERROR(w.Commit());
  }
  return WriteFileAtomic(data.seal_cert(), chain_pem);
}

Result<std::string> LoadSealTsa(const DataDir& data) {
  const std::string path = data.tsa_url();
  if (!PathExists(path)) return std::string();
  KHOLUU_ASSIGN_OR_RETURN(std::string url, ReadFileToString(path, 4096));
  while (!url.empty() && (url.back() == '\n' || url.back() == '\r')) url.pop_back();
  auto parsed = ParseTsaUrl(url);
  if (!parsed.ok()) return Status(parsed.status()).Annotate(path);
  return url;
}

Result<formats::x509::TimestampFn> LoadSealTimestamp(const DataDir& data) {
  KHOLUU_ASSIGN_OR_RETURN(std::string url, LoadSealTsa(data));
  if (url.empty()) return formats::x509::TimestampFn();
  return MakeTsaTimestampFn(url);
}

Status StoreSealTsa(const DataDir& data, const std::string& url) {
  const std::string path = data.tsa_url();
  if (url.empty()) {
    if (PathExists(path) && std::remove(path.c_str()) != 0) return ErrnoError(errno, "remove " + path);
    return Status::Ok();
  }
  KHOLUU_RETURN_IF_ERROR(ParseTsaUrl(url).status());
  const std::string dir = data.keys();
  KHOLUU_RETURN_IF_ERROR(CreateDirs(dir));
  if (chmod(dir.c_str(), 0700) != 0) return PermissionDeniedError("cannot chmod 700 " + dir);
  return WriteFileAtomic(path, url + "\n");
}

Result<SealKeyInfo> InstallSealKey(const DataDir& data, const SealKeySource& source, bool replace) {
  if (source.key_pem.empty() != source.chain_pem.empty()) {
    return InvalidArgumentError("a key and its certificate chain go together");
  }
  SealKeyInfo out;
  std::string key_pem = source.key_pem, chain_pem = source.chain_pem;
  out.generated = key_pem.empty();
  if (out.generated) {
    KHOLUU_ASSIGN_OR_RETURN(auto made, formats::x509::GenerateSelfSignedSeal(source.subject, source.now, source.days));
    key_pem = made.key_pem;
    chain_pem = made.cert_pem;
  }
  KHOLUU_ASSIGN_OR_RETURN(auto id, formats::x509::LoadSigningIdentity(key_pem, chain_pem));
  KHOLUU_ASSIGN_OR_RETURN(auto info, formats::x509::DescribeCertificate(id.chain_der[0]));
  KHOLUU_RETURN_IF_ERROR(StoreSealKey(data, key_pem, chain_pem, replace));
  out.subject = info.subject;
  out.sha256_hex = info.sha256_hex;
  out.not_after = formats::x509::FormatTime(info.not_after);
  out.key_algorithm = info.key_algorithm;
  return out;
}

Result<Sealed> SealWithArchiveKey(const DataDir& data, std::string_view pdf, const std::string& reason,
                                  const std::string& location) {
  KHOLUU_ASSIGN_OR_RETURN(formats::pdfsig::SealSigner signer, LoadSealKey(data));
  KHOLUU_ASSIGN_OR_RETURN(formats::x509::TimestampFn timestamp, LoadSealTimestamp(data));
  formats::pdfsig::SealOptions o;
  o.reason = reason;
  o.location = location;
  o.timestamp = timestamp;
  Sealed out;
  out.timestamped = static_cast<bool>(timestamp);
  KHOLUU_ASSIGN_OR_RETURN(out.pdf, formats::pdfsig::SealPdf(pdf, signer, o));
  return out;
}

}  // namespace kholuu::ingest
