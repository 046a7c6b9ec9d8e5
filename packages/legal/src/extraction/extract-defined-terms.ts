import type { ContractDocument } from "../text/contract-document";
import { matchAll, spanOf } from "../text/span";
import { countWholeWord } from "../text/whole-word-count";
import type { DefinedTerm } from "./key-term-types";

const QUOTED_BODY = `["“”]\\s*([A-Z0-9][^"“”\\n]{0,60}?)\\s*[,.]?["“”]`;
const QUOTED = QUOTED_BODY.replace("(", "(?:");
/** `("Licensee")`, `(the "Agreement")`, `(each, a "Product")`, `(hereinafter "X")`, `"X" means`, `"X" shall have the meaning`. */
const DEFINITION = new RegExp(
  `\\((?:[^()"“”]{0,40}?(?:the|a|an|each|collectively|together|individually|hereinafter(?:\\s+referred\\s+to\\s+as)?|referred\\s+to\\s+(?:herein\\s+)?as|or)\\s*,?\\s*)?${QUOTED}[^()]{0,60}?\\)|${QUOTED}\\s*(?=(?:shall\\s+)?(?:mean|means|has\\s+the\\s+meaning|have\\s+the\\s+meaning|shall\\s+have|includes?|refers?\\s+to|is\\s+defined))`,
  "g",
);
const SECOND_QUOTED = new RegExp(QUOTED_BODY, "g");


/** A defined term and where its first definition quotes it. */
export interface DefinedTermSpan {
  readonly term: string;
  readonly start: number;
  readonly end: number;
}

/** Where each term is defined: the quoted term of its first definition, in text order (no use counts: see `extractDefinedTerms`). */
export function definedTermSpans(doc: ContractDocument): DefinedTermSpan[] {
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
  return [...found].map(([term, at]) => ({ term, ...at })).sort((a, b) => a.start - b.start);
}

/** Defined terms and where each is defined (the quoted term and its defining sentence), with use counts. */
export function extractDefinedTerms(doc: ContractDocument): DefinedTerm[] {
  return definedTermSpans(doc).map(({ term, start, end }) => ({
    term,
    span: spanOf(doc.text, start, end),
    definition: doc.sentenceAt(start) ?? spanOf(doc.text, start, end),
    uses: countWholeWord(doc.text, term, end),
  }));
}
