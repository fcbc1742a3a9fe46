#include "tests/formats/package/archive_writer.h"

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>

#include <cstdio>
#include <cstdlib>

#include "tests/support/temp_dir.h"

namespace kholuu::testing {
namespace {

void Check(archive* a, int r, const char* what) {
  if (r != ARCHIVE_OK) {
    std::fprintf(stderr, "test archive writer: %s: %s\n", what, archive_error_string(a));
    std::abort();
  }
}

}  // namespace

void WriteTestArchive(const std::string& path, TestFormat format,
                      const std::vector<TestEntry>& entries) {
  // libarchive converts names through the locale's character set; the
  // tests run in "C", so this thread uses C.UTF-8 while writing.
  const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  const locale_t previous = uselocale(utf8);
  archive* a = archive_write_new();
  if (format == TestFormat::kZip) {
    Check(a, archive_write_set_format_zip(a), "zip");
  } else {
    Check(a, archive_write_set_format_pax_restricted(a), "tar");
    if (format == TestFormat::kTarGz) Check(a, archive_write_add_filter_gzip(a), "gzip");
  }
  Check(a, archive_write_open_filename(a, path.c_str()), "open");
  for (const TestEntry& t : entries) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname_utf8(e, t.path.c_str());
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, 1700000000, 0);
    switch (t.kind) {
      case TestEntry::kFile:
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_size(e, static_cast<la_int64_t>(t.data.size()));
        break;
      case TestEntry::kDir:
        archive_entry_set_filetype(e, AE_IFDIR);
        archive_entry_set_perm(e, 0755);
        break;
      case TestEntry::kSymlink:
        archive_entry_set_filetype(e, AE_IFLNK);
        archive_entry_set_symlink(e, t.data.c_str());
        break;
      case TestEntry::kHardlink:
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_hardlink(e, t.data.c_str());
        archive_entry_set_size(e, 0);
        break;
      case TestEntry::kCharDevice:
        archive_entry_set_filetype(e, AE_IFCHR);
        archive_entry_set_rdev(e, makedev(1, 3));
        break;
      case TestEntry::kFifo:
        archive_entry_set_filetype(e, AE_IFIFO);
        break;
    }
    Check(a, archive_write_header(a, e), "header");
    if (t.kind == TestEntry::kFile && !t.data.empty()) {
      size_t off = 0;
      while (off < t.data.size()) {
        const size_t n = std::min<size_t>(1 << 20, t.data.size() - off);
        if (archive_write_data(a, t.data.data() + off, n) != static_cast<la_ssize_t>(n)) {
          Check(a, ARCHIVE_FATAL, "data");
        }
        off += n;
      }
    }
    archive_entry_free(e);
  }
  Check(a, archive_write_close(a), "close");
  archive_write_free(a);
  uselocale(previous);
  freelocale(utf8);
}

std::string TestArchiveBytes(TestFormat format, const std::vector<TestEntry>& entries) {
  TempDir t;
  const std::string p = t.Sub("a");
  WriteTestArchive(p, format, entries);
  return ReadTestFile(p);
}

}  // namespace kholuu::testing
