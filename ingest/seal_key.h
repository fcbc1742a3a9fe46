// The archive's seal key: the private key and certificate chain kholuu signs
// its PDF/A-3b renditions with (formats/pdfsig SealPdf). Stored as
// (paths from DataDir)
//   <data dir>/keys/seal-key.pem   private key, PEM, mode 0600
//   <data dir>/keys/seal-cert.pem  certificate chain, PEM, leaf first
//   <data dir>/keys/tsa-url        the RFC 3161 TSA seals are timestamped by
//                                  (one URL, optional: no file = no TSA)
// in a directory of mode 0700. See docs/signatures.md ("Sealing") and
// docs/adr/0051-seal-key-storage.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "archive/base/status.h"
#include "formats/pdfsig/seal.h"
#include "ingest/data_dir.h"

namespace kholuu::ingest {

// Loads and checks the seal key. Errors: kNotFound when there is none ("run
// kholuu seal init"); kFailedPrecondition when the key file is readable by
// group or others; kInvalidArgument when the key and certificate do not
// belong together or do not parse.
Result<formats::pdfsig::SealSigner> LoadSealKey(const DataDir& data);

// Checks `key_pem` and `chain_pem` (as LoadSigningIdentity) and stores them
// atomically (key 0600, directory 0700). Errors: kAlreadyExists when a seal
// key exists and !replace; kInvalidArgument for a bad pair; I/O errors.
Status StoreSealKey(const DataDir& data, const std::string& key_pem, const std::string& chain_pem,
                    bool replace);

// The configured TSA URL, or "" when none is. Errors: I/O errors reading
// the file; kInvalidArgument when it does not hold a valid TSA URL
// (tsa_client.h ParseTsaUrl) — a broken configuration is never read as
// "no TSA".
Result<std::string> LoadSealTsa(const DataDir& data);

// The configured TSA's timestamp function (tsa_client.h
// MakeTsaTimestampFn), or an empty function when no TSA is configured.
// Errors: as LoadSealTsa.
Result<formats::x509::TimestampFn> LoadSealTimestamp(const DataDir& data);

// Stores `url` (checked with ParseTsaUrl) atomically, or removes the
// setting when `url` is empty. Errors: kInvalidArgument for a bad URL; I/O.
Status StoreSealTsa(const DataDir& data, const std::string& url);

// What InstallSealKey installed.
struct SealKeyInfo {
  std::string subject;         // the leaf certificate's subject
  std::string sha256_hex;      // of the leaf certificate (DER)
  std::string not_after;       // ISO 8601 UTC
  std::string key_algorithm;
  bool generated = false;
};

struct SealKeySource {
  // Either both PEMs (an imported key and chain, leaf first), or neither: a
  // new ECDSA P-256 key with a self-signed certificate for `subject`, valid
  // `days` from `now`.
  std::string key_pem, chain_pem;
  std::string subject;
  int days = 3650;
  int64_t now = 0;             // seconds since the epoch
};

// Generates or checks the key (as LoadSigningIdentity) and stores it
// (StoreSealKey). Errors: kInvalidArgument for a bad pair or a half-given
// source; as StoreSealKey.
Result<SealKeyInfo> InstallSealKey(const DataDir& data, const SealKeySource& source, bool replace);

// Seals `pdf` with the archive's seal key (PAdES-B-B incremental update;
// B-T when a TSA is configured, which must then answer). Errors: as
// LoadSealKey, LoadSealTimestamp and formats/pdfsig SealPdf.
struct Sealed {
  std::string pdf;
  bool timestamped = false;
};
Result<Sealed> SealWithArchiveKey(const DataDir& data, std::string_view pdf, const std::string& reason,
                                  const std::string& location);

}  // namespace kholuu::ingest
