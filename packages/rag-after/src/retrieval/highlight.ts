const STOP = new Set(
  "a an and are as at be been but by can could did do does for from had has have how i if in into is it its may might must no not of on or our shall should so than that the their them then there these they this those to under upon was we were what when where which who whom whose why will with would you your consider between any".split(
    " ",
  ),
);

/** Content words of a query, lowercased (what highlighting and extractive answers look for). */
export function queryTerms(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]+(?:[.'’-][\p{L}\p{N}]+)*/gu) ?? [];
  return [...new Set(words.filter((w) => w.length >= 3 && !STOP.has(w)))];
}

/** Crude English stem so "terminate" also finds "termination" and "terminated". */
export function stem(word: string): string {
  const w = word.toLowerCase();
  if (w.length <= 4) return w;
  return w.replace(/(ations?|ing|ed|es|s|ly|ment|ments|ion|ions|ive|al)$/u, "").slice(0, Math.max(4, w.length - 4)) || w;
}

/** Offsets (relative to `text`) of words whose stem matches a query term's stem. */
export function findTermSpans(text: string, terms: readonly string[]): { start: number; end: number }[] {
  if (terms.length === 0) return [];
  const stems = terms.map(stem);
  const spans: { start: number; end: number }[] = [];
  const re = /[\p{L}\p{N}]+/gu;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const s = stem(m[0]);
    if (stems.some((t) => s === t || (t.length >= 5 && s.startsWith(t)) || (s.length >= 5 && t.startsWith(s)))) {
      spans.push({ start: m.index, end: m.index + m[0].length });
    }
  }
  return spans;
}

/** A window of about `width` characters around the densest matches, with matches wrapped in ** … **. */
export function snippetOf(text: string, spans: readonly { start: number; end: number }[], width = 240): string {
  let from = 0;
  if (text.length > width && spans.length > 0) {
    let best = 0;
    let bestCount = -1;
    for (const s of spans) {
      const count = spans.filter((o) => o.start >= s.start && o.end <= s.start + width).length;
      if (count > bestCount) {
        bestCount = count;
        best = s.start;
      }
    }
    from = Math.max(0, Math.min(best - 40, text.length - width));
    const ws = text.lastIndexOf(" ", from);
    if (ws > from - 20 && ws >= 0) from = ws + 1;
  }
  const to = Math.min(text.length, from + width);
  let out = "";
  let at = from;
  for (const s of spans) {
    if (s.start < from || s.end > to) continue;
    out += `${text.slice(at, s.start)}**${text.slice(s.start, s.end)}**`;
    at = s.end;
  }
  out += text.slice(at, to);
  const clean = out.replace(/\s+/g, " ").trim();
  return `${from > 0 ? "…" : ""}${clean}${to < text.length ? "…" : ""}`;
}
