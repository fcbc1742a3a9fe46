#include "archive/blob/blob_store.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu::archive {
namespace {

using ::kholuu::testing::StatusIs;
using ::kholuu::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string StoreRoot(const TempDir& dir) { return dir.Sub("blobs"); }

std::unique_ptr<BlobStore> MustOpen(const std::string& root) {
  Result<std::unique_ptr<BlobStore>> store = BlobStore::Open(root, /*create=*/true);
  EXPECT_OK(store.status());
  return store.ok() ? std::move(*store) : nullptr;
}

// Deterministic, incompressible-looking bytes.
std::string RandomBytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string out(n, '\0');
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<char>(rng() & 0xff);
  return out;
}

std::vector<Sha256> AllBlobs(const BlobStore& store) {
  std::vector<Sha256> out;
  Status s = store.ForEach([&](const Sha256& d) {
    out.push_back(d);
    return Status::Ok();
  });
  EXPECT_OK(s);
  return out;
}

std::vector<std::string> TempFiles(const std::string& root) {
  Result<std::vector<std::string>> names = ListDir(JoinPath(root, "tmp"));
  EXPECT_OK(names.status());
  return names.ok() ? *names : std::vector<std::string>{};
}

// Reads a blob to its end through the reader; returns the final status.
Status ReadAll(BlobReader& reader, std::string* out) {
  char buf[4096];
  for (;;) {
    Result<size_t> n = reader.Read(buf, sizeof buf);
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::Ok();
    out->append(buf, *n);
  }
}

// Blobs are 0444; FlipByte needs write access when the tests run as non-root.
void CorruptBlob(const std::string& path, long offset) {
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  testing::FlipByte(path, offset);
  ASSERT_EQ(::chmod(path.c_str(), 0444), 0);
}

ino_t InodeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_ino;
}

// Waits for a forked child and returns its exit code (or -1 if it died).
int WaitChild(pid_t pid) {
  int wstatus = 0;
  if (::waitpid(pid, &wstatus, 0) != pid) return -1;
  return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
}

TEST(BlobStoreTest, PutAndReadBackRoundTrip) {
  TempDir dir;
  auto store = MustOpen(StoreRoot(dir));
  ASSERT_NE(store, nullptr);
  const std::string data = RandomBytes(3 * 1024 * 1024 + 17, 1);  // several buffers
  ASSERT_OK_AND_ASSIGN(BlobInfo info, store->PutBytes(data));
  EXPECT_EQ(info.sha256, Sha256Of(data));
  EXPECT_EQ(info.size, data.size());
  EXPECT_TRUE(store->Contains(info.sha256));
  ASSERT_OK_AND_ASSIGN(uint64_t size, store->Size(info.sha256));
  EXPECT_EQ(size, data.size());
  EXPECT_OK(store->Verify(info.sha256));

  ASSERT_OK_AND_ASSIGN(BlobReader reader, store->Open(info.sha256));
  EXPECT_EQ(reader.size(), data.size());
  std::string got;
  EXPECT_OK(ReadAll(reader, &got));
  EXPECT_EQ(got, data);
  EXPECT_THAT(TempFiles(store->root()), IsEmpty());
}

TEST(BlobStoreTest, EmptyBlobAndPutFile) {
  TempDir dir;
  auto store = MustOpen(StoreRoot(dir));
  ASSERT_NE(store, nullptr);
  ASSERT_OK_AND_ASSIGN(BlobInfo empty, store->PutBytes(""));
  EXPECT_EQ(empty.sha256.ToHex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(empty.size, 0u);
  ASSERT_OK_AND_ASSIGN(BlobReader reader, store->Open(empty.sha256));
  std::string got;
  EXPECT_OK(ReadAll(reader, &got));
  EXPECT_EQ(got, "");

  testing::WriteTestFile(dir.Sub("in"), "công văn số 12/UBND");
  ASSERT_OK_AND_ASSIGN(BlobInfo info, store->PutFile(dir.Sub("in")));
  EXPECT_EQ(info.sha256, Sha256Of("công văn số 12/UBND"));
  EXPECT_EQ(testing::ReadTestFile(store->PathOf(info.sha256)), "công văn số 12/UBND");
  EXPECT_THAT(store->PutFile(dir.Sub("missing")), StatusIs(StatusCode::kNotFound));
}

TEST(BlobStoreTest, PathLayoutAndReadOnlyMode) {
  TempDir dir;
  auto store = MustOpen(StoreRoot(dir));
  ASSERT_NE(store, nullptr);
  ASSERT_OK_AND_ASSIGN(BlobInfo info, store->PutBytes("abc"));
  const std::string hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  ASSERT_EQ(info.sha256.ToHex(), hex);
  const std::string expected_path = StoreRoot(dir) + "/sha256/ba/78/" + hex;
  EXPECT_EQ(store->PathOf(info.sha256), expected_path);
  struct stat st {};
  ASSERT_EQ(::stat(expected_path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0444u);
  EXPECT_EQ(testing::ReadTestFile(expected_path), "abc");
}

TEST(BlobStoreTest, BlobsAreReadOnlyWhateverTheUmask) {
  TempDir dir;
  auto store = MustOpen(StoreRoot(dir));
  ASSERT_NE(store, nullptr);
  mode_t old = ::umask(0077);  // a common hardened umask: would give 0400
  Result<BlobInfo> info = store->PutBytes("umask");
  ::umask(old);
  ASSERT_OK(info.status());
  struct stat st {};
  ASSERT_EQ(::stat(store->PathOf(info->sha256).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0444u);
}

TEST(BlobStoreTest, DuplicatePutLeavesExistingBlobUntouched) {
  TempDir dir;
  auto store = MustOpen(StoreRoot(dir));
  ASSERT_NE(store, nullptr);
  ASSERT_OK_AND_ASSIGN(BlobInfo first, store->PutBytes("same bytes"));
  const std::string path = store->PathOf(first.sha256);
  const ino_t inode = InodeOf(path);
  ASSERT_OK_AND_ASSIGN(BlobInfo second, store->PutBytes("same bytes"));
  EXPECT_EQ(second.sha256, first.sha256);
  EXPECT_EQ(second.size, first.size);
  EXPECT_EQ(InodeOf(path), inode);  // not replaced by the second copy
  EXPECT_EQ(AllBlobs(*store).size(), 1u);
  EXPECT_THAT(TempFiles(store->root()), IsEmpty());
}

TEST(BlobStoreTest, ConcurrentPutsOfSameBytesLeaveOneBlob) {
  TempDir dir;
  auto store = MustOpen(StoreRoot(dir));
  ASSERT_NE(store, nullptr);
  const std::string data = RandomBytes(2 * 1024 * 1024 + 5, 7);
  constexpr int kThreads = 8;
  std::vector<Result<BlobInfo>> results(kThreads, Result<BlobInfo>(InternalError("not run")));
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] { results[static_cast<size_t>(i)] = store->PutBytes(data); });
  }
  for (std::thread& t : threads) t.join();
  for (const Result<BlobInfo>& r : results) {
    ASSERT_OK(r.status());
    EXPECT_EQ(r->sha256, Sha256Of(data));
  }
  EXPECT_EQ(AllBlobs(*store), std::vector<Sha256>{Sha256Of(data)});
  EXPECT_OK(store->Verify(Sha256Of(data)));
  EXPECT_THAT(TempFiles(store->root()), IsEmpty());
}

// Writes `size` pseudo-random bytes to `path` one MiB at a time (the test
// itself must not hold the content) and returns their digest.
Sha256 WriteLargeFile(const std::string& path, uint64_t size) {
  Result<File> f = File::Open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  EXPECT_OK(f.status());
  if (!f.ok()) return Sha256();
  std::mt19937_64 rng(42);
  std::vector<uint64_t> words((1 << 20) / sizeof(uint64_t));
  Sha256Hasher hasher;
  for (uint64_t written = 0; written < size; written += 1 << 20) {
    for (uint64_t& w : words) w = rng();
    std::string_view chunk(reinterpret_cast<const char*>(words.data()), 1 << 20);
    hasher.Update(chunk);
    EXPECT_OK(f->WriteAll(chunk));
  }
  EXPECT_OK(f->Close());
  return hasher.Finish();
}

long MaxRssKiB() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// Runs `fn` in a forked child and returns how much its peak RSS grew, in KiB
// (-1 on failure). A child starts with a peak equal to its current RSS, so
// memory freed by earlier tests cannot hide the growth.
long PeakRssGrowthInChild(const std::function<bool()>& fn) {
  int fds[2];
  if (::pipe(fds) != 0) return -1;
  pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    ::close(fds[0]);
    long before = MaxRssKiB();
    long growth = fn() ? MaxRssKiB() - before : -1;
    ssize_t w = ::write(fds[1], &growth, sizeof growth);
    _exit(w == sizeof growth ? 0 : 1);
  }
  ::close(fds[1]);
  long growth = -1;
  ssize_t r = ::read(fds[0], &growth, sizeof growth);
  ::close(fds[0]);
  if (WaitChild(pid) != 0 || r != sizeof growth) return -1;
  return growth;
}

TEST(BlobStoreTest, LargeFileIsStreamedNotHeldInMemory) {
  TempDir dir;
  constexpr uint64_t kSize = uint64_t{64} << 20;
  const std::string input = dir.Sub("large.bin");
  const Sha256 expected = WriteLargeFile(input, kSize);
  {
    auto store = MustOpen(StoreRoot(dir));  // created before the fork
    ASSERT_NE(store, nullptr);
  }

  // Control: holding the file in memory must show up, or the measurement
  // below would prove nothing.
  long control_kib = PeakRssGrowthInChild([&] {
    Result<std::string> all = ReadFileToString(input, kSize);
    return all.ok() && all->size() == kSize;
  });
  ASSERT_GE(control_kib, 0);
  EXPECT_GT(control_kib, 48 * 1024) << "RSS measurement cannot see a 64 MiB buffer";

  long put_kib = PeakRssGrowthInChild([&] {
    Result<std::unique_ptr<BlobStore>> store = BlobStore::Open(StoreRoot(dir), false);
    if (!store.ok()) return false;
    Result<BlobInfo> info = (*store)->PutFile(input);
    return info.ok() && info->sha256 == expected && info->size == kSize;
  });
  ASSERT_GE(put_kib, 0) << "PutFile failed in the child";
  EXPECT_LT(put_kib, 32 * 1024) << "Put's peak RSS grew by " << put_kib << " KiB";

  auto store = MustOpen(StoreRoot(dir));
  ASSERT_NE(store, nullptr);
  ASSERT_OK_AND_ASSIGN(uint64_t size, store->Size(expected));
  EXPECT_EQ(size, kSize);
  EXPECT_OK(store->Verify(expected));
}

TEST(BlobStoreTest, FlippedByteIsDetectedByVerifyAndReader) {
  TempDir dir;
  auto store = MustOpen(StoreRoot(dir));
  ASSERT_NE(store, nullptr);
  const std::string data = RandomBytes(100000, 3);
  ASSERT_OK_AND_ASSIGN(BlobInfo info, store->PutBytes(data));
  const std::string path = store->PathOf(info.sha256);
  CorruptBlob(path, 54321);
  const Sha256 actual = Sha256Of(testing::ReadTestFile(path));
  ASSERT_NE(actual, info.sha256);

  Status verify = store->Verify(info.sha256);
  EXPECT_THAT(verify, StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(verify.message(), HasSubstr(actual.ToHex()));

  ASSERT_OK_AND_ASSIGN(BlobReader reader, store->Open(info.sha256));
  std::string got;
  EXPECT_THAT(ReadAll(reader, &got), StatusIs(StatusCode::kDataLoss));
  EXPECT_EQ(got.size(), data.size());  // the error comes at the end of the stream
  char c;
  EXPECT_THAT(reader.Read(&c, 1), StatusIs(StatusCode::kDataLoss));  // and stays

  ASSERT_OK_AND_ASSIGN(BlobReader unverified, store->Open(info.sha256, /*verify=*/false));
  std::string raw;
  EXPECT_OK(ReadAll(unverified, &raw));
  EXPECT_NE(raw, data);
}

TEST(BlobStoreTest, MissingBlobIsNotFound) {
  TempDir dir;
  auto store = MustOpen(StoreRoot(dir));
  ASSERT_NE(store, nullptr);
  const Sha256 absent = Sha256Of("never stored");
  EXPECT_FALSE(store->Contains(absent));
  EXPECT_THAT(store->Open(absent), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(store->Size(absent), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(store->Verify(absent), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(store->CopyTo(absent, dir.Sub("out")), StatusIs(StatusCode::kNotFound));
  EXPECT_FALSE(PathExists(dir.Sub("out")));
  EXPECT_OK(store->Remove(absent));
}

TEST(BlobStoreTest, RemoveDeletesBlob) {
  TempDir dir;
  auto store = MustOpen(StoreRoot(dir));
  ASSERT_NE(store, nullptr);
  ASSERT_OK_AND_ASSIGN(BlobInfo info, store->PutBytes("garbage"));
  ASSERT_TRUE(store->Contains(info.sha256));
  EXPECT_OK(store->Remove(info.sha256));
  EXPECT_FALSE(store->Contains(info.sha256));
  EXPECT_FALSE(PathExists(store->PathOf(info.sha256)));
  EXPECT_OK(store->Remove(info.sha256));
  // It can be stored again afterwards.
  ASSERT_OK(store->PutBytes("garbage").status());
  EXPECT_OK(store->Verify(info.sha256));
}

TEST(BlobStoreTest, PutExpectedWithWrongDigestStoresNothing) {
  TempDir dir;
  auto store = MustOpen(StoreRoot(dir));
  ASSERT_NE(store, nullptr);
  testing::WriteTestFile(dir.Sub("replica"), "actual bytes");
  const Sha256 claimed = Sha256Of("claimed bytes");
  Result<BlobInfo> r = store->PutExpected(dir.Sub("replica"), claimed);
  EXPECT_THAT(r, StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(r.status().message(), HasSubstr(Sha256Of("actual bytes").ToHex()));
  EXPECT_FALSE(store->Contains(claimed));
  EXPECT_FALSE(store->Contains(Sha256Of("actual bytes")));
  EXPECT_THAT(AllBlobs(*store), IsEmpty());
  EXPECT_THAT(TempFiles(store->root()), IsEmpty());
}

TEST(BlobStoreTest, PutExpectedStoresVerifiedCopy) {
  TempDir dir;
  auto store = MustOpen(StoreRoot(dir));
  ASSERT_NE(store, nullptr);
  testing::WriteTestFile(dir.Sub("replica"), "restored bytes");
  ASSERT_OK_AND_ASSIGN(BlobInfo info,
                       store->PutExpected(dir.Sub("replica"), Sha256Of("restored bytes")));
  EXPECT_EQ(info.size, 14u);
  EXPECT_OK(store->Verify(Sha256Of("restored bytes")));
}

TEST(BlobStoreTest, PutExpectedRepairsCorruptBlob) {
  TempDir dir;
  auto store = MustOpen(StoreRoot(dir));
  ASSERT_NE(store, nullptr);
  const std::string data = RandomBytes(5000, 11);
  ASSERT_OK_AND_ASSIGN(BlobInfo info, store->PutBytes(data));
  const std::string path = store->PathOf(info.sha256);
  CorruptBlob(path, 100);
  ASSERT_THAT(store->Verify(info.sha256), StatusIs(StatusCode::kDataLoss));

  // A Put of the good bytes does not repair: Put never replaces.
  ASSERT_OK(store->PutBytes(data).status());
  EXPECT_THAT(store->Verify(info.sha256), StatusIs(StatusCode::kDataLoss));

  // A replica that is itself corrupt is refused and changes nothing.
  testing::WriteTestFile(dir.Sub("bad-replica"), testing::ReadTestFile(path));
  EXPECT_THAT(store->PutExpected(dir.Sub("bad-replica"), info.sha256),
              StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(store->Verify(info.sha256), StatusIs(StatusCode::kDataLoss));

  testing::WriteTestFile(dir.Sub("replica"), data);
  ASSERT_OK_AND_ASSIGN(BlobInfo repaired, store->PutExpected(dir.Sub("replica"), info.sha256));
  EXPECT_EQ(repaired.sha256, info.sha256);
  EXPECT_OK(store->Verify(info.sha256));
  EXPECT_EQ(testing::ReadTestFile(path), data);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0444u);
  EXPECT_THAT(TempFiles(store->root()), IsEmpty());
}

TEST(BlobStoreTest, PutExpectedLeavesGoodBlobUntouched) {
  TempDir dir;
  auto store = MustOpen(StoreRoot(dir));
  ASSERT_NE(store, nullptr);
  ASSERT_OK_AND_ASSIGN(BlobInfo info, store->PutBytes("good"));
  const ino_t inode = InodeOf(store->PathOf(info.sha256));
  testing::WriteTestFile(dir.Sub("replica"), "good");
  ASSERT_OK(store->PutExpected(dir.Sub("replica"), info.sha256).status());
  EXPECT_EQ(InodeOf(store->PathOf(info.sha256)), inode);
  EXPECT_THAT(TempFiles(store->root()), IsEmpty());
}

TEST(BlobStoreTest, CopyToWritesVerifiedCopyAtomically) {
  TempDir dir;
  auto store = MustOpen(StoreRoot(dir));
  ASSERT_NE(store, nullptr);
  const std::string data = RandomBytes(1500000, 5);
  ASSERT_OK_AND_ASSIGN(BlobInfo info, store->PutBytes(data));
  ASSERT_OK(CreateDirs(dir.Sub("out")));
  EXPECT_OK(store->CopyTo(info.sha256, dir.Sub("out/copy")));
  EXPECT_EQ(testing::ReadTestFile(dir.Sub("out/copy")), data);

  // A corrupt blob is not copied: the previous destination stays as it was.
  testing::WriteTestFile(dir.Sub("out/copy"), "previous");
  CorruptBlob(store->PathOf(info.sha256), 1400000);
  EXPECT_THAT(store->CopyTo(info.sha256, dir.Sub("out/copy")), StatusIs(StatusCode::kDataLoss));
  EXPECT_EQ(testing::ReadTestFile(dir.Sub("out/copy")), "previous");
  ASSERT_OK_AND_ASSIGN(auto names, ListDir(dir.Sub("out")));
  EXPECT_EQ(names, std::vector<std::string>{"copy"});  // no temporary left
}

TEST(BlobStoreTest, ForEachIsSortedAndSkipsForeignNames) {
  TempDir dir;
  auto store = MustOpen(StoreRoot(dir));
  ASSERT_NE(store, nullptr);
  std::vector<Sha256> expected;
  for (int i = 0; i < 20; ++i) {
    ASSERT_OK_AND_ASSIGN(BlobInfo info, store->PutBytes("blob " + std::to_string(i)));
    expected.push_back(info.sha256);
  }
  std::sort(expected.begin(), expected.end());

  const std::string sha_dir = JoinPath(store->root(), "sha256");
  const std::string some = expected[0].ToHex();
  const std::string leaf = DirName(store->PathOf(expected[0]));
  testing::WriteTestFile(JoinPath(sha_dir, "README"), "x");
  ASSERT_OK(CreateDirs(JoinPath(sha_dir, "zz/00")));
  testing::WriteTestFile(JoinPath(sha_dir, "zz/00/" + std::string(64, 'z')), "x");
  testing::WriteTestFile(JoinPath(leaf, "notes.txt"), "x");
  std::string upper = some;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper != some) testing::WriteTestFile(JoinPath(leaf, upper), "x");
  // A valid digest name in the wrong fan-out directory is not a blob here.
  std::string misplaced = some;
  misplaced[0] = some[0] == '0' ? '1' : '0';
  testing::WriteTestFile(JoinPath(leaf, misplaced), "x");
  ASSERT_OK(CreateDirs(JoinPath(leaf, std::string(some.substr(0, 4)) + std::string(60, 'a'))));

  EXPECT_EQ(AllBlobs(*store), expected);

  int calls = 0;
  Status s = store->ForEach([&](const Sha256&) {
    return ++calls == 3 ? Status(StatusCode::kAborted, "stop") : Status::Ok();
  });
  EXPECT_THAT(s, StatusIs(StatusCode::kAborted));
  EXPECT_EQ(calls, 3);
}

// A source that fails after producing some bytes.
class FailingSource final : public ByteSource {
 public:
  Result<size_t> Read(char* buf, size_t size) override {
    if (reads_++ == 3) return Status(StatusCode::kUnavailable, "source broke");
    std::memset(buf, 'x', size);
    return size;
  }

 private:
  int reads_ = 0;
};

TEST(BlobStoreTest, SourceErrorLeavesNothing) {
  TempDir dir;
  auto store = MustOpen(StoreRoot(dir));
  ASSERT_NE(store, nullptr);
  FailingSource source;
  EXPECT_THAT(store->Put(source), StatusIs(StatusCode::kUnavailable));
  EXPECT_THAT(TempFiles(store->root()), IsEmpty());
  EXPECT_THAT(AllBlobs(*store), IsEmpty());
}

// A file-size limit stands in for a full disk.
TEST(BlobStoreTest, FileSizeLimitIsResourceExhaustedAndLeavesNothing) {
  TempDir dir;
  const std::string root = StoreRoot(dir);
  { ASSERT_NE(MustOpen(root), nullptr); }
  const std::string data = RandomBytes(4 * 1024 * 1024, 9);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit lim{1 << 20, 1 << 20};
    if (::setrlimit(RLIMIT_FSIZE, &lim) != 0) _exit(2);
    Result<std::unique_ptr<BlobStore>> store = BlobStore::Open(root, false);
    if (!store.ok()) _exit(3);
    Result<BlobInfo> r = (*store)->PutBytes(data);
    _exit(r.status().code() == StatusCode::kResourceExhausted ? 0 : 1);
  }
  EXPECT_EQ(WaitChild(pid), 0);
  EXPECT_THAT(TempFiles(root), IsEmpty());
  ASSERT_OK_AND_ASSIGN(auto fan_out, ListDir(JoinPath(root, "sha256")));
  EXPECT_THAT(fan_out, IsEmpty());
  auto store = MustOpen(root);
  ASSERT_NE(store, nullptr);
  EXPECT_FALSE(store->Contains(Sha256Of(data)));
  EXPECT_THAT(AllBlobs(*store), IsEmpty());
}

TEST(BlobStoreTest, OpenRemovesLeftoverTempFiles) {
  TempDir dir;
  const std::string root = StoreRoot(dir);
  ASSERT_OK_AND_ASSIGN(BlobInfo kept, [&]() -> Result<BlobInfo> {
    auto store = MustOpen(root);
    if (store == nullptr) return InternalError("open");
    return store->PutBytes("kept");
  }());
  testing::WriteTestFile(JoinPath(root, "tmp/put-123-4-deadbeef"), "half a blob");
  testing::WriteTestFile(JoinPath(root, "tmp/other"), "x");
  ASSERT_EQ(TempFiles(root).size(), 2u);

  ASSERT_OK_AND_ASSIGN(auto store, BlobStore::Open(root, /*create=*/false));
  EXPECT_THAT(TempFiles(root), IsEmpty());
  EXPECT_OK(store->Verify(kept.sha256));
}

TEST(BlobStoreTest, OpenKeepsTempFilesWhileAnotherInstanceIsOpen) {
  TempDir dir;
  const std::string root = StoreRoot(dir);
  auto first = MustOpen(root);
  ASSERT_NE(first, nullptr);
  testing::WriteTestFile(JoinPath(root, "tmp/put-in-progress"), "x");
  {
    ASSERT_OK_AND_ASSIGN(auto second, BlobStore::Open(root, false));
    EXPECT_EQ(TempFiles(root).size(), 1u);  // may be a live Put of `first`
  }
  first.reset();
  ASSERT_OK_AND_ASSIGN(auto third, BlobStore::Open(root, false));
  EXPECT_THAT(TempFiles(root), IsEmpty());
}

TEST(BlobStoreTest, OpenErrors) {
  TempDir dir;
  EXPECT_THAT(BlobStore::Open(dir.Sub("absent"), /*create=*/false),
              StatusIs(StatusCode::kNotFound));
  EXPECT_FALSE(PathExists(dir.Sub("absent")));

  testing::WriteTestFile(dir.Sub("file"), "x");
  EXPECT_THAT(BlobStore::Open(dir.Sub("file"), true), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(BlobStore::Open(dir.Sub("file"), false), StatusIs(StatusCode::kFailedPrecondition));

  // An existing directory that is not a store is only turned into one on request.
  ASSERT_OK(CreateDirs(dir.Sub("plain")));
  EXPECT_THAT(BlobStore::Open(dir.Sub("plain"), false), StatusIs(StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(auto store, BlobStore::Open(dir.Sub("plain"), true));
  EXPECT_TRUE(IsDirectory(dir.Sub("plain/sha256")));
  EXPECT_TRUE(IsDirectory(dir.Sub("plain/tmp")));
}

// Exit codes of the read-only child, one per check, so a failure says which.
enum ReadOnlyChildExit : int {
  kChildOk = 0,
  kChildNoDrop = 10,
  kChildCannotTraverse = 11,
  kChildOpenFailed = 12,
  kChildReadFailed = 13,
  kChildPutNotDenied = 14,
  kChildCreateNotDenied = 15,
  kChildRepairNotDenied = 16,
};

TEST(BlobStoreTest, ReadOnlyRootAllowsReadsAndRefusesWrites) {
  TempDir dir;
  const std::string root = StoreRoot(dir);
  Sha256 stored;
  {
    auto store = MustOpen(root);
    ASSERT_NE(store, nullptr);
    ASSERT_OK_AND_ASSIGN(BlobInfo info, store->PutBytes("readable"));
    stored = info.sha256;
  }
  testing::WriteTestFile(dir.Sub("replica"), "other bytes");
  // Root ignores permissions, so the child drops to nobody; the directories
  // are also made read-only so the test means the same when run as non-root.
  ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);
  ASSERT_EQ(::chmod(dir.Sub("replica").c_str(), 0644), 0);
  for (const std::string& d : {root, JoinPath(root, "tmp"), JoinPath(root, "sha256")}) {
    ASSERT_EQ(::chmod(d.c_str(), 0555), 0) << d;
  }

  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) _exit(kChildNoDrop);
    if (::access(root.c_str(), R_OK | X_OK) != 0) _exit(kChildCannotTraverse);
    Result<std::unique_ptr<BlobStore>> store = BlobStore::Open(root, false);
    if (!store.ok()) _exit(kChildOpenFailed);
    Result<BlobReader> reader = (*store)->Open(stored);
    std::string got;
    if (!reader.ok() || !ReadAll(*reader, &got).ok() || got != "readable") {
      _exit(kChildReadFailed);
    }
    if ((*store)->PutBytes("new").status().code() != StatusCode::kPermissionDenied) {
      _exit(kChildPutNotDenied);
    }
    if ((*store)->PutExpected(dir.Sub("replica"), Sha256Of("other bytes")).status().code() !=
        StatusCode::kPermissionDenied) {
      _exit(kChildRepairNotDenied);
    }
    if (BlobStore::Open(JoinPath(root, "nested"), true).status().code() !=
        StatusCode::kPermissionDenied) {
      _exit(kChildCreateNotDenied);
    }
    _exit(kChildOk);
  }
  int code = WaitChild(pid);
  if (code == kChildCannotTraverse) {
    GTEST_SKIP() << "user 65534 cannot reach " << root << " (TMPDIR not world-traversable)";
  }
  EXPECT_EQ(code, kChildOk);
  EXPECT_THAT(TempFiles(root), IsEmpty());
  EXPECT_FALSE(PathExists(JoinPath(root, "nested")));
  for (const std::string& d : {root, JoinPath(root, "tmp"), JoinPath(root, "sha256")}) {
    ASSERT_EQ(::chmod(d.c_str(), 0755), 0) << d;
  }
  auto store = MustOpen(root);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(AllBlobs(*store), std::vector<Sha256>{stored});
}

TEST(BlobBatchTest, BlobsAppearOnlyAtCommitAndMatchPut) {
  TempDir dir;
  auto store = MustOpen(StoreRoot(dir));
  ASSERT_NE(store, nullptr);
  const std::string a = RandomBytes(70000, 21), b = RandomBytes(10, 22);
  testing::WriteTestFile(dir.Sub("file"), a);

  BlobBatch batch = store->NewBatch();
  ASSERT_OK_AND_ASSIGN(BlobInfo ia, batch.PutFile(dir.Sub("file")));
  ASSERT_OK_AND_ASSIGN(BlobInfo ib, batch.PutBytes(b));
  ASSERT_OK_AND_ASSIGN(BlobInfo ie, batch.PutBytes(""));
  EXPECT_EQ(ia.sha256, Sha256Of(a));
  EXPECT_EQ(ia.size, a.size());
  EXPECT_EQ(ib.sha256, Sha256Of(b));
  EXPECT_EQ(batch.size(), 3u);
  // Not in the store before Commit: nothing may reference them yet.
  EXPECT_FALSE(store->Contains(ia.sha256));
  EXPECT_FALSE(store->Contains(ib.sha256));
  EXPECT_THAT(AllBlobs(*store), IsEmpty());

  ASSERT_OK(batch.Commit());
  for (const auto& [info, bytes] : {std::pair{ia, a}, std::pair{ib, b}, std::pair{ie, std::string()}}) {
    ASSERT_OK_AND_ASSIGN(BlobReader reader, store->Open(info.sha256));
    std::string got;
    ASSERT_OK(ReadAll(reader, &got));
    EXPECT_EQ(got, bytes);
    struct stat st {};
    ASSERT_EQ(::stat(store->PathOf(info.sha256).c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0444u);
  }
  EXPECT_EQ(AllBlobs(*store).size(), 3u);
  EXPECT_THAT(TempFiles(store->root()), IsEmpty());
}

TEST(BlobBatchTest, DroppedBatchLeavesNothing) {
  TempDir dir;
  auto store = MustOpen(StoreRoot(dir));
  ASSERT_NE(store, nullptr);
  {
    BlobBatch batch = store->NewBatch();
    for (int i = 0; i < 5; ++i) ASSERT_OK(batch.PutBytes(RandomBytes(1000, 30 + static_cast<uint64_t>(i))).status());
    EXPECT_EQ(TempFiles(store->root()).size(), 5u);
    BlobBatch moved = std::move(batch);  // the moved-from batch owns nothing
  }
  EXPECT_THAT(TempFiles(store->root()), IsEmpty());
  EXPECT_THAT(AllBlobs(*store), IsEmpty());
}

TEST(BlobBatchTest, PutExpectedMismatchIsDataLossAndRepairHappensAtCommit) {
  TempDir dir;
  auto store = MustOpen(StoreRoot(dir));
  ASSERT_NE(store, nullptr);
  const std::string data = RandomBytes(5000, 41);
  ASSERT_OK_AND_ASSIGN(BlobInfo info, store->PutBytes(data));
  CorruptBlob(store->PathOf(info.sha256), 7);
  testing::WriteTestFile(dir.Sub("replica"), data);
  testing::WriteTestFile(dir.Sub("other"), "other bytes");

  BlobBatch batch = store->NewBatch();
  Status mismatch = batch.PutExpected(dir.Sub("other"), info.sha256).status();
  EXPECT_THAT(mismatch, StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(mismatch.message(), HasSubstr("was expected to hash to"));
  EXPECT_THAT(batch.PutExpected(dir.Sub("missing"), info.sha256).status(), StatusIs(StatusCode::kNotFound));
  ASSERT_OK(batch.PutExpected(dir.Sub("replica"), info.sha256).status());
  // A plain Put of the same bytes never repairs; the expected one does.
  ASSERT_OK(batch.PutBytes(data).status());
  EXPECT_THAT(store->Verify(info.sha256), StatusIs(StatusCode::kDataLoss));
  ASSERT_OK(batch.Commit());
  EXPECT_OK(store->Verify(info.sha256));
  EXPECT_THAT(TempFiles(store->root()), IsEmpty());
}

TEST(BlobBatchTest, ManyPutsFromSeveralThreadsAndExistingBlobs) {
  TempDir dir;
  auto store = MustOpen(StoreRoot(dir));
  ASSERT_NE(store, nullptr);
  // Some bytes already stored: the batch finds them and leaves them.
  std::vector<std::string> data;
  for (size_t i = 0; i < 300; ++i) data.push_back(RandomBytes(100 + i, 1000 + i));
  for (size_t i = 0; i < 300; i += 7) ASSERT_OK(store->PutBytes(data[i]).status());
  const std::vector<Sha256> before = AllBlobs(*store);

  BlobBatch batch = store->NewBatch();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      // More than the batch keeps open at once: some are synced early.
      for (size_t i = t; i < 300; i += 4) {
        Result<BlobInfo> r = batch.PutBytes(data[i]);
        if (!r.ok() || r->sha256 != Sha256Of(data[i])) ++failures;
      }
      // Every thread puts one of the same bytes too.
      if (!batch.PutBytes(data[1]).ok()) ++failures;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(batch.size(), 304u);
  EXPECT_EQ(AllBlobs(*store), before);
  ASSERT_OK(batch.Commit());
  std::vector<Sha256> want;
  for (const std::string& d : data) want.push_back(Sha256Of(d));
  std::sort(want.begin(), want.end());
  EXPECT_EQ(AllBlobs(*store), want);
  for (const Sha256& d : want) EXPECT_OK(store->Verify(d));
  EXPECT_THAT(TempFiles(store->root()), IsEmpty());
}

TEST(BlobBatchTest, ProcessKilledBeforeCommitLeavesOnlyTemporaryFilesThatOpenRemoves) {
  TempDir dir;
  const std::string root = StoreRoot(dir);
  { ASSERT_NE(MustOpen(root), nullptr); }
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(ready[0]);
    auto store = BlobStore::Open(root, false);
    if (!store.ok()) _exit(1);
    BlobBatch batch = (*store)->NewBatch();
    for (int i = 0; i < 100; ++i) {
      if (!batch.PutBytes(RandomBytes(2000, 500 + static_cast<uint64_t>(i))).ok()) _exit(2);
    }
    char c = 'r';
    if (::write(ready[1], &c, 1) != 1) _exit(3);
    ::pause();  // killed here, the batch never committed
    _exit(4);
  }
  ::close(ready[1]);
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  ::close(ready[0]);
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(TempFiles(root).size(), 100u);
  auto store = MustOpen(root);
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(TempFiles(root), IsEmpty());
  EXPECT_THAT(AllBlobs(*store), IsEmpty());
}

}  // namespace
}  // namespace kholuu::archive
