// The kholuu CLI's human-readable messages, in Vietnamese (the default) and
// English (ADR 0077). Only human text goes through this catalog: JSON keys,
// machine values (statuses, codes) and library messages stay as they are;
// a library's English message is wrapped in a Vietnamese lead naming the
// kind of failure.
//
// Language: `--lang vi|en` on the command line, else the first of LC_ALL,
// LC_MESSAGES, LANG that is set and not empty: "en..." is English, anything
// else (vi, C, POSIX, unset) Vietnamese.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"

namespace kholuu::cli {

enum class Lang { kVi, kEn };

// The language the environment asks for (LC_ALL > LC_MESSAGES > LANG).
// Null or empty values are skipped.
Lang LangFromLocale(const char* lc_all, const char* lc_messages, const char* lang);

// Removes every "--lang X" / "--lang=X" whose X is "vi" or "en" from `args`
// (args[0] is the program) and returns the last such X. Other values are left
// in place: `kholuu text --lang vie+eng` still names Tesseract languages.
std::optional<Lang> TakeLangFlag(std::vector<std::string>* args);

// The process-wide message language (default Vietnamese).
void SetLang(Lang lang);
Lang CurrentLang();

// Message keys. Each has a Vietnamese and an English text in messages.cc;
// "{0}", "{1}", ... are replaced by Tr's arguments.
enum class Msg {
  // Kinds of failure: the lead of a library message in Vietnamese.
  kLeadInvalidArgument,
  kLeadNotFound,
  kLeadAlreadyExists,
  kLeadFailedPrecondition,
  kLeadPermissionDenied,
  kLeadResourceExhausted,
  kLeadDataLoss,
  kLeadUnavailable,
  kLeadAborted,
  kLeadUnimplemented,
  kLeadInternal,
  // Plain explanations of raw library errors.
  kExplainEncryptedPdf,
  kExplainNotPdf,
  kExplainDamagedPdf,
  kExplainBadKeyOrCert,
  kExplainTsaUnreachable,
  kExplainConverterFailed,
  // Command line.
  kUsageError,
  kSeeHelp,
  kUnknownCommand,
  kDidYouMean,
  kBadLang,
  kBadDate,
  kOutputExists,
  kOutputIsDirectory,
  kOutputStdoutWithJson,
  kWrote,
  kWroteToStdout,
  // Commands.
  kInitDone,
  kFixityChecked,
  kFixityRepaired,
  kFixityRepairFailed,
  kAuditChainIntact,
  kAuditChainBroken,
  kAuditStateAllAsRecorded,
  kAuditStateDiffer,
  kAndMore,
  kVerifyHead,
  kVerifyReplica,
  kVerifyNoReplica,
  kVerifyAllAsRecorded,
  kVerifyDifferences,
  kBackupFilesChecked,
  kCopyDone,
  kCopyBackup,
  kCopyRestored,
  kCopyReplica,
  kGcWouldRemove,
  kGcRemoved,
  kPutStored,
  kGetWrote,
  kGetWroteRendition,
  kSearchAbout,
  kSearchExact,
  kSearchNone,
  kReindexRebuilt,
  kReindexOutbox,
  kPdfaCompliant,
  kPdfaNotCompliant,
  kConvertWrote,
  kSealWrote,
  kReceiptWrote,
  kSigHeader,
  kSigSignature,
  kSigDocumentTimestamp,
  kSigIntegrity,
  kSigSigner,
  kSigUnknownSigner,
  kSigClaimedTime,
  kSigCoverageWhole,
  kSigCoverageNotWhole,
  kSigRevision,
  kSigModifiedAfter,
  kSigLaterRevision,
  kSigTrust,
  kSealed,
  kNotSealedNoKey,
  kIngestAbandoned,
  kAnchorText,
  kAnchorSealedOnly,
  kAnchorSealedAndTimestamped,
  kAnchorNone,
  kAnchorNoneInVerify,
  kAnchorsHold,
  kAnchorsFail,
  kAnchorProblem,
  kAnchorsExported,
  kBackupNotAnchored,
  kEvidenceWritten,
  kEvidenceToStdout,
  kRetentionAssigned,
  kRetentionNothingDue,
  kIngestAccepted,
  kIngestRejected,
  kIngestDuplicate,
  kIngestActionStored,
  kIngestActionLinked,
  kIngestActionNewVersion,
  kIngestActionStatus,
  kIngestError,
  kIngestWarning,
  kEdxmlDocument,
  kEdxmlStatus,
  kEdxmlHasErrors,
  kEdxmlFrom,
  kEdxmlAttachment,
  kEdxmlSignatureAbsent,
  kEdxmlSignatureValid,
  kEdxmlSignatureInvalid,
  kBagValid,
  kBagInvalid,
  kPreserved,
  kPreserveAtRisk,
  kPreserveSkipped,
  kHoldInForce,
  kHoldReleased,
  kHoldNone,
  kProgressFixity,
  kProgressReindex,
  kProgressBackup,
  kProgressReplica,
  kProgressPreserve,
  kProgressIngest,
  kProgressOcr,
  kProgressRestore,
  kProgressLine,
  kUnitBlobs,
  kUnitDocuments,
  kUnitPackages,
  kUnitPages,
  kCount,
};

// The text of `m` in the current language, "{i}" replaced by args[i].
std::string Tr(Msg m, std::initializer_list<std::string_view> args = {});
// The same in a given language (tests of the catalog).
std::string TrIn(Lang lang, Msg m, std::initializer_list<std::string_view> args = {});

// A usage error of the CLI's own: kInvalidArgument whose message is the
// English text (what --json shows, whatever the language); Describe shows
// it in the current language, without a lead.
Status UsageError(Msg m, std::initializer_list<std::string_view> args = {});

// The human message for a failed status, in the current language: a plain
// explanation when the message is a known raw library error (encrypted or
// damaged PDF, not a PDF, unreadable key or certificate, TSA unreachable),
// else the message itself, in Vietnamese behind a lead naming the kind of
// failure. Whenever an explanation replaces the text, the original message is
// logged (archive/base/log.h, event "cli.error").
std::string Describe(const Status& s);

}  // namespace kholuu::cli
