// kholuu sample: seeds an archive with the sample packages of
// ingest/sample.h, ingested through the pipeline (tools/run).
#include <stdlib.h>

#include <ctime>
#include <iostream>

#include "archive/base/file.h"
#include "ingest/pipeline.h"
#include "ingest/sample.h"
#include "tools/kholuu/commands.h"
#include "tools/kholuu/json_out.h"

namespace kholuu::cli {

int CmdSample(const Common& c) {
  auto service = OpenService(c);
  if (!service.ok()) return Fail(c, service.status());
  char tmpl[] = "/tmp/kholuu-sample-XXXXXX";
  char* dir = ::mkdtemp(tmpl);
  if (dir == nullptr) return Fail(c, InternalError("cannot create a temporary directory"));
  struct Cleanup {
    std::string dir;
    ~Cleanup() { RemoveTree(dir).IgnoreError(); }
  } cleanup{dir};
  auto packages = ingest::WriteSamplePackages(std::string(dir) + "/packages");
  if (!packages.ok()) return Fail(c, Status(packages.status()).Annotate("making the sample packages"));
  ingest::IngestOptions options;
  options.organ_id = "000.00.00.G22";  // the digitisation batch's agency
  options.preservation.verify.now = static_cast<int64_t>(std::time(nullptr));
  options.preservation.agent = "kholuu ingest (sample)";
  Status trust = (*service)->LoadTrustStore("", &options.preservation);
  if (!trust.ok()) return Fail(c, trust);
  ingest::Ingester ingester(service->get(), options);
  auto results = ingester.IngestMany(*packages, 1);
  nlohmann::json out = nlohmann::json::array();
  int rc = kExitOk;
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    if (!r.ok()) {
      std::cerr << "kholuu: sample " << (*packages)[i] << ": " << r.status().message() << "\n";
      rc = std::max(rc, ExitCodeFor(r.status()));
      continue;
    }
    nlohmann::json docs = nlohmann::json::array();
    for (const auto& d : r->documents) docs.push_back({{"id", d.id}, {"action", d.action}, {"subject", d.subject}});
    out.push_back({{"package", (*packages)[i].substr((*packages)[i].rfind('/') + 1)},
                   {"status", std::string(ingest::ReceiptStatusName(r->status))},
                   {"record_file", r->record_file},
                   {"documents", docs}});
    if (r->status == ingest::ReceiptStatus::kRejected) {
      rc = std::max(rc, kExitInternal);  // our own samples must be accepted
      for (const auto& p : r->problems) std::cerr << "kholuu: sample: " << p.code << " " << p.message_en << "\n";
    }
    if (!c.json) {
      std::cout << ingest::ReceiptStatusName(r->status) << " " << (*packages)[i].substr((*packages)[i].rfind('/') + 1)
                << " -> " << r->record_file << " (" << r->documents.size() << " document(s))\n";
    }
  }
  if (c.json) std::cout << DumpJson(out) << "\n";
  return rc;
}

}  // namespace kholuu::cli
