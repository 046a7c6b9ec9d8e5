// A citation of a law, a rule book or a standard is no place: "located in Section 47", "pursuant to Louisiana Civil
// Code Articles 2520", "defined in FINRA Rules 2210", "according to ISO 14971". Words before a number after "in"/"to"
// read like a town and its postcode; what marks them as a reference is a word naming a part of a legal text, or the
// citing phrase before the preposition.

/** Words that name a part of a law, a rule book, a contract or a standard. */
const REFERENCE_WORD =
  /^(?:Sections?|Subsections?|Articles?|Rules?|Regulations?|Codes?|Acts?|Statutes?|Chapters?|Clauses?|Paragraphs?|Schedules?|Exhibits?|Annex(?:es)?|Appendix|Appendices|Standards?|Directives?|Amendments?)$/i;

/** A phrase that cites a text, ending with the preposition before the reference: "as defined in ", "pursuant to ". */
const CITING = /\b(?:according|pursuant|defined|set[ ]forth|set[ ]out|described|specified|provided|referred[ ]to|stated|contained|prescribed|required|subject|conform(?:s|ed|ing)?|complies|comply|compliant|governed|construed)[ ]+(?:to|in|by|under|with)[ ]+$/i;

/**
 * True when `words` (a candidate town's words, starting at `start` in `text`) cite a legal text rather than name a
 * place: one of them names a part of a legal text, or a citing phrase comes right before them.
 */
export function isLegalReference(text: string, start: number, words: readonly string[]): boolean {
  if (words.some((w) => REFERENCE_WORD.test(w))) return true;
  return CITING.test(text.slice(Math.max(0, start - 40), start).replace(/\s+/g, " "));
}
