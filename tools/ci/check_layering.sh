#!/usr/bin/env bash
# Fails if an #include crosses the dependency rules of docs/architecture.md:
# edges point down only; formats, archive and indexer never include each other;
# each third-party header stays in the one component that owns it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
fail=0

# check FOLDER ALLOWED-PROJECT-PREFIXES...   (project includes are "x/y.h")
check() {
  local folder="$1"; shift
  local allowed="$*"
  [[ -d "$folder" ]] || return 0
  while IFS= read -r line; do
    file="${line%%:*}"
    inc="$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"$line")"
    ok=0
    for prefix in $allowed; do
      [[ "$inc" == "$prefix"* ]] && ok=1
    done
    if (( ok == 0 )); then
      echo "layering: $file includes \"$inc\" (allowed: $allowed)" >&2
      fail=1
    fi
  done < <(grep -rn --include='*.h' --include='*.cc' -E '^#include "' "$folder" || true)
}

check archive/base   archive/base/
check archive/model  archive/base/ archive/model/
for sub in catalog blob audit ops; do
  check archive/$sub archive/
done
check formats  archive/base/ archive/model/ formats/
check indexer  archive/base/ archive/model/ indexer/
check ingest   archive/ formats/ indexer/ ingest/
check api      archive/ formats/ indexer/ ingest/ api/
check tools/kholuu archive/ formats/ indexer/ ingest/ tools/kholuu/
for f in archive/archive.h archive/archive.cc; do
  if grep -nE '^#include "(formats|indexer|ingest|api|tools)/' "$f"; then fail=1; fi
done

# third-party header -> the only folders that may include it
third_party() {
  local pattern="$1"; shift
  local hits
  hits="$(grep -rln --include='*.h' --include='*.cc' -E "^#include <$pattern" \
            archive formats indexer ingest api tools || true)"
  for h in $hits; do
    local ok=0
    for allowed in "$@"; do [[ "$h" == "$allowed"* ]] && ok=1; done
    if (( ok == 0 )); then echo "layering: $h includes <$pattern...> (only in: $*)" >&2; fail=1; fi
  done
}
third_party 'lmdb\.h'     archive/catalog/
third_party 'openssl/'    archive/base/ formats/x509/ formats/pdfsig/ formats/xmldsig/
third_party 'httplib\.h'  api/ tools/kholuu/
third_party 'CLI/'        tools/kholuu/
third_party 'xapian'      indexer/
third_party 'podofo/'     formats/
third_party 'archive\.h'  formats/
third_party 'xmlsec/'     formats/xmldsig/
third_party 'nlohmann/'   api/ tools/ ingest/
third_party 'poppler'     tools/bench/

# public headers must not expose third-party headers (internal/ headers may)
for h in $(find archive formats indexer ingest api -name '*.h' -not -path '*/internal/*'); do
  if grep -nE '^#include <(lmdb\.h|openssl/|httplib\.h|xapian|podofo/|poppler|archive\.h|unicode/)' "$h"; then
    echo "layering: public header $h includes a third-party header" >&2
    fail=1
  fi
done

if (( fail )); then exit 1; fi
echo "layering: ok"
