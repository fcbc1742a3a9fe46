// The archive's seal key: the private key and certificate chain kholuu signs
// its PDF/A-3b renditions with (formats/pdfsig SealPdf). Stored as
//   <data dir>/keys/seal-key.pem   private key, PEM, mode 0600
//   <data dir>/keys/seal-cert.pem  certificate chain, PEM, leaf first
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

}  // namespace kholuu::cli
