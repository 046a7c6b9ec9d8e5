import { spanOf, type Span } from "./span";

// Words that end with a full stop without ending a sentence ("Inc.", "Sec.", "e.g.").
const ABBREVIATIONS = new Set([
  "inc", "corp", "co", "ltd", "llc", "l.l.c", "l.p", "lp", "plc", "n.a", "s.a", "b.v", "n.v", "gmbh", "ag", "pty", "limited",
  "no", "nos", "sec", "secs", "art", "para", "cl", "ex", "exh", "sch", "app", "vol", "p", "pp",
  "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "esq", "messrs",
  "e.g", "i.e", "etc", "viz", "cf", "vs", "v", "approx", "min", "max", "dept", "u.s", "u.k", "u.s.a", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
]);

/** Splits text into sentence spans (offsets into `text`), robust to the run-together layout of EDGAR filings. */
export function segmentSentences(text: string, from = 0, to = text.length): Span[] {
  const cuts: number[] = [from];
  const re = /([.;!?:])(["'”’)]*)(\s+)(?=["“([]?[A-Z0-9(])|\n[ \t]*\n|\s{3,}(?=(?:section|article|SECTION|ARTICLE|\d+(?:\.\d+)*\.?\s+[A-Z]|\([a-z0-9]{1,4}\)\s|[A-Z][A-Z ]{3,}))/gy;
  const scan = /[.;!?:]|\n[ \t]*\n|\s{3,}/g;
  scan.lastIndex = from;
  for (let m = scan.exec(text); m !== null && m.index < to; m = scan.exec(text)) {
    re.lastIndex = m.index;
    const hit = re.exec(text);
    if (hit === null) continue;
    const punct = hit[1];
    if (punct === ".") {
      const word = /([A-Za-z.]+)$/.exec(text.slice(Math.max(from, m.index - 12), m.index))?.[1] ?? "";
      const before = word.toLowerCase();
      // "SEC." before a word is the Securities and Exchange Commission ending a sentence; "Sec. 5" is a section.
      const commission = word === "SEC" && /^\s+["“(]?[A-Za-z]/.test(text.slice(m.index + 1, m.index + 4));
      if (!commission && (ABBREVIATIONS.has(before) || /^[a-z]$/i.test(before))) continue;
      // "1." / "12.3." numbering: not the end of a sentence.
      if (/(?:^|\s)\d+(?:\.\d+)*$/.test(text.slice(Math.max(from, m.index - 10), m.index))) continue;
    }
    if (punct === ":" && !/\s{2,}|\n/.test(hit[3] ?? "")) continue;
    const cut = hit.index + hit[0].length;
    if (cut < to) cuts.push(cut);
    scan.lastIndex = Math.max(scan.lastIndex, cut);
  }
  cuts.push(to);
  const spans: Span[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const s = spanOf(text, cuts[i]!, cuts[i + 1]!);
    if (s.quote.length === 0) continue;
    const prev = spans[spans.length - 1];
    // Numbering-only fragments ("1.", "(a)") join the sentence they number.
    if (prev && /^(?:\(?[0-9a-z]{1,4}[.)]|\d+(?:\.\d+)*\.?|[ivx]+\.)$/i.test(prev.quote)) {
      spans[spans.length - 1] = spanOf(text, prev.start, s.end);
    } else spans.push(s);
  }
  return spans;
}
