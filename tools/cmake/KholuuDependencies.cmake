# Every third-party lookup in one place. tools/build installs the Debian packages.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3.0 REQUIRED)                               # OpenSSL::Crypto
find_package(ZLIB REQUIRED)                                      # ZLIB::ZLIB (PDF object streams)
pkg_check_modules(LMDB REQUIRED IMPORTED_TARGET lmdb)            # PkgConfig::LMDB
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)   # PkgConfig::HTTPLIB, carries CPPHTTPLIB_* defines
pkg_check_modules(XMLSEC REQUIRED IMPORTED_TARGET xmlsec1-openssl)   # PkgConfig::XMLSEC (+ libxml2), carries XMLSEC_* defines
find_package(CLI11 REQUIRED)                                     # CLI11::CLI11
find_package(nlohmann_json 3.10 REQUIRED)                        # nlohmann_json::nlohmann_json
if(KHOLUU_BUILD_TESTS)
  find_package(GTest 1.12 REQUIRED)                              # GTest::gtest GTest::gmock
  include(GoogleTest)
endif()
if(KHOLUU_BUILD_BENCHMARKS)
  find_package(benchmark 1.7 REQUIRED)                           # benchmark::benchmark
  pkg_check_modules(POPPLER_CPP REQUIRED IMPORTED_TARGET poppler-cpp) # PkgConfig::POPPLER_CPP (kholuu-bench ocr)
endif()
find_package(ICU 72 REQUIRED COMPONENTS uc i18n)                 # ICU::uc ICU::i18n (formats, indexer)
find_package(LibXml2 2.9 REQUIRED)                               # LibXml2::LibXml2 (formats)
pkg_check_modules(LIBARCHIVE REQUIRED IMPORTED_TARGET libarchive) # PkgConfig::LIBARCHIVE (formats)
pkg_check_modules(XAPIAN REQUIRED IMPORTED_TARGET xapian-core)    # PkgConfig::XAPIAN (indexer)
pkg_check_modules(PODOFO REQUIRED IMPORTED_TARGET libpodofo)      # PkgConfig::PODOFO (0.9.8 API)
if(KHOLUU_JEMALLOC)
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)  # PkgConfig::JEMALLOC (ADR 0065)
endif()
