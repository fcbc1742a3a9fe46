// The byte-level parser's stream decoding: FlateDecode with PNG and TIFF
// predictors, as used by cross-reference and object streams.
#include "formats/pdfsig/internal/pdf_syntax.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/formats/pdfsig/test_pdf.h"
#include "tests/support/status_matchers.h"

namespace kholuu::formats::pdfsig::internal {
namespace {

using kholuu::testing::Deflate;
using kholuu::testing::PngPredict;

// A stream object with dictionary `dict` and raw stream bytes `stream`.
struct StreamObject {
  std::string stream;
  IndirectObject obj;
  StreamObject(const std::string& dict, std::string bytes) : stream(std::move(bytes)) {
    size_t pos = 0;
    auto v = ParseObject(dict, &pos);
    EXPECT_OK(v.status());
    if (v.ok()) obj.value = *v;
    obj.has_stream = true;
    obj.stream = stream;
  }
};

std::string Sample(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += static_cast<char>((i * 37 + i / 7 * 11) & 0xff);
  return s;
}

TEST(PdfSyntaxTest, FlateWithPngPredictorEveryRowType) {
  const std::string data = Sample(5 * 40);
  for (int type = 0; type <= 4; ++type) {
    StreamObject s("<< /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 5 >> >>",
                   Deflate(PngPredict(data, 5, {type})));
    auto out = DecodeStream(s.obj, 1 << 20);
    ASSERT_OK(out.status());
    EXPECT_EQ(*out, data) << "PNG row type " << type;
  }
  // Mixed row types, as a PNG encoder choosing per row would write them, and
  // the filter and parameters written as one-element arrays.
  StreamObject mixed("<< /Filter [/FlateDecode] /DecodeParms [<< /Predictor 15 /Columns 5 >>] >>",
                     Deflate(PngPredict(data, 5, {4, 0, 3, 1, 2})));
  auto out = DecodeStream(mixed.obj, 1 << 20);
  ASSERT_OK(out.status());
  EXPECT_EQ(*out, data);
}

TEST(PdfSyntaxTest, PngPredictorWithSeveralBytesPerPixel) {
  // Colors 3 x 8 bits: "Sub" and "Paeth" look one pixel (3 bytes) back.
  const std::string data = Sample(4 * 12);
  std::string predicted;
  std::string prev(12, '\0');
  for (size_t r = 0; r < 4; ++r) {
    std::string row = data.substr(r * 12, 12);
    predicted += '\1';  // Sub with bpp 3
    for (size_t i = 0; i < 12; ++i) {
      int a = i >= 3 ? static_cast<unsigned char>(row[i - 3]) : 0;
      predicted += static_cast<char>((static_cast<unsigned char>(row[i]) - a) & 0xff);
    }
  }
  StreamObject s("<< /Filter /FlateDecode /DecodeParms << /Predictor 11 /Colors 3 /Columns 4 >> >>",
                 Deflate(predicted));
  auto out = DecodeStream(s.obj, 1 << 20);
  ASSERT_OK(out.status());
  EXPECT_EQ(*out, data);
}

TEST(PdfSyntaxTest, TiffPredictorAndNoPredictor) {
  std::string data = Sample(30);
  std::string diff = data;
  for (size_t i = diff.size() - 1; i > 0; --i) {
    if (i % 10 != 0) diff[i] = static_cast<char>((static_cast<unsigned char>(data[i]) - static_cast<unsigned char>(data[i - 1])) & 0xff);
  }
  StreamObject tiff("<< /Filter /FlateDecode /DecodeParms << /Predictor 2 /Columns 10 >> >>", Deflate(diff));
  auto out = DecodeStream(tiff.obj, 1 << 20);
  ASSERT_OK(out.status());
  EXPECT_EQ(*out, data);
  StreamObject none("<< /Filter /FlateDecode /DecodeParms << /Predictor 1 >> >>", Deflate(data));
  out = DecodeStream(none.obj, 1 << 20);
  ASSERT_OK(out.status());
  EXPECT_EQ(*out, data);
}

TEST(PdfSyntaxTest, BadPredictorDataIsAnErrorNotACrash) {
  std::string bad_type = std::string("\x07", 1) + "abcde";
  StreamObject s("<< /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 5 >> >>", Deflate(bad_type));
  EXPECT_THAT(DecodeStream(s.obj, 1 << 20), kholuu::testing::StatusIs(StatusCode::kInvalidArgument));
  StreamObject huge("<< /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 99999999999 >> >>",
                    Deflate("\x02xyz"));
  EXPECT_THAT(DecodeStream(huge.obj, 1 << 20), kholuu::testing::StatusIs(StatusCode::kInvalidArgument));
  StreamObject bits("<< /Filter /FlateDecode /DecodeParms << /Predictor 12 /BitsPerComponent 3 >> >>",
                    Deflate("\x00x"));
  EXPECT_THAT(DecodeStream(bits.obj, 1 << 20), kholuu::testing::StatusIs(StatusCode::kInvalidArgument));
  StreamObject lzw("<< /Filter /LZWDecode >>", "x");
  EXPECT_THAT(DecodeStream(lzw.obj, 1 << 20), kholuu::testing::StatusIs(StatusCode::kUnimplemented));
  // A short last row decodes as far as it goes.
  StreamObject short_row("<< /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 5 >> >>",
                         Deflate(std::string("\x00" "abcde" "\x00" "fg", 9)));
  auto out = DecodeStream(short_row.obj, 1 << 20);
  ASSERT_OK(out.status());
  EXPECT_EQ(*out, "abcdefg");
}

}  // namespace
}  // namespace kholuu::formats::pdfsig::internal
