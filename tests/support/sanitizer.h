// Whether the test runs under AddressSanitizer, which owns SIGSEGV/SIGBUS:
// the fault handler of archive/base/fault.h is not installed there (ADR
// 0078), so the tests of it run in the release build only.
#pragma once

#include <gtest/gtest.h>

#if defined(__SANITIZE_ADDRESS__)
#define KHOLUU_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KHOLUU_UNDER_ASAN 1
#endif
#endif
#ifdef KHOLUU_UNDER_ASAN
#define KHOLUU_SKIP_UNDER_ASAN() GTEST_SKIP() << "AddressSanitizer owns SIGSEGV/SIGBUS; the fault handler is not installed"
#else
#define KHOLUU_SKIP_UNDER_ASAN() (void)0
#endif
