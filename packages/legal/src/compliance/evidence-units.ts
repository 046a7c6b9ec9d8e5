// The units a checklist reads: each sentence, with the lead-in of the list it belongs to.
// "Each party may disclose the Confidential Information of the other party:" + "(b) to its professional
// advisors …" only says something together, so cues are matched on both and both are cited.
import type { ContractDocument } from "../text/contract-document";
import type { Span } from "../text/span";

export interface EvidenceUnit {
  readonly sentence: Span;
  /** The list lead-in ("… shall not:") when the sentence is one of its items. */
  readonly leadIn?: Span;
  /** The text cues are matched against: the lead-in, then the sentence. */
  readonly text: string;
}

// "(a) ", "b) ", "(iv) ", "4.1.2 ", "3.3. ": an enumerated item.
const ITEM = /^(?:\(?(?:[a-z]{1,2}|[ivxl]{1,5}|\d{1,2}|[A-Z])\)|\d{1,2}(?:\.\d{1,2}){1,3}\.?)\s/;
// A lead-in announces a list: it ends with a colon ("5.2 … shall not apply to information that:"), or, when
// it is not itself an item, without ending its sentence ("… does not include information which", "The Vendor undertakes;").
const COLON = /:\s*(?:-|—)?\s*$/;
const OPEN_END = /[^.!?\s"”'’)]\s*$/;
const MAX_ITEMS = 12;

const cache = new WeakMap<ContractDocument, readonly EvidenceUnit[]>();

function leadInFor(sentences: readonly Span[], i: number): Span | undefined {
  if (!ITEM.test(sentences[i]?.quote ?? "")) return undefined;
  for (let j = i - 1; j >= 0 && j >= i - MAX_ITEMS; j--) {
    const s = sentences[j];
    if (s === undefined) return undefined;
    if (COLON.test(s.quote)) return s;
    if (!ITEM.test(s.quote)) return OPEN_END.test(s.quote) ? s : undefined;
  }
  return undefined;
}

/** The document's sentences as evidence units (computed once per document). */
export function evidenceUnits(doc: ContractDocument): readonly EvidenceUnit[] {
  let units = cache.get(doc);
  if (units === undefined) {
    const sentences = doc.sentences;
    units = sentences.map((sentence, i) => {
      const leadIn = leadInFor(sentences, i);
      return {
        sentence,
        ...(leadIn ? { leadIn } : {}),
        text: leadIn ? `${leadIn.quote} ${sentence.quote}` : sentence.quote,
      };
    });
    cache.set(doc, units);
  }
  return units;
}
