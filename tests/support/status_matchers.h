// GoogleTest helpers for Status and Result<T>.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "archive/base/status.h"

namespace kholuu::testing {

inline const Status& GetStatus(const Status& s) { return s; }
template <typename T>
Status GetStatus(const Result<T>& r) {
  return r.status();
}

MATCHER_P(StatusIs, code, "has status code " + std::string(StatusCodeName(code))) {
  Status s = ::kholuu::testing::GetStatus(arg);
  *result_listener << "status is " << s.ToString();
  return s.code() == code;
}

}  // namespace kholuu::testing

#define EXPECT_OK(expr) EXPECT_EQ(::kholuu::testing::GetStatus(expr).ToString(), "ok")
#define ASSERT_OK(expr) ASSERT_EQ(::kholuu::testing::GetStatus(expr).ToString(), "ok")
// Assigns the value of a Result or fails the test.
#define ASSERT_OK_AND_ASSIGN(lhs, expr)                                         \
  ASSERT_OK_AND_ASSIGN_IMPL_(KHOLUU_CONCAT_(kholuu_test_result_, __LINE__), lhs, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  ASSERT_OK(tmp.status());                         \
  lhs = std::move(tmp).value()
