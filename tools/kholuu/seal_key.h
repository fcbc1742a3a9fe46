// The archive's seal key: the private key and certificate chain kholuu signs
// its PDF/A-3b renditions with (formats/pdfsig SealPdf). Stored as
//   <data dir>/keys/seal-key.pem   private key, PEM, mode 0600
//   <data dir>/keys/seal-cert.pem  certificate chain, PEM, leaf first
//   <data dir>/keys/tsa-url        the RFC 3161 TSA seals are timestamped by
//                                  (one URL, optional: no file = no TSA)
// in a directory of mode 0700. See docs/signatures.md ("Sealing") and
// docs/adr/0051-seal-key-storage.md.
#pragma once

#include <string>

#include "archive/base/status.h"
#include "formats/pdfsig/seal.h"

namespace kholuu::cli {

std::string SealKeyPath(const std::string& data_dir);
std::string SealCertPath(const std::string& data_dir);

// Loads and checks the seal key. Errors: kNotFound when there is none ("run
// kholuu seal init"); kFailedPrecondition when the key file is readable by
// group or others; kInvalidArgument when the key and certificate do not
// belong together or do not parse.
Result<formats::pdfsig::SealSigner> LoadSealKey(const std::string& data_dir);

// Checks `key_pem` and `chain_pem` (as LoadSigningIdentity) and stores them
// atomically (key 0600, directory 0700). Errors: kAlreadyExists when a seal
// key exists and !replace; kInvalidArgument for a bad pair; I/O errors.
Status StoreSealKey(const std::string& data_dir, const std::string& key_pem, const std::string& chain_pem,
                    bool replace);

std::string SealTsaPath(const std::string& data_dir);

// The configured TSA URL, or "" when none is. Errors: I/O errors reading
// the file; kInvalidArgument when it does not hold a valid TSA URL
// (tsa_client.h ParseTsaUrl) — a broken configuration is never read as
// "no TSA".
Result<std::string> LoadSealTsa(const std::string& data_dir);

// The configured TSA's timestamp function (tsa_client.h
// MakeTsaTimestampFn), or an empty function when no TSA is configured.
// Errors: as LoadSealTsa.
Result<formats::x509::TimestampFn> LoadSealTimestamp(const std::string& data_dir);

// Stores `url` (checked with ParseTsaUrl) atomically, or removes the
// setting when `url` is empty. Errors: kInvalidArgument for a bad URL; I/O.
Status StoreSealTsa(const std::string& data_dir, const std::string& url);

}  // namespace kholuu::cli
