#include "formats/xmldsig/xmldsig.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/evp.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/keysmngr.h>
#include <xmlsec/transforms.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>

#include <memory>
#include <mutex>

namespace kholuu::formats::xmldsig {
namespace {

constexpr size_t kMaxXmlBytes = 256u << 20;
constexpr const char* kDsigNs = "http://www.w3.org/2000/09/xmldsig#";

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct MngrFree {
  void operator()(xmlSecKeysMngr* m) const { xmlSecKeysMngrDestroy(m); }
};
struct CtxFree {
  void operator()(xmlSecDSigCtx* c) const { xmlSecDSigCtxDestroy(c); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;
using MngrPtr = std::unique_ptr<xmlSecKeysMngr, MngrFree>;
using CtxPtr = std::unique_ptr<xmlSecDSigCtx, CtxFree>;

thread_local std::string t_last_error;

void CollectError(const char* file, int line, const char* func, const char* object, const char* subject,
                  int reason, const char* msg) {
  (void)file;
  (void)line;
  (void)func;
  (void)object;
  std::string m;
  for (xmlSecSize i = 0; xmlSecErrorsGetMsg(i) != nullptr; ++i) {
    if (xmlSecErrorsGetCode(i) == reason) {
      m = xmlSecErrorsGetMsg(i);
      break;
    }
  }
  t_last_error = (subject != nullptr ? std::string(subject) + ": " : "") + m +
                 (msg != nullptr ? std::string(" (") + msg + ")" : "");
}

void SilentXmlError(void*, const char*, ...) {}

Status InitOnce() {
  static std::once_flag once;
  static Status status;
  std::call_once(once, [] {
    xmlInitParser();
    xmlSetGenericErrorFunc(nullptr, SilentXmlError);
    if (xmlSecInit() < 0 || xmlSecCheckVersion() != 1 || xmlSecCryptoAppInit(nullptr) < 0 ||
        xmlSecCryptoInit() < 0) {
      status = InternalError("xmlsec initialisation failed");
      return;
    }
    xmlSecErrorsSetCallback(CollectError);
  });
  return status;
}

std::string_view LocalName(const xmlNode* n) {
  return n->name != nullptr ? reinterpret_cast<const char*>(n->name) : "";
}
std::string_view NsHref(const xmlNode* n) {
  return n->ns != nullptr && n->ns->href != nullptr ? reinterpret_cast<const char*>(n->ns->href) : "";
}

const xmlNode* Child(const xmlNode* n, std::string_view name) {
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && LocalName(c) == name) return c;
  }
  return nullptr;
}

xmlNode* FindSignature(xmlNode* n, int depth) {
  if (depth > 256) return nullptr;
  for (xmlNode* c = n; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (LocalName(c) == "Signature" && Child(c, "SignedInfo") != nullptr) return c;
    if (xmlNode* found = FindSignature(c->children, depth + 1); found != nullptr) return found;
  }
  return nullptr;
}

void FindAll(const xmlNode* n, std::string_view name, std::vector<const xmlNode*>* out, int depth) {
  if (depth > 256) return;
  for (const xmlNode* c = n; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (LocalName(c) == name) out->push_back(c);
    FindAll(c->children, name, out, depth + 1);
  }
}

void MoveToNamespace(xmlNode* n, const xmlNs* old_ns, xmlNs* dsig, int depth) {
  if (depth > 256) return;
  for (xmlNode* c = n; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (c->ns == old_ns) xmlSetNs(c, dsig);
    MoveToNamespace(c->children, old_ns, dsig, depth + 1);
  }
}

std::string Text(const xmlNode* n) {
  xmlChar* t = xmlNodeGetContent(n);
  if (t == nullptr) return {};
  std::string out(reinterpret_cast<char*>(t));
  xmlFree(t);
  return out;
}

std::string Attr(const xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (v == nullptr) return {};
  std::string out(reinterpret_cast<char*>(v));
  xmlFree(v);
  return out;
}

std::string Base64Decode(const std::string& text) {
  std::string clean;
  for (char c : text) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') clean += c;
  }
  if (clean.empty() || clean.size() % 4 != 0) return {};
  std::string out(clean.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(clean.data()), static_cast<int>(clean.size()));
  if (n < 0) return {};
  size_t pad = clean.size() >= 2 ? static_cast<size_t>(clean[clean.size() - 1] == '=') +
                                       static_cast<size_t>(clean[clean.size() - 2] == '=')
                                 : 0;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

bool EnableTransforms(xmlSecDSigCtx* ctx) {
  // Canonicalisation, enveloped signature, digests and signature methods only:
  // no XSLT, no XPath, no external retrieval.
  const xmlSecTransformId ids[] = {
      xmlSecTransformInclC14NId, xmlSecTransformInclC14NWithCommentsId,
      xmlSecTransformInclC14N11Id, xmlSecTransformInclC14N11WithCommentsId,
      xmlSecTransformExclC14NId, xmlSecTransformExclC14NWithCommentsId,
      xmlSecTransformEnvelopedId, xmlSecTransformBase64Id,
      xmlSecTransformSha1Id, xmlSecTransformSha256Id, xmlSecTransformSha384Id, xmlSecTransformSha512Id,
      xmlSecTransformRsaSha1Id, xmlSecTransformRsaSha256Id, xmlSecTransformRsaSha384Id,
      xmlSecTransformRsaSha512Id, xmlSecTransformEcdsaSha1Id, xmlSecTransformEcdsaSha256Id,
      xmlSecTransformEcdsaSha384Id, xmlSecTransformEcdsaSha512Id,
  };
  for (xmlSecTransformId id : ids) {
    if (xmlSecPtrListAdd(&ctx->transformCtx.enabledTransforms, const_cast<void*>(static_cast<const void*>(id))) < 0) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<XmlSignatureReport> VerifyEdxmlSignature(std::string_view xml, const x509::TrustStore& store,
                                                int64_t now) {
  if (xml.size() > kMaxXmlBytes) return ResourceExhaustedError("XML larger than 256 MiB");
  KHOLUU_RETURN_IF_ERROR(InitOnce());
  int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  DocPtr doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "edxml.xml", nullptr, options));
  if (!doc) {
    const xmlError* e = xmlGetLastError();
    return InvalidArgumentError(std::string("not well-formed XML") +
                                (e != nullptr && e->message != nullptr
                                     ? ": line " + std::to_string(e->line) + ": " + e->message
                                     : ""));
  }
  if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
    return InvalidArgumentError("a DOCTYPE is not allowed in an edXML package (entity attacks)");
  }
  XmlSignatureReport report;
  xmlNode* root = xmlDocGetRootElement(doc.get());
  xmlNode* sig = root != nullptr ? FindSignature(root, 0) : nullptr;
  if (sig == nullptr) {
    report.problems.push_back("no XML signature in the package");
    return report;
  }
  report.present = true;
  if (NsHref(sig) != kDsigNs) {
    report.default_namespace = true;
    report.problems.push_back("Signature element is not in the xmldsig namespace (namespace \"" +
                              std::string(NsHref(sig)) + "\"); verified as if it were");
    const xmlNs* old_ns = sig->ns;
    xmlNs* dsig = xmlNewNs(sig, reinterpret_cast<const xmlChar*>(kDsigNs), nullptr);
    if (dsig == nullptr) {
      // The element already declares a default namespace: replace its href.
      for (xmlNs* ns = sig->nsDef; ns != nullptr; ns = ns->next) {
        if (ns->prefix == nullptr) {
          xmlFree(const_cast<xmlChar*>(ns->href));
          ns->href = xmlStrdup(reinterpret_cast<const xmlChar*>(kDsigNs));
          dsig = ns;
        }
      }
    }
    if (dsig == nullptr) return InternalError("cannot re-namespace the Signature element");
    MoveToNamespace(sig, old_ns, dsig, 0);
  }
  const xmlNode* signed_info = Child(sig, "SignedInfo");
  if (const xmlNode* sm = signed_info != nullptr ? Child(signed_info, "SignatureMethod") : nullptr) {
    report.signature_method = Attr(sm, "Algorithm");
  }
  std::vector<const xmlNode*> digests;
  FindAll(sig->children, "DigestMethod", &digests, 0);
  auto weak = [](const std::string& uri) {
    return uri.find("sha1") != std::string::npos || uri.find("md5") != std::string::npos;
  };
  report.weak_algorithm = weak(report.signature_method);
  for (const xmlNode* d : digests) report.weak_algorithm |= weak(Attr(d, "Algorithm"));
  if (report.weak_algorithm) report.problems.push_back("SHA-1 (weak) signature or digest algorithm");

  std::vector<const xmlNode*> certs;
  FindAll(sig->children, "X509Certificate", &certs, 0);
  std::vector<std::string> certs_der;
  for (const xmlNode* c : certs) certs_der.push_back(Base64Decode(Text(c)));

  MngrPtr mngr(xmlSecKeysMngrCreate());
  if (!mngr || xmlSecCryptoAppDefaultKeysMngrInit(mngr.get()) < 0) return InternalError("xmlsec keys manager");
  CtxPtr ctx(xmlSecDSigCtxCreate(mngr.get()));
  if (!ctx || !EnableTransforms(ctx.get())) return InternalError("xmlsec signature context");
  // The chain is judged by formats/x509 against our trust store, not by xmlsec.
  ctx->keyInfoReadCtx.flags |= XMLSEC_KEYINFO_FLAGS_X509DATA_DONT_VERIFY_CERTS;
  ctx->enabledReferenceUris = static_cast<xmlSecTransformUriType>(xmlSecTransformUriTypeEmpty |
                                                                   xmlSecTransformUriTypeSameDocument);
  t_last_error.clear();
  int rc = xmlSecDSigCtxVerify(ctx.get(), sig);
  report.valid = rc >= 0 && ctx->status == xmlSecDSigStatusSucceeded;
  if (!report.valid) {
    report.problems.push_back(rc < 0 ? "the signature could not be processed: " + t_last_error
                                     : "the signature or a reference digest does not verify");
  }
  if (!certs_der.empty()) {
    // The signer is the certificate whose key verified; with one certificate it is that one.
    auto info = x509::DescribeCertificate(certs_der.front());
    if (info.ok()) {
      report.signer_cert = *info;
      report.signer = info->common_name;
    } else {
      report.problems.push_back("KeyInfo X509Certificate does not parse");
    }
    std::vector<std::string> rest(certs_der.begin() + 1, certs_der.end());
    x509::TrustOptions topt;
    topt.at = now;
    report.trust = x509::EvaluateTrust(certs_der.front(), rest, store, {}, topt);
  } else {
    report.problems.push_back("no X509Certificate in KeyInfo: signer unknown");
    report.trust.reasons.push_back("no signer certificate");
  }
  if (!report.valid && report.trust.trust == x509::Trust::kTrusted) {
    report.trust.trust = x509::Trust::kUntrusted;
    report.trust.reasons.push_back("the XML signature does not verify");
  }
  return report;
}

}  // namespace kholuu::formats::xmldsig
