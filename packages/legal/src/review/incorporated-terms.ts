// "The terms of the Master Agreement … are incorporated by reference": the terms a review finds missing may
// sit in that other document, so an absence finding says so (a note, not silence).
import type { ContractDocument } from "../text/contract-document";
import type { Span } from "../text/span";

const BY_REFERENCE = /\bincorporat(?:ed|es?|ing)\s+(?:[\w'’,-]+\s+){0,10}?by\s+reference\b/i;
// The contract's own attachments ("Exhibit A attached hereto is incorporated by reference") are in its text.
const OWN_ATTACHMENT = /\b(?:exhibits?|schedules?|appendi(?:x|ces)|attachments?|annex(?:es)?)\b[^.;]{0,60}\b(?:attached|hereto|herewith)\b/i;
// What is brought in must be another document's terms: an agreement, its terms or conditions, a policy.
const OTHER_DOCUMENT = /\b(?:agreements?|contracts?|terms|conditions|polic(?:y|ies)|provisions)\b/i;

/** The first sentence that brings another document's terms into this one by reference, if any. */
export function incorporationByReference(doc: ContractDocument): Span | undefined {
  return doc.sentences.find((s) => BY_REFERENCE.test(s.quote) && OTHER_DOCUMENT.test(s.quote) && !OWN_ATTACHMENT.test(s.quote));
}
