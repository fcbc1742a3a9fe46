// Edits a catalog file directly through LMDB, bypassing kholuu, as an
// attacker, a bug or bit rot would. For corruption and schema tests.
#pragma once

#include <string>

namespace kholuu::testing {

// Big-endian 8-byte key, as the catalog's numbered tables use.
std::string SeqKey(unsigned long long v);

// Returns the value under `key` in `table` of the LMDB environment in
// `catalog_dir`, or "" if absent. Fails the test on LMDB errors.
std::string RawGet(const std::string& catalog_dir, const char* table, const std::string& key);

// Sets `key` to `value`; an empty value deletes the key.
void RawPut(const std::string& catalog_dir, const char* table, const std::string& key,
            const std::string& value);

// Removes the one pair (key, value) from a DUPSORT `table`.
void RawDelDup(const std::string& catalog_dir, const char* table, const std::string& key,
               const std::string& value);

}  // namespace kholuu::testing
