// A writer for the crash test: commits record files in a loop until killed.
// Each iteration stores three blobs, then commits one record file with three
// documents, three components and an ingestion event in a single transaction,
// and only then prints "committed <file code>" on stdout.
//
// usage: kholuu-crash-writer DATA_DIR SEED
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "archive/archive.h"
#include "tests/support/fixtures.h"

using namespace kholuu;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s DATA_DIR SEED\n", argv[0]);
    return 2;
  }
  std::mt19937_64 rng(std::strtoull(argv[2], nullptr, 10));
  auto a = archive::Archive::Open(argv[1]);
  if (!a.ok()) {
    std::fprintf(stderr, "open: %s\n", a.status().ToString().c_str());
    return 3;
  }
  archive::Archive& ar = **a;
  uint64_t next = 0;
  {
    auto r = ar.catalog().BeginRead();
    if (!r.ok()) return 3;
    next = r->Counts()->record_files + 1;
  }
  for (;; ++next) {
    model::RecordFile f = testing::SampleRecordFile(static_cast<int>(next));
    f.doc_total = 3;
    std::vector<archive::BlobInfo> blobs;
    for (int i = 0; i < 3; ++i) {
      size_t size = 1024 + rng() % (256 * 1024);
      std::string bytes(size, '\0');
      for (size_t j = 0; j < size; j += 8) {
        uint64_t v = rng();
        for (size_t k = 0; k < 8 && j + k < size; ++k) bytes[j + k] = static_cast<char>(v >> (8 * k));
      }
      auto info = ar.blobs().PutBytes(bytes);
      if (!info.ok()) {
        std::fprintf(stderr, "put: %s\n", info.status().ToString().c_str());
        return 3;
      }
      blobs.push_back(*info);
    }
    Status s = ar.catalog().Update("crash-writer", [&](archive::WriteTxn& w) -> Status {
      KHOLUU_RETURN_IF_ERROR(w.PutRecordFile(f));
      for (int i = 1; i <= 3; ++i) {
        model::Document d = testing::SampleDocument(f, i);
        KHOLUU_RETURN_IF_ERROR(w.PutDocument(d));
        const archive::BlobInfo& b = blobs[static_cast<size_t>(i - 1)];
        KHOLUU_RETURN_IF_ERROR(w.PutComponent(testing::SampleComponent(d, b.sha256, b.size)));
      }
      model::Event e;
      e.type = model::EventType::kIngestion;
      e.object_id = f.file_code.ToString();
      e.detail = "crash-writer";
      KHOLUU_ASSIGN_OR_RETURN(uint64_t seq, w.AddEvent(e));
      (void)seq;
      return Status::Ok();
    });
    if (!s.ok()) {
      std::fprintf(stderr, "commit: %s\n", s.ToString().c_str());
      return 3;
    }
    std::printf("committed %s\n", f.file_code.ToString().c_str());
    std::fflush(stdout);
  }
}
