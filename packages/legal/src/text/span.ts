/** A piece of the input text: 0-based, end-exclusive UTF-16 offsets, so `text.slice(start, end) === quote`. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly quote: string;
}

/** The span of `text` between `start` and `end`, trimmed of surrounding whitespace. */
export function spanOf(text: string, start: number, end: number): Span {
  let s = Math.max(0, start);
  let e = Math.min(text.length, end);
  while (s < e && /\s/.test(text[s]!)) s++;
  while (e > s && /\s/.test(text[e - 1]!)) e--;
  return { start: s, end: e, quote: text.slice(s, e) };
}

/** True when two half-open ranges share at least one character. */
export function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Every match of a global regex over `text`, as [start, end, match] (zero-length matches skipped). */
export function* matchAll(text: string, re: RegExp): Generator<RegExpExecArray> {
  const g = re.global ? re : new RegExp(re.source, re.flags + "g");
  g.lastIndex = 0;
  for (let m = g.exec(text); m !== null; m = g.exec(text)) {
    if (m[0].length === 0) {
      g.lastIndex++;
      continue;
    }
    yield m;
  }
}
