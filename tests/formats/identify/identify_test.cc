// Formats identified by content, never by name; from a file and from memory
// alike.
#include "formats/identify/identify.h"

#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "tests/formats/package/archive_writer.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu::formats::identify {
namespace {

using testing::ReadTestFile;
using testing::TempDir;
using testing::WriteTestFile;

class IdentifyTest : public ::testing::Test {
 protected:
  Identification Of(const std::string& bytes, const std::string& name = "file.bin") {
    WriteTestFile(t_.Sub(name), bytes);
    auto r = IdentifyFile(t_.Sub(name));
    EXPECT_OK(r.status());
    if (!r.ok()) return Identification{};
    const Identification m = IdentifyBytes(bytes);
    EXPECT_EQ(m.media_type, r->media_type);
    EXPECT_EQ(m.format_version, r->format_version);
    EXPECT_EQ(m.damaged, r->damaged);
    EXPECT_EQ(m.damage, r->damage);
    return *r;
  }
  TempDir t_;
};

TEST_F(IdentifyTest, PdfWithVersionWhateverTheName) {
  const Identification id = Of("%PDF-1.7\n1 0 obj\nendobj\n%%EOF\n", "scan.jpg");
  EXPECT_EQ(id.media_type, "application/pdf");
  EXPECT_EQ(id.format_version, "1.7");
  EXPECT_FALSE(id.damaged);
  // Junk before the header is tolerated; a cut-off end is damage.
  EXPECT_EQ(Of("\r\n  %PDF-2.0\n%%EOF").format_version, "2.0");
  const Identification cut = Of("%PDF-1.4\n1 0 obj\n<< /Length 100 >>\nstream\nabc");
  EXPECT_EQ(cut.media_type, "application/pdf");
  EXPECT_TRUE(cut.damaged);
}

TEST_F(IdentifyTest, Images) {
  EXPECT_EQ(Of(std::string("II*\0\x08\0\0\0", 8)).media_type, "image/tiff");
  EXPECT_EQ(Of(std::string("MM\0*\0\0\0\x08", 8)).media_type, "image/tiff");
  const Identification jpeg = Of(std::string("\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x02\0", 14));
  EXPECT_EQ(jpeg.media_type, "image/jpeg");
  EXPECT_EQ(jpeg.format_version, "1.02");
  const std::string png_head("\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR", 16);
  const std::string iend("\0\0\0\0IEND\xAE\x42\x60\x82", 12);
  EXPECT_EQ(Of(png_head + std::string(13, '\0') + iend).media_type, "image/png");
  EXPECT_TRUE(Of(png_head + std::string(13, '\0')).damaged);
  EXPECT_EQ(Of(std::string("\0\0\0\x0CjP  \r\n\x87\n\0\0", 14)).media_type, "image/jp2");
  EXPECT_EQ(Of("GIF89a\x01\0\x01\0").format_version, "89a");
}

TEST_F(IdentifyTest, ZipBasedOfficeFormats) {
  const std::string ct_docx =
      "<Types><Override PartName=\"/word/document.xml\" ContentType=\"application/"
      "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
  WriteTestFile(t_.Sub("a"), testing::TestArchiveBytes(testing::TestFormat::kZip,
                                                       {{"[Content_Types].xml", ct_docx}, {"word/document.xml", "<w/>"}}));
  EXPECT_EQ(IdentifyFile(t_.Sub("a"))->media_type,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  const std::string ct_xlsx = "<Types><Override ContentType=\"application/"
                              "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>";
  WriteTestFile(t_.Sub("b"), testing::TestArchiveBytes(testing::TestFormat::kZip, {{"[Content_Types].xml", ct_xlsx}}));
  EXPECT_EQ(IdentifyFile(t_.Sub("b"))->media_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  WriteTestFile(t_.Sub("c"), testing::TestArchiveBytes(testing::TestFormat::kZip,
                                                       {{"mimetype", "application/vnd.oasis.opendocument.text"},
                                                        {"content.xml", "<x/>"}}));
  EXPECT_EQ(IdentifyFile(t_.Sub("c"))->media_type, "application/vnd.oasis.opendocument.text");
  WriteTestFile(t_.Sub("d"), testing::TestArchiveBytes(testing::TestFormat::kZip, {{"x.txt", "x"}}));
  EXPECT_EQ(IdentifyFile(t_.Sub("d"))->media_type, "application/zip");
  // From memory: the same answers.
  EXPECT_EQ(IdentifyBytes(ReadTestFile(t_.Sub("a"))).media_type,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(IdentifyBytes(ReadTestFile(t_.Sub("c"))).media_type, "application/vnd.oasis.opendocument.text");
  // A ZIP cut short is damaged.
  const std::string whole = ReadTestFile(t_.Sub("a"));
  EXPECT_TRUE(Of(whole.substr(0, whole.size() - 30)).damaged);
}

TEST_F(IdentifyTest, RtfAndFlatOpenDocument) {
  const Identification rtf = Of("{\\rtf1\\ansi Quyết định\\par}", "a.doc");
  EXPECT_EQ(rtf.media_type, "application/rtf");
  EXPECT_EQ(rtf.format_version, "1");
  const Identification fodt =
      Of("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document xmlns:office=\"urn:oasis:names:tc:"
         "opendocument:xmlns:office:1.0\" office:version=\"1.3\" "
         "office:mimetype=\"application/vnd.oasis.opendocument.text\"><office:body/></office:document>");
  EXPECT_EQ(fodt.media_type, "application/vnd.oasis.opendocument.text-flat-xml");
  EXPECT_TRUE(DeclaredTypeAgrees("application/xml", fodt));
  // office:document-content (a part, not a flat document) is plain XML.
  EXPECT_EQ(Of("<?xml version=\"1.0\"?><office:document-content office:mimetype=\"application/"
               "vnd.oasis.opendocument.text\"/>")
                .media_type,
            "application/xml");
}

TEST_F(IdentifyTest, RandomBytesAreUnknownWhateverTheName) {
  std::string junk;
  uint32_t x = 2463534242u;
  for (int i = 0; i < 100000; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    junk.push_back(static_cast<char>(x & 0xff));
  }
  EXPECT_EQ(Of(junk, "report.docx").media_type, "application/octet-stream");
  EXPECT_EQ(Of(junk, "scan.tif").media_type, "application/octet-stream");
}

TEST_F(IdentifyTest, Ole2TellsWordFromExcel) {
  std::string ole(2048, '\0');
  ole.replace(0, 8, std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8));
  ole[0x1e] = 9;  // 512-byte sectors
  // First directory sector 0 -> file offset 512.
  const std::string name("W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0", 24);
  ole.replace(512, name.size(), name);
  EXPECT_EQ(Of(ole).media_type, "application/msword");
  const std::string book("W\0o\0r\0k\0b\0o\0o\0k\0", 16);
  ole.replace(512, name.size(), std::string(name.size(), '\0'));
  ole.replace(512, book.size(), book);
  EXPECT_EQ(Of(ole).media_type, "application/vnd.ms-excel");
}

TEST_F(IdentifyTest, XmlTextAndUnknown) {
  const Identification xml = Of("\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>", "a.pdf");
  EXPECT_EQ(xml.media_type, "application/xml");
  EXPECT_EQ(xml.format_version, "1.0");
  const Identification text = Of("Hồ sơ số hóa\nnăm 2024\n");
  EXPECT_EQ(text.media_type, "text/plain");
  EXPECT_EQ(text.format_version, "UTF-8");
  EXPECT_FALSE(Of(std::string("\x01\x02\x03\xFF", 4)).known());
  EXPECT_TRUE(Of("").damaged);
}

TEST(MediaTypeTest, DeclaredTypes) {
  Identification pdf;
  pdf.media_type = "application/pdf";
  EXPECT_TRUE(DeclaredTypeAgrees("", pdf));
  EXPECT_TRUE(DeclaredTypeAgrees("application/octet-stream", pdf));
  EXPECT_TRUE(DeclaredTypeAgrees("Application/PDF; charset=binary", pdf));
  EXPECT_TRUE(DeclaredTypeAgrees("application/x-pdf", pdf));
  EXPECT_FALSE(DeclaredTypeAgrees("image/jpeg", pdf));
  Identification docx;
  docx.media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  EXPECT_TRUE(DeclaredTypeAgrees("application/zip", docx));
  EXPECT_EQ(CanonicalMediaType(" image/JPG "), "image/jpeg");
}

TEST(MediaTypeForNameTest, OnlyFormatsWithMagicNumbers) {
  EXPECT_EQ(MediaTypeForName("Báo cáo.PDF"), "application/pdf");
  EXPECT_EQ(MediaTypeForName("dir.v2/quyet-dinh.docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(MediaTypeForName("C:\\scan\\001.TIF"), "image/tiff");
  EXPECT_EQ(MediaTypeForName("ghi-chu.txt"), "");  // text has no magic to contradict
  EXPECT_EQ(MediaTypeForName("metadata.xml"), "");
  EXPECT_EQ(MediaTypeForName("archive.tar"), "");  // old tar has none either
  EXPECT_EQ(MediaTypeForName("no-extension"), "");
  EXPECT_EQ(MediaTypeForName(".pdf"), "");
  EXPECT_TRUE(HasMagicNumbers("Image/JPG"));  // an alias, canonicalised
  EXPECT_TRUE(HasMagicNumbers("application/pdf; charset=binary"));
  EXPECT_FALSE(HasMagicNumbers("text/plain"));
  EXPECT_FALSE(HasMagicNumbers(""));
  // What has magic numbers is identified by them: a type's own magic is known.
  for (const char* name : {"a.pdf", "a.png", "a.gif", "a.rtf"}) {
    EXPECT_TRUE(HasMagicNumbers(MediaTypeForName(name))) << name;
  }
}

}  // namespace
}  // namespace kholuu::formats::identify
