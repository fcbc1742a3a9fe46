#include "tools/kholuu/seal_key.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>

#include "archive/base/file.h"
#include "formats/x509/sign.h"
#include "tools/kholuu/tsa_client.h"

namespace kholuu::cli {

std::string SealKeyPath(const std::string& data_dir) { return data_dir + "/keys/seal-key.pem"; }
std::string SealCertPath(const std::string& data_dir) { return data_dir + "/keys/seal-cert.pem"; }

Result<formats::pdfsig::SealSigner> LoadSealKey(const std::string& data_dir) {
  const std::string key_path = SealKeyPath(data_dir);
  struct stat st {};
  if (stat(key_path.c_str(), &st) != 0) {
    return NotFoundError("no seal key at " + key_path + " (run `kholuu seal init`)");
  }
  if ((st.st_mode & 077) != 0) {
    return FailedPreconditionError(key_path + " is readable by group or others; chmod 600 it");
  }
  formats::pdfsig::SealSigner s;
  KHOLUU_ASSIGN_OR_RETURN(s.key_pem, ReadFileToString(key_path, 1u << 20));
  KHOLUU_ASSIGN_OR_RETURN(s.chain_pem, ReadFileToString(SealCertPath(data_dir), 1u << 20));
  auto id = formats::x509::LoadSigningIdentity(s.key_pem, s.chain_pem);
  if (!id.ok()) return Status(id.status()).Annotate("seal key " + key_path);
  return s;
}

Status StoreSealKey(const std::string& data_dir, const std::string& key_pem, const std::string& chain_pem,
                    bool replace) {
  KHOLUU_RETURN_IF_ERROR(formats::x509::LoadSigningIdentity(key_pem, chain_pem).status());
  if (!replace && (PathExists(SealKeyPath(data_dir)) || PathExists(SealCertPath(data_dir)))) {
    return AlreadyExistsError("a seal key already exists in " + data_dir + "/keys (use --replace)");
  }
  const std::string dir = data_dir + "/keys";
  KHOLUU_RETURN_IF_ERROR(CreateDirs(dir));
  if (chmod(dir.c_str(), 0700) != 0) return PermissionDeniedError("cannot chmod 700 " + dir);
  {
    KHOLUU_ASSIGN_OR_RETURN(AtomicFileWriter w, AtomicFileWriter::Create(SealKeyPath(data_dir)));
    // Private before a single key byte is written.
    if (chmod(w.temp_path().c_str(), 0600) != 0) return PermissionDeniedError("cannot chmod 600 " + w.temp_path());
    KHOLUU_RETURN_IF_ERROR(w.Append(key_pem));
    KHOLUU_RETURN_IF_ERROR(w.Commit());
  }
  return WriteFileAtomic(SealCertPath(data_dir), chain_pem);
}

std::string SealTsaPath(const std::string& data_dir) { return data_dir + "/keys/tsa-url"; }

Result<std::string> LoadSealTsa(const std::string& data_dir) {
  const std::string path = SealTsaPath(data_dir);
  if (!PathExists(path)) return std::string();
  KHOLUU_ASSIGN_OR_RETURN(std::string url, ReadFileToString(path, 4096));
  while (!url.empty() && (url.back() == '\n' || url.back() == '\r')) url.pop_back();
  auto parsed = ParseTsaUrl(url);
  if (!parsed.ok()) return Status(parsed.status()).Annotate(path);
  return url;
}

Result<formats::x509::TimestampFn> LoadSealTimestamp(const std::string& data_dir) {
  KHOLUU_ASSIGN_OR_RETURN(std::string url, LoadSealTsa(data_dir));
  if (url.empty()) return formats::x509::TimestampFn();
  return MakeTsaTimestampFn(url);
}

Status StoreSealTsa(const std::string& data_dir, const std::string& url) {
  const std::string path = SealTsaPath(data_dir);
  if (url.empty()) {
    if (PathExists(path) && std::remove(path.c_str()) != 0) return ErrnoError(errno, "remove " + path);
    return Status::Ok();
  }
  KHOLUU_RETURN_IF_ERROR(ParseTsaUrl(url).status());
  const std::string dir = data_dir + "/keys";
  KHOLUU_RETURN_IF_ERROR(CreateDirs(dir));
  if (chmod(dir.c_str(), 0700) != 0) return PermissionDeniedError("cannot chmod 700 " + dir);
  return WriteFileAtomic(path, url + "\n");
}

}  // namespace kholuu::cli
