import { LegalInputError } from "../errors";
import { pageFooterLayout } from "./page-footers";
import { segmentClauses, type Clause } from "./segment-clauses";
import type { Span } from "./span";

/** The same span quoted from `text` (segmentation may read a layout of the same length). */
const requote = (text: string, s: Span): Span => ({ start: s.start, end: s.end, quote: text.slice(s.start, s.end) });

/** A contract's text with its sentences and clauses, computed once and shared by every extractor. */
export class ContractDocument {
  readonly clauses: readonly Clause[];
  readonly sentences: readonly Span[];
  private readonly sentenceStarts: number[];

  constructor(readonly text: string) {
    if (typeof text !== "string") throw new LegalInputError("contract text", text, "a string");
    // Glued EDGAR page footers are segmented as the paragraph breaks they are (`pageFooterLayout`); spans quote `text`.
    const layout = pageFooterLayout(text);
    this.clauses = layout === text ? segmentClauses(text) : segmentClauses(layout).map((c) => ({ ...c, span: requote(text, c.span), sentences: c.sentences.map((s) => requote(text, s)) }));
    this.sentences = this.clauses.flatMap((c) => c.sentences);
    this.sentenceStarts = this.sentences.map((s) => s.start);
  }

  /** Accepts a ready document or raw text. */
  static of(input: string | ContractDocument): ContractDocument {
    return input instanceof ContractDocument ? input : new ContractDocument(input);
  }

  /** The sentence containing `offset` (or the nearest one before it). */
  sentenceAt(offset: number): Span | undefined {
    let lo = 0;
    let hi = this.sentenceStarts.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.sentenceStarts[mid]! <= offset) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best < 0 ? this.sentences[0] : this.sentences[best];
  }

  /** The clause containing `offset`. */
  clauseAt(offset: number): Clause | undefined {
    return this.clauses.find((c) => c.span.start <= offset && offset < c.span.end) ?? this.clauses.findLast((c) => c.span.start <= offset);
  }

  private preamble: number | undefined;

  /** The preamble: text up to the first numbered clause after the opening, capped at 4000 characters. */
  get preambleEnd(): number {
    if (this.preamble === undefined) {
      const firstNumbered = this.clauses.find((c, i) => i > 0 && c.number !== undefined && c.span.start > 200);
      this.preamble = Math.min(firstNumbered?.span.start ?? 4000, 4000, this.text.length);
    }
    return this.preamble;
  }
}
