import type { ContractDocument } from "../text/contract-document";
import { escapeRegExp } from "../text/escape-reg-exp";
import { matchAll, spanOf } from "../text/span";
import type { DefinedTerm } from "./key-term-types";

const QUOTED_BODY = `["“”]\\s*([A-Z0-9][^"“”\\n]{0,60}?)\\s*[,.]?["“”]`;
const QUOTED = QUOTED_BODY.replace("(", "(?:");
/** `("Licensee")`, `(the "Agreement")`, `(each, a "Product")`, `(hereinafter "X")`, `"X" means`, `"X" shall have the meaning`. */
const DEFINITION = new RegExp(
  `\\((?:[^()"“”]{0,40}?(?:the|a|an|each|collectively|together|individually|hereinafter(?:\\s+referred\\s+to\\s+as)?|referred\\s+to\\s+(?:herein\\s+)?as|or)\\s*,?\\s*)?${QUOTED}[^()]{0,60}?\\)|${QUOTED}\\s*(?=(?:shall\\s+)?(?:mean|means|has\\s+the\\s+meaning|have\\s+the\\s+meaning|shall\\s+have|includes?|refers?\\s+to|is\\s+defined))`,
  "g",
);
const SECOND_QUOTED = new RegExp(QUOTED_BODY, "g");


/** Defined terms and where each is defined (the quoted term and its defining sentence), with use counts. */
export function extractDefinedTerms(doc: ContractDocument): DefinedTerm[] {
  const found = new Map<string, { start: number; end: number }>();
  for (const m of matchAll(doc.text, DEFINITION)) {
    // Every quoted term inside one parenthesis is defined there ("Parties" and "Party").
    for (const q of matchAll(m[0], SECOND_QUOTED)) {
      const term = q[1]!.trim();
      if (term.length < 2 || found.has(term)) continue;
      const at = m.index + q.index + q[0].indexOf(term);
      found.set(term, { start: at, end: at + term.length });
    }
  }
  const out: DefinedTerm[] = [];
  for (const [term, at] of found) {
    const sentence = doc.sentenceAt(at.start);
    const uses = [...matchAll(doc.text.slice(at.end), new RegExp(`\\b${escapeRegExp(term)}\\b`, "g"))].length;
    out.push({
      term,
      span: spanOf(doc.text, at.start, at.end),
      definition: sentence ?? spanOf(doc.text, at.start, at.end),
      uses,
    });
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}
