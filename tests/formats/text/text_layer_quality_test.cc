// The in-process text layer reader (formats/pdf ExtractTextLayer, used by
// formats/text) against poppler's pdftotext on real PDFs: the veraPDF pass
// files, pyhanko's hostile and broken PDFs, the scanned corpus with its OCR
// layer, and Vietnamese PDF/A-2b made from ODF by LibreOffice + Ghostscript
// (formats/convert). Both go through formats/text's ExtractText, so both are
// cleaned to NFC the same way; words are compared as multisets after lower
// casing (ICU, root locale).
//
// The claim under test is "confident or declined": wherever our reader is
// confident, its words agree with pdftotext's (F1 >= kMinF1 per document),
// and each page's OCR decision (has a text layer of at least
// min_layer_chars non-space characters) is the same as with pdftotext. The
// distribution is printed for docs/benchmarks.md and docs/text.md.
#include <gtest/gtest.h>
#include <unicode/uchar.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "formats/convert/pdfa_convert.h"
#include "formats/text/text.h"
#include "tests/support/fixtures.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu::formats::text {
namespace {

// A document where we are confident must agree with pdftotext on at least
// this share of its words (F1 of the word multisets). pdftotext rebuilds
// reading order and joins hyphenated line ends, which we do not do, and
// word breaks from glyph gaps near the threshold can differ by a word or
// two; 0.9 allows that on short documents while failing any real
// divergence (a wrong encoding or a missing page garbles far more words).
constexpr double kMinF1 = 0.9;

std::string Corpus(const std::string& sub) { return std::string(KHOLUU_CORPUS_DIR) + "/" + sub; }

std::map<std::string, int> Words(const DocumentText& d) {
  std::map<std::string, int> words;
  for (const PageText& p : d.pages) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(p.text);
    u.toLower(icu::Locale::getRoot());
    icu::UnicodeString word;
    auto flush = [&] {
      if (word.isEmpty()) return;
      std::string w;
      word.toUTF8String(w);
      ++words[w];
      word.remove();
    };
    for (int32_t i = 0; i < u.length();) {
      const UChar32 c = u.char32At(i);
      if (u_isUWhiteSpace(c)) flush();
      else word.append(c);
      i = u.moveIndex32(i, 1);
    }
    flush();
  }
  return words;
}

double F1(const std::map<std::string, int>& a, const std::map<std::string, int>& b) {
  long na = 0, nb = 0, both = 0;
  for (const auto& [w, n] : a) {
    na += n;
    if (auto it = b.find(w); it != b.end()) both += std::min(n, it->second);
  }
  for (const auto& [w, n] : b) nb += n;
  if (na + nb == 0) return 1.0;
  return 2.0 * static_cast<double>(both) / static_cast<double>(na + nb);
}

// Words in one multiset and not the other (for failure messages).
std::string Diff(const std::map<std::string, int>& ours, const std::map<std::string, int>& theirs) {
  std::string out;
  int shown = 0;
  for (const auto& [w, n] : ours) {
    auto it = theirs.find(w);
    const int extra = n - (it == theirs.end() ? 0 : it->second);
    if (extra > 0 && shown++ < 12) out += " +" + w;
  }
  for (const auto& [w, n] : theirs) {
    auto it = ours.find(w);
    const int missing = n - (it == ours.end() ? 0 : it->second);
    if (missing > 0 && shown++ < 24) out += " -" + w;
  }
  return out;
}

struct Tally {
  int files = 0, confident = 0, declined = 0, unreadable = 0;
  std::vector<double> f1;
  std::map<std::string, int> reasons;
  void Print(const std::string& name) {
    std::sort(f1.begin(), f1.end());
    auto q = [&](double p) { return f1.empty() ? 0.0 : f1[static_cast<size_t>(p * static_cast<double>(f1.size() - 1))]; };
    const auto perfect = std::count_if(f1.begin(), f1.end(), [](double v) { return v >= 0.9999; });
    std::printf("[%s] files %d: confident %d, declined %d, pdftotext fails %d; F1 min %.3f p10 %.3f median %.3f, "
                "identical words %ld\n",
                name.c_str(), files, confident, declined, unreadable, q(0), q(0.1), q(0.5), static_cast<long>(perfect));
    for (const auto& [r, n] : reasons) std::printf("  declined %3d x %s\n", n, r.c_str());
  }
};

// Compares one file; returns false if pdftotext cannot read it either.
void Compare(const std::string& name, const std::string& bytes, Tally* t, double* f1_out = nullptr) {
  ++t->files;
  TextOptions tool;
  tool.ocr = false;
  tool.in_process_layer = false;
  tool.page_limit = 50;
  TextOptions ours = tool;
  ours.in_process_layer = true;
  auto theirs = ExtractText(bytes, tool);
  auto mine = ExtractText(bytes, ours);
  if (!theirs.ok()) {
    ++t->unreadable;
    return;
  }
  ASSERT_TRUE(mine.ok()) << name << ": " << mine.status().message();
  if (mine->layer_reader != "kholuu") {
    ++t->declined;
    std::string r = mine->layer_fallback;
    // Group reasons without their numbers and names.
    if (size_t p = r.find(": "); p != std::string::npos && r.rfind("page ", 0) == 0) r = r.substr(p + 2);
    if (size_t p = r.find(" code "); p != std::string::npos) r = r.substr(0, p + 5) + "N";
    if (r.rfind("the font /", 0) == 0) r = "the font /X" + r.substr(r.find(' ', 10));
    ++t->reasons[r];
    return;
  }
  ++t->confident;
  EXPECT_EQ(mine->page_count, theirs->page_count) << name;
  const auto a = Words(*mine), b = Words(*theirs);
  const double f1 = F1(a, b);
  t->f1.push_back(f1);
  if (f1_out != nullptr) *f1_out = f1;
  EXPECT_GE(f1, kMinF1) << name << " differs from pdftotext:" << Diff(a, b);
  // The OCR decision of every page is the same as with pdftotext's layer.
  ASSERT_EQ(mine->pages.size(), theirs->pages.size()) << name;
  for (size_t i = 0; i < mine->pages.size(); ++i) {
    EXPECT_EQ(mine->pages[i].characters >= TextOptions{}.min_layer_chars,
              theirs->pages[i].characters >= TextOptions{}.min_layer_chars)
        << name << " page " << i + 1 << ": " << mine->pages[i].characters << " vs " << theirs->pages[i].characters
        << " characters";
  }
}

std::vector<std::string> PdfFiles(const std::string& dir, const std::string& must_contain) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    const std::string p = e.path().string();
    if (e.is_regular_file() && e.path().extension() == ".pdf" &&
        e.path().filename().string().find(must_contain) != std::string::npos) {
      out.push_back(p);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

void RunCorpus(const std::string& sub, const std::string& must_contain) {
  const std::string dir = Corpus(sub);
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "corpus absent: " << dir;
  Tally t;
  for (const std::string& f : PdfFiles(dir, must_contain)) {
    Compare(f.substr(dir.size() + 1), testing::ReadTestFile(f), &t);
  }
  t.Print(sub);
  EXPECT_GT(t.files, 0);
}

TEST(TextLayerQualityTest, VeraPdfPassFiles) { RunCorpus("verapdf", "pass"); }

TEST(TextLayerQualityTest, HostilePyhankoFiles) { RunCorpus("pdf-pyhanko", ""); }

TEST(TextLayerQualityTest, ScannedCorpusOcrLayers) {
  RunCorpus("scans-real", "");
  // The scans' OCR layer is invisible text (rendering mode 3): it is read.
  const std::string dir = Corpus("scans-real");
  for (const std::string& f : PdfFiles(dir, "")) {
    TextOptions o;
    o.ocr = false;
    auto d = ExtractText(testing::ReadTestFile(f), o);
    ASSERT_TRUE(d.ok()) << f;
    EXPECT_EQ(d->layer_reader, "kholuu") << f << ": " << d->layer_fallback;
  }
}

// Vietnamese PDF/A-2b as the archive receives it: LibreOffice sets the text
// (embedded TrueType subsets with ToUnicode maps), Ghostscript makes it
// PDF/A. Every word, diacritics included, must be pdftotext's in NFC.
TEST(TextLayerQualityTest, VietnamesePdfA) {
  if (!std::filesystem::exists("/usr/bin/soffice") || !std::filesystem::exists("/usr/bin/gs")) {
    GTEST_SKIP() << "needs LibreOffice and Ghostscript";
  }
  const std::vector<std::vector<std::string>> docs = {
      {"ỦY BAN NHÂN DÂN TỈNH MẪU", "Số: 12/KH-UBND", "KẾ HOẠCH",
       "Triển khai gửi, nhận văn bản điện tử năm 2024",
       "1. Mục tiêu: 100% văn bản đi được ký số và gửi qua Trục liên thông văn bản quốc gia, trừ văn bản mật.",
       "2. Các sở, ban, ngành cập nhật phần mềm quản lý văn bản và báo cáo kết quả trước ngày 30 tháng 6."},
      {"QUYẾT ĐỊNH", "Về việc công nhận kết quả tuyển dụng công chức năm 2023",
       "Điều 1. Công nhận kết quả tuyển dụng đối với 12 thí sinh có tên trong danh sách kèm theo.",
       "Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, Thủ trưởng các đơn vị "
       "và các cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này."}};
  Tally t;
  for (size_t k = 0; k < docs.size(); ++k) {
    std::string fodt =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<office:document xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
        "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\" "
        "office:mimetype=\"application/vnd.oasis.opendocument.text\">\n<office:body><office:text>\n";
    for (const std::string& line : docs[k]) fodt += "<text:p>" + line + "</text:p>\n";
    fodt += "</office:text></office:body></office:document>\n";
    auto pdf = convert::ConvertToPdfA2b(fodt, "fodt");
    ASSERT_TRUE(pdf.ok()) << pdf.status().message();
    ASSERT_TRUE(pdf->validated) << pdf->reason;
    double f1 = 0;
    Compare("vietnamese-" + std::to_string(k), pdf->output, &t, &f1);
    EXPECT_EQ(f1, 1.0) << "document " << k;
  }
  t.Print("vietnamese");
  EXPECT_EQ(t.confident, static_cast<int>(docs.size()));
}

// Legacy 8-bit Vietnamese (TCVN3, VNI) as old Word documents were printed:
// the bytes shown through Latin fonts, here by Ghostscript from PostScript
// (Type 1 fonts with ISOLatin1 or the standard encoding). The index repairs
// such text (ADR 0059) from the Latin-1 look-alikes, so wherever we are
// confident our words must be pdftotext's exactly.
TEST(TextLayerQualityTest, LegacyVietnameseEncodings) {
  if (!std::filesystem::exists("/usr/bin/gs")) GTEST_SKIP() << "needs Ghostscript";
  testing::TempDir dir;
  // "Văn bản quy phạm pháp luật về phòng cháy" in TCVN3; "Văn bản pháp luật" in VNI.
  const std::vector<std::string> texts = {"V\xa8n b\xb6n quy ph\xb9m ph\xb8p lu\xcbt v\xd2 ph\xdfng ch\xb8y",
                                          "Va\xean ba\xfbn pha\xf9p lua\xe4t"};
  Tally t;
  int k = 0;
  for (const char* font : {"Helvetica", "Times-Roman"}) {
    for (const char* encoding : {"ISOLatin1Encoding", "StandardEncoding"}) {
      for (const std::string& text : texts) {
        std::string ps = std::string("%!PS\n/") + font +
                         " findfont dup length dict begin {1 index /FID ne {def} {pop pop} ifelse} forall /Encoding " +
                         encoding + " def currentdict end /L1 exch definefont pop /L1 findfont 14 scalefont setfont ";
        for (int line = 0; line < 3; ++line) {
          ps += "72 " + std::to_string(700 - 20 * line) + " moveto (";
          for (char c : text) {
            char oct[8];
            std::snprintf(oct, sizeof oct, "\\%03o", static_cast<unsigned char>(c));
            ps += oct;
          }
          ps += ") show ";
        }
        ps += "showpage\n";
        const std::string name = "legacy-" + std::to_string(k++);
        testing::WriteTestFile(dir.Sub(name + ".ps"), ps);
        testing::RunResult gs = testing::Run({"/usr/bin/gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE",
                                              "-sDEVICE=pdfwrite", "-o", dir.Sub(name + ".pdf"), dir.Sub(name + ".ps")});
        ASSERT_EQ(gs.exit_code, 0) << gs.err;
        double f1 = -1;
        Compare(std::string(name) + " " + font + " " + encoding, testing::ReadTestFile(dir.Sub(name + ".pdf")), &t, &f1);
        if (f1 >= 0) {
          EXPECT_EQ(f1, 1.0) << name << " " << font << " " << encoding;
        }
      }
    }
  }
  t.Print("legacy vietnamese");
  EXPECT_GT(t.confident, 0);
}

}  // namespace
}  // namespace kholuu::formats::text
