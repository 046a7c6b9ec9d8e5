import type { PiiSpan, ScrubbedText, Scrubber } from "@bear/core";

const PATTERNS: Array<[string, RegExp]> = [
  ["EMAIL", /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g],
  ["PHONE", /\+?\d[\d ()-]{7,}\d/g],
];

/**
 * A small real Scrubber (core contract) for tests: emails, phone numbers and the given names are
 * replaced by numbered placeholders, with an offset map back to the original.
 */
export class RegexScrubber implements Scrubber {
  constructor(private readonly names: readonly string[] = []) {}

  async scrub(text: string): Promise<ScrubbedText> {
    const found: PiiSpan[] = [];
    for (const [type, re] of PATTERNS) for (const m of text.matchAll(re)) found.push({ type, start: m.index, end: m.index + m[0].length });
    for (const name of this.names) for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + name.length)) found.push({ type: "PERSON", start: i, end: i + name.length });
    found.sort((a, b) => a.start - b.start);
    const spans = found.filter((s, i) => i === 0 || s.start >= found[i - 1]!.end);
    const counters = new Map<string, number>();
    let out = "";
    let last = 0;
    const replacements: PiiSpan[] = [];
    const map: Array<{ scrubbed: [number, number]; original: [number, number] }> = [];
    for (const s of spans) {
      out += text.slice(last, s.start);
      const n = (counters.get(s.type) ?? 0) + 1;
      counters.set(s.type, n);
      const placeholder = `<${s.type}_${n}>`;
      replacements.push({ type: s.type, start: out.length, end: out.length + placeholder.length });
      map.push({ scrubbed: [out.length, out.length + placeholder.length], original: [s.start, s.end] });
      out += placeholder;
      last = s.end;
    }
    out += text.slice(last);
    return {
      text: out,
      replacements,
      toOriginalSpan(start: number, end: number) {
        const hit = map.find((m) => start >= m.scrubbed[0] && end <= m.scrubbed[1]);
        if (hit) return { start: hit.original[0], end: hit.original[1] };
        let shift = 0;
        for (const m of map) if (m.scrubbed[1] <= start) shift += m.original[1] - m.original[0] - (m.scrubbed[1] - m.scrubbed[0]);
        return { start: start + shift, end: end + shift };
      },
    };
  }
}
