#include "ingest/data_dir.h"

#include <cstdlib>

namespace kholuu::ingest {

DataDir DataDir::Default() {
  const char* env = std::getenv("KHOLUU_DATA");
  if (env != nullptr && *env != '\0') return DataDir(env);
  return DataDir("./var/kholuu");
}

}  // namespace kholuu::ingest
