#include "archive/base/status.h"

#include <cerrno>

#include "tests/support/status_matchers.h"

namespace kholuu {
namespace {

using ::kholuu::testing::StatusIs;

Result<int> Half(int v) {
  if (v % 2 != 0) return InvalidArgumentError(std::to_string(v) + " is odd");
  return v / 2;
}

Result<int> Quarter(int v) {
  KHOLUU_ASSIGN_OR_RETURN(int h, Half(v));
  KHOLUU_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

Status CheckQuarter(int v) {
  KHOLUU_RETURN_IF_ERROR(Quarter(v).status());
  return Status::Ok();
}

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(StatusTest, AnnotatePrefixesContext) {
  Status s = NotFoundError("blob abc");
  s.Annotate("fixity");
  EXPECT_EQ(s.ToString(), "not_found: fixity: blob abc");
  Status ok;
  ok.Annotate("ignored");
  EXPECT_TRUE(ok.ok());
}

TEST(StatusTest, MacrosPropagateFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_THAT(Quarter(6), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(Quarter(6).status().message(), "3 is odd");
  EXPECT_OK(CheckQuarter(12));
  EXPECT_THAT(CheckQuarter(5), StatusIs(StatusCode::kInvalidArgument));
}

TEST(StatusTest, ResultFromOkStatusBecomesInternal) {
  Result<int> r{Status::Ok()};
  EXPECT_THAT(r, StatusIs(StatusCode::kInternal));
}

TEST(StatusTest, ErrnoMapping) {
  EXPECT_THAT(ErrnoError(ENOENT, "open x"), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(ErrnoError(EACCES, "open x"), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(ErrnoError(EROFS, "open x"), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(ErrnoError(ENOSPC, "write x"), StatusIs(StatusCode::kResourceExhausted));
  EXPECT_THAT(ErrnoError(EFBIG, "write x"), StatusIs(StatusCode::kResourceExhausted));
  EXPECT_THAT(ErrnoError(EIO, "read x"), StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(ErrnoError(EISDIR, "read x"), StatusIs(StatusCode::kInvalidArgument));
  Status s = ErrnoError(ENOENT, "open /nope");
  EXPECT_NE(s.message().find("open /nope"), std::string::npos);
}

}  // namespace
}  // namespace kholuu
