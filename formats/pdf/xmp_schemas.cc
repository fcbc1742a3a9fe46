#include "formats/pdf/internal/xmp_schemas.h"

namespace kholuu::formats::pdf::internal {

std::string_view PredefinedSchemas() {
  // clang-format off
  static constexpr std::string_view kTable = R"(
@schema dc http://purl.org/dc/elements/1.1/
contributor Bag ProperName
coverage Text
creator Seq ProperName
date Seq Date
description Lang Alt
format MIMEType
identifier Text
language Bag Locale
publisher Bag ProperName
relation Bag Text
rights Lang Alt
source Text
subject Bag Text
title Lang Alt
type Bag Text
@schema xmp http://ns.adobe.com/xap/1.0/
Advisory Bag XPath
BaseURL URL
CreateDate Date
CreatorTool AgentName
Identifier Bag Text
Label Text @2
MetadataDate Date
ModifyDate Date
Nickname Text
Rating Real @2
Thumbnails Alt Thumbnail
@schema xmpRights http://ns.adobe.com/xap/1.0/rights/
Certificate URL
Marked Boolean
Owner Bag ProperName
UsageTerms Lang Alt
WebStatement URL
@schema xmpMM http://ns.adobe.com/xap/1.0/mm/
DerivedFrom ResourceRef
DocumentID URI
History Seq ResourceEvent
Ingredients Bag ResourceRef @2
InstanceID URI
LastURL URL
ManagedFrom ResourceRef
Manager AgentName
ManageTo URI
ManageUI URI
ManagerVariant Text
Manifest Bag ManifestItem @2
OriginalDocumentID URI @2
Pantry Bag Text @2
RenditionClass RenditionClass
RenditionParams Text
RenditionOf ResourceRef
SaveID Integer
VersionID Text
Versions Seq Version
@schema xmpBJ http://ns.adobe.com/xap/1.0/bj/
JobRef Bag Job
@schema xmpTPg http://ns.adobe.com/xap/1.0/t/pg/
MaxPageSize Dimensions
NPages Integer
Fonts Bag Font @2
Colorants Seq Colorant @2
PlateNames Seq Text @2
@schema xmpidq http://ns.adobe.com/xmp/Identifier/qual/1.0/
Scheme Text
@schema pdf http://ns.adobe.com/pdf/1.3/
Keywords Text
PDFVersion Text
Producer AgentName
Trapped Boolean @2
@schema photoshop http://ns.adobe.com/photoshop/1.0/
AuthorsPosition Text
CaptionWriter ProperName
Category Text
City Text
ColorMode Integer @2
Country Text
Credit Text
DateCreated Date
DocumentAncestors Bag Text @2
Headline Text
History Text @2
ICCProfile Text @2
Instructions Text
Source Text
State Text
SupplementalCategories Text @1
SupplementalCategories Bag Text @2
TextLayers Seq Layer @2
TransmissionReference Text
Urgency Integer
@schema tiff http://ns.adobe.com/tiff/1.0/
ImageWidth Integer
ImageLength Integer
BitsPerSample Seq Integer
Compression Integer
PhotometricInterpretation Integer
Orientation Integer
SamplesPerPixel Integer
PlanarConfiguration Integer
YCbCrSubSampling Seq Integer
YCbCrPositioning Integer
XResolution Rational
YResolution Rational
ResolutionUnit Integer
TransferFunction Seq Integer
WhitePoint Seq Rational
PrimaryChromaticities Seq Rational
YCbCrCoefficients Seq Rational
ReferenceBlackWhite Seq Rational
DateTime Date
ImageDescription Lang Alt
Make ProperName
Model ProperName
Software AgentName
Artist ProperName
Copyright Lang Alt
@schema exif http://ns.adobe.com/exif/1.0/
ExifVersion Text
FlashpixVersion Text
ColorSpace Integer
ComponentsConfiguration Seq Integer
CompressedBitsPerPixel Rational
PixelXDimension Integer
PixelYDimension Integer
MakerNote Text
UserComment Lang Alt
RelatedSoundFile Text
DateTimeOriginal Date
DateTimeDigitized Date
ExposureTime Rational
FNumber Rational
ExposureProgram Integer
SpectralSensitivity Text
ISOSpeedRatings Seq Integer
OECF OECF
ShutterSpeedValue Rational
ApertureValue Rational
BrightnessValue Rational
ExposureBiasValue Rational
MaxApertureValue Rational
SubjectDistance Rational
MeteringMode Integer
LightSource Integer
Flash Flash
FocalLength Rational
SubjectArea Seq Integer
FlashEnergy Rational
SpatialFrequencyResponse OECF
FocalPlaneXResolution Rational
FocalPlaneYResolution Rational
FocalPlaneResolutionUnit Integer
SubjectLocation Seq Integer
ExposureIndex Rational
SensingMethod Integer
FileSource Integer
SceneType Integer
CFAPattern CFAPattern
CustomRendered Integer
ExposureMode Integer
WhiteBalance Integer
DigitalZoomRatio Rational
FocalLengthIn35mmFilm Integer
SceneCaptureType Integer
GainControl Integer
Contrast Integer
Saturation Integer
Sharpness Integer
DeviceSettingDescription DeviceSettings
SubjectDistanceRange Integer
ImageUniqueID Text
GPSVersionID Text
GPSLatitude GPSCoordinate
GPSLongitude GPSCoordinate
GPSAltitudeRef Integer
GPSAltitude Rational
GPSTimeStamp Date
GPSSatellites Text
GPSStatus Text
GPSMeasureMode Text
GPSDOP Rational
GPSSpeedRef Text
GPSSpeed Rational
GPSTrackRef Text
GPSTrack Rational
GPSImgDirectionRef Text
GPSImgDirection Rational
GPSMapDatum Text
GPSDestLatitude GPSCoordinate
GPSDestLongitude GPSCoordinate
GPSDestBearingRef Text
GPSDestBearing Rational
GPSDestDistanceRef Text
GPSDestDistance Rational
GPSProcessingMethod Text
GPSAreaInformation Text
GPSDifferential Integer
@schema aux http://ns.adobe.com/exif/1.0/aux/
Lens Text
SerialNumber Text
@schema crs http://ns.adobe.com/camera-raw-settings/1.0/ @2
AutoBrightness Boolean
AutoContrast Boolean
AutoExposure Boolean
AutoShadows Boolean
BlueHue Integer
BlueSaturation Integer
Brightness Integer
CameraProfile Text
ChromaticAberrationB Integer
ChromaticAberrationR Integer
ColorNoiseReduction Integer
Contrast Integer
CropTop Real
CropLeft Real
CropBottom Real
CropRight Real
CropAngle Real
CropWidth Real
CropHeight Real
CropUnits Integer
Exposure Real
GreenHue Integer
GreenSaturation Integer
HasCrop Boolean
HasSettings Boolean
LuminanceSmoothing Integer
RawFileName Text
RedHue Integer
RedSaturation Integer
Saturation Integer
Shadows Integer
ShadowTint Integer
Sharpness Integer
Temperature Integer
Tint Integer
ToneCurve Seq Text
ToneCurveName Text
Version Text
VignetteAmount Integer
VignetteMidpoint Integer
WhiteBalance Text
@schema xmpDM http://ns.adobe.com/xmp/1.0/DynamicMedia/ @2
absPeakAudioFilePath URI
album Text
altTapeName Text
altTimecode Timecode
artist Text
audioModDate Date
audioSampleRate Integer
audioSampleType Text
audioChannelType Text
audioCompressor Text
beatSpliceParams BeatSpliceStretch
composer Text
contributedMedia Bag Media
copyright Text
duration Time
engineer Text
fileDataRate Rational
genre Text
instrument Text
introTime Time
key Text
logComment Text
loop Boolean
numberOfBeats Real
markers Seq Marker
metadataModDate Date
outCue Time
projectRef ProjectLink
pullDown Text
relativePeakAudioFilePath URI
relativeTimestamp Time
releaseDate Date
resampleParams ResampleStretch
scaleType Text
scene Text
shotDate Date
shotLocation Text
shotName Text
speakerPlacement Text
startTimecode Timecode
stretchMode Text
tapeName Text
tempo Real
timeScaleParams TimeScaleStretch
timeSignature Text
trackNumber Integer
videoAlphaMode Text
videoAlphaPremultipleColor Colorant
videoAlphaUnityIsTransparent Boolean
videoColorSpace Text
videoCompressor Text
videoFieldOrder Text
videoFrameRate Text
videoFrameSize Dimensions
videoModDate Date
videoPixelAspectRatio Rational
videoPixelDepth Text
@schema pdfaid http://www.aiim.org/pdfa/ns/id/
part Integer
conformance Text
amd Text
corr Text @2
@schema pdfaExtension http://www.aiim.org/pdfa/ns/extension/
schemas Bag Schema
@struct Dimensions http://ns.adobe.com/xap/1.0/sType/Dimensions#
w Real
h Real
unit Text
@struct Thumbnail http://ns.adobe.com/xap/1.0/g/img/
height Integer
width Integer
format Text
image Text
@struct ResourceEvent http://ns.adobe.com/xap/1.0/sType/ResourceEvent#
action Text
changed Text
instanceID URI
parameters Text
softwareAgent AgentName
when Date
@struct ResourceRef http://ns.adobe.com/xap/1.0/sType/ResourceRef#
alternatePaths Seq URI
documentID URI
filePath URI
fromPart Text
instanceID URI
lastModifyDate Date
manager AgentName
managerVariant Text
manageTo URI
manageUI URI
maskMarkers Text
originalDocumentID URI
partMapping Text
renditionClass RenditionClass
renditionParams Text
toPart Text
versionID Text
@struct ManifestItem http://ns.adobe.com/xap/1.0/sType/ManifestItem#
linkForm Text
placedXResolution Real
placedYResolution Real
placedResolutionUnit Text
reference ResourceRef
@struct Version http://ns.adobe.com/xap/1.0/sType/Version#
comments Text
event ResourceEvent
modifyDate Date
modifier ProperName
version Text
@struct Job http://ns.adobe.com/xap/1.0/sType/Job#
id Text
name Text
url URL
@struct Font http://ns.adobe.com/xap/1.0/sType/Font#
childFontFiles Seq Text
composite Boolean
fontFace Text
fontFamily Text
fontFileName Text
fontName Text
fontType Text
versionString Text
@struct Colorant http://ns.adobe.com/xap/1.0/g/
swatchName Text
mode Text
type Text
cyan Real
magenta Real
yellow Real
black Real
red Integer
green Integer
blue Integer
L Real
A Integer
B Integer
@struct Layer http://ns.adobe.com/photoshop/1.0/
LayerName Text
LayerText Text
@struct OECF http://ns.adobe.com/exif/1.0/
Columns Integer
Rows Integer
Names Seq Text
Values Seq Rational
@struct CFAPattern http://ns.adobe.com/exif/1.0/
Columns Integer
Rows Integer
Values Seq Integer
@struct DeviceSettings http://ns.adobe.com/exif/1.0/
Columns Integer
Rows Integer
Settings Seq Text
@struct Flash http://ns.adobe.com/exif/1.0/
Fired Boolean
Return Integer
Mode Integer
Function Boolean
RedEyeMode Boolean
@struct ProjectLink http://ns.adobe.com/xmp/1.0/DynamicMedia/
path URI
type Text
@struct Time http://ns.adobe.com/xmp/1.0/DynamicMedia/
scale Rational
value Integer
@struct Timecode http://ns.adobe.com/xmp/1.0/DynamicMedia/
timeFormat Text
timeValue Text
@struct Marker http://ns.adobe.com/xmp/1.0/DynamicMedia/
comment Text
cuePointParams Seq CuePointParam
cuePointType Text
duration Time
location URI
name Text
probability Real
speaker Text
startTime Time
target Text
type Text
@struct CuePointParam http://ns.adobe.com/xmp/1.0/DynamicMedia/
key Text
value Text
@struct Media http://ns.adobe.com/xmp/1.0/DynamicMedia/
duration Time
managed Boolean
path URI
startTime Time
track Text
webStatement URI
@struct BeatSpliceStretch http://ns.adobe.com/xmp/1.0/DynamicMedia/
riseInDecibel Real
riseInTimeDuration Time
useFileBeatsMarker Boolean
@struct ResampleStretch http://ns.adobe.com/xmp/1.0/DynamicMedia/
quality Text
@struct TimeScaleStretch http://ns.adobe.com/xmp/1.0/DynamicMedia/
frameOverlappingPercentage Real
frameSize Real
quality Text
@struct Schema http://www.aiim.org/pdfa/ns/schema#
schema Text
namespaceURI URI
prefix Text
property Seq Property
valueType Seq ValueType
@struct Property http://www.aiim.org/pdfa/ns/property#
name Text
valueType Text
category Text
description Text
@struct ValueType http://www.aiim.org/pdfa/ns/type#
type Text
namespaceURI URI
prefix Text
description Text
field Seq Field
@struct Field http://www.aiim.org/pdfa/ns/field#
name Text
valueType Text
description Text
)";
  // clang-format on
  return kTable;
}

}  // namespace kholuu::formats::pdf::internal
