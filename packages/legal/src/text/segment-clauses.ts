import { segmentSentences } from "./segment-sentences";
import { spanOf, type Span } from "./span";

/** A numbered section or paragraph of a contract, with its sentences. */
export interface Clause {
  /** 0-based position in the document. */
  readonly index: number;
  /** Section number as written ("12.3", "IV"), when the clause starts with one. */
  readonly number?: string;
  /** Short heading ("Governing Law"), when the clause has one. */
  readonly heading?: string;
  readonly span: Span;
  readonly sentences: readonly Span[];
}

const NUMBERED = /^(?:(?:section|article|clause)\s+)?((?:\d{1,3}(?:\.\d{1,3})*)|[IVXL]{1,6})\.?(?:\s+|$)/i;
/**
 * A bare number alone on its line and followed by a blank line ("1⏎⏎Source: …"): the page number of text
 * taken from a PDF — unless it continues the clause sequence (the previous top-level number + 1, or 1 before
 * any numbered clause: "1⏎⏎DEFINITIONS" opens section 1). A numbered heading on its own line is followed by
 * its title line ("12⏎Governing Law") or written with a dot ("12.⏎⏎Governing Law").
 */
const PAGE_NUMBER = /^(\d{1,4})[ \t]*\r?\n[ \t]*\r?\n\s*/;
/** A roman clause number without "Article"/"Section" before it stands before a dot or at its line's end ("IV. GRANT", not "I agree"). */
const ROMAN_ALONE = /^[IVXL]{1,6}(?:\.|[ \t]*(?:\r?\n|$))/;
const KEYWORD = /^(?:section|article|clause)\s/i;
const HEADING = /^((?:[A-Z][A-Za-z'’&/-]*|of|and|or|to|for|the|in|on|by|with|a|an)(?:[ \t]+(?:[A-Z][A-Za-z'’&/-]*|of|and|or|to|for|the|in|on|by|with|a|an)){0,7})\s*[.:]\s/;

/**
 * A paragraph end of hard-wrapped text starts a new clause only once the clause has grown this long: short
 * lines that end a sentence are also list items, signature lines and table rows, and splitting there cut
 * long PDFs into one-sentence clauses (Armstrong IP agreement: 67 → 124 clauses, 6 → 43 of one sentence).
 */
const MIN_WRAPPED_CLAUSE_CHARS = 800;

/** Fewer blank lines than one per this many characters: the text is hard-wrapped (as text taken from a PDF is). */
const CHARS_PER_BLANK_LINE = 3000;

/**
 * In hard-wrapped text with no blank lines, the end of a paragraph: a sentence that ends its line, on a
 * line clearly shorter than the text's usual line (the last line of a paragraph rarely fills the width).
 */
function paragraphEnds(text: string): ((sentenceEnd: number) => boolean) | undefined {
  const blankLines = text.match(/\n[ \t]*\n/g)?.length ?? 0;
  if (blankLines >= text.length / CHARS_PER_BLANK_LINE) return undefined;
  const lengths = text.split("\n").map((l) => l.trimEnd().length).filter((n) => n >= 20).sort((a, b) => a - b);
  if (lengths.length < 5) return undefined;
  const usual = lengths[Math.floor(lengths.length / 2)]!;
  return (end) => {
    if (!/^[ \t]*\n/.test(text.slice(end, end + 40)) || !/[.:;!?]["”')]?$/.test(text.slice(Math.max(0, end - 2), end))) return false;
    const lineStart = text.lastIndexOf("\n", end - 1) + 1;
    return end - lineStart < 0.85 * usual;
  };
}

/**
 * The clause number a sentence opens with, read after a page number ("4⏎⏎ARTICLE II …" is article II), and
 * the text after it. `next` is the top-level number that would continue the clause sequence.
 */
function opening(sentence: string, next: number): { numbered?: RegExpExecArray; rest: string } {
  const page = PAGE_NUMBER.exec(sentence);
  const afterPage = page && Number(page[1]) !== next ? sentence.slice(page[0].length) : sentence;
  const numbered = NUMBERED.exec(afterPage);
  if (numbered && /^[IVXL]+$/i.test(numbered[1]!) && !KEYWORD.test(afterPage) && !ROMAN_ALONE.test(afterPage)) return { rest: afterPage };
  return numbered ? { numbered, rest: afterPage.slice(numbered[0].length) } : { rest: afterPage };
}

/**
 * Splits a contract into clauses: a new clause starts at each numbered section ("12.3", "ARTICLE IV",
 * "Section 5") or blank-line paragraph — in hard-wrapped text without blank lines, at a short line that
 * ends a sentence; unnumbered sentences stay with the clause before them.
 */
export function segmentClauses(text: string): Clause[] {
  const sentences = segmentSentences(text);
  const endsParagraph = paragraphEnds(text);
  const groups: Span[][] = [];
  const openings: ReturnType<typeof opening>[] = [];
  let prevEnd = 0;
  let groupStart = 0;
  let top = 0;
  for (const sentence of sentences) {
    const gap = text.slice(prevEnd, sentence.start);
    const open = opening(sentence.quote, top + 1);
    const startsSection = open.numbered !== undefined || /\n[ \t]*\n/.test(gap) || groups.length === 0 || (endsParagraph !== undefined && prevEnd - groupStart >= MIN_WRAPPED_CLAUSE_CHARS && endsParagraph(prevEnd));
    if (startsSection) {
      groups.push([sentence]);
      openings.push(open);
      groupStart = sentence.start;
      const lead = /^\d+/.exec(open.numbered?.[1] ?? "");
      if (lead) top = Number(lead[0]);
    }
    else groups[groups.length - 1]!.push(sentence);
    prevEnd = sentence.end;
  }
  return groups.map((group, index) => {
    const first = group[0]!;
    const span = spanOf(text, first.start, group[group.length - 1]!.end);
    const { numbered, rest } = openings[index]!;
    const heading = HEADING.exec(rest + " ")?.[1];
    return {
      index,
      ...(numbered?.[1] && /\d|^[IVXL]+$/.test(numbered[1]) ? { number: numbered[1] } : {}),
      ...(heading && heading.split(/\s+/).length <= 8 && /^[A-Z]/.test(heading) ? { heading: heading.trim() } : {}),
      span,
      sentences: group,
    };
  });
}
