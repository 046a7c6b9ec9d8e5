import { createHash } from "node:crypto";
import { InvalidArgumentError } from "@bear/core";

/**
 * `legal`: structure first (headings, Article/Section/clause numbering, recitals, signature
 * blocks, page breaks), then sentences. `sentence`: sentences only, pages kept. `fixed`:
 * fixed-size windows snapped to whitespace (the classic baseline).
 */
export type ChunkingStrategy = "legal" | "sentence" | "fixed";

export interface ChunkerOptions {
  readonly strategy?: ChunkingStrategy;
  /** Target chunk size in characters (a chunk exceeds it only when one word does). Default 600. */
  readonly targetChars?: number;
  /** Characters of trailing context repeated at the start of the next chunk of a section. Default 100. */
  readonly overlapChars?: number;
  /** Sections shorter than this are merged with the next one on the same page. Default 160. */
  readonly minChars?: number;
}

/** One chunk: `text === documentText.slice(start, end)`, always. */
export interface TextChunk {
  readonly ordinal: number;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** 1-based page of the chunk's first character. */
  readonly page: number;
  /** Headings from the outermost in, e.g. ["Article 12 Termination", "12.3 Notice"]. */
  readonly sectionPath: readonly string[];
}

interface Span {
  start: number;
  end: number;
}

interface Section extends Span {
  page: number;
  path: string[];
}

interface Heading {
  level: number;
  label: string;
  kind: "heading" | "recitals" | "operative" | "signatures";
}

const SUBCLAUSE_LEVEL = 6;

/** True when `shorten` must fold whitespace: any but a single space (a run, a tab, a newline, a no-break space…). */
function hasFoldableSpace(label: string): boolean {
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (c === 0x20 ? label.charCodeAt(i + 1) === 0x20 : isSpaceCode(c)) return true;
  }
  return false;
}

export function shorten(label: string): string {
  // One call per clause line: most labels are single-spaced already, and the test allocates nothing.
  const clean = (hasFoldableSpace(label) ? label.replace(/\s+/g, " ") : label).trim();
  return clean.length > 80 ? `${clean.slice(0, 77)}...` : clean;
}

/** First words of a clause line: "12.3 Notice. Either party…" → "12.3 Notice". */
function clauseTitle(number: string, rest: string): string {
  // What /^[^.;:]{1,60}/ takes from `rest` (one call per clause line: no match array, no regex).
  let cut = 0;
  while (cut < 60 && cut < rest.length) {
    const c = rest.charCodeAt(cut);
    if (c === 0x2e || c === 0x3b || c === 0x3a) break;
    cut++;
  }
  const title = cut === 0 ? "" : rest.slice(0, cut).trim();
  return shorten(title ? `${number} ${title}` : number);
}

/** Classifies one line as a structural heading, or null. */
export function detectHeading(rawLine: string): Heading | null {
  return headingIn(rawLine, 0, rawLine.length);
}

/** `detectHeading(text.slice(start, end))`, without copying the line when it cannot be a heading. */
function headingIn(text: string, from: number, to: number): Heading | null {
  const start = trimmedStart(text, from, to);
  const end = trimmedEnd(text, start, to);
  if (end === start || end - start > 240) return null;
  // Only "in witness…" and "now, therefore…" may start lower-case (the rest need #, (, §, a digit or a capital).
  const first = text.charCodeAt(start);
  if (first >= 0x61 && first <= 0x7a && first !== 0x69 && first !== 0x6e) return null;
  return headingOf(text.slice(start, end));
}

/** Classifies one trimmed, non-empty line of at most 240 characters. */
function headingOf(line: string): Heading | null {
  // Each pattern is tried only when the line's first character can start it (a clause line is
  // tried against two patterns, not nine); in the same order, so the first match wins as before.
  const first = line.charCodeAt(0);
  const upper = first >= 0x41 && first <= 0x5a;
  const digit = first >= 0x30 && first <= 0x39;
  let m: RegExpExecArray | null;
  if (first === 0x23 /* # */) {
    m = /^(#{1,6})\s+(\S.*)$/.exec(line);
    if (m) return { level: m[1]!.length, label: shorten(m[2]!), kind: "heading" };
  }
  if ((first === 0x49 || first === 0x69) /* I i */ && /^IN WITNESS WHEREOF\b/i.test(line)) return { level: 1, label: "Signatures", kind: "signatures" };
  if ((first === 0x57 || first === 0x52 || first === 0x42 || first === 0x50) /* W R B P */ && /^(WHEREAS\b|RECITALS?\b|BACKGROUND\s*$|PRELIMINARY STATEMENTS?\b)/.test(line)) {
    return { level: 1, label: "Recitals", kind: "recitals" };
  }
  if ((first === 0x4e || first === 0x6e) /* N n */ && /^NOW,?\s+THEREFORE\b/i.test(line)) return { level: 1, label: "Operative provisions", kind: "operative" };
  if (first === 0x41 /* A */) {
    m = /^(ARTICLE|Article|ART\.)\s+([IVXLCDM]+|\d+[A-Z]?)\b[.:\s–-]*(.*)$/.exec(line);
    if (m) return { level: 1, label: shorten(`Article ${m[2]}${m[3] ? ` ${/^[^.;:]{1,60}/.exec(m[3])?.[0] ?? ""}` : ""}`), kind: "heading" };
  }
  if (first === 0x53 || first === 0xa7 /* S § */) {
    m = /^(SECTION|Section|Sec\.|§)\s*(\d{1,3}(?:\.\d{1,3})*[A-Za-z]?)\b[.:\s–-]*(.*)$/.exec(line);
    if (m) return { level: 2 + dots(m[2]!), label: clauseTitle(`Section ${m[2]}`, m[3] ?? ""), kind: "heading" };
  }
  if (digit) {
    m = /^(\d{1,3}(?:\.\d{1,3}){0,4})(\.|\))?\s+(["“(]?[A-Z].*)$/.exec(line);
    if (m && (m[2] || m[1]!.includes(".") || line.length < 100)) return { level: 2 + dots(m[1]!), label: clauseTitle(m[1]!, m[3] ?? ""), kind: "heading" };
  }
  if (first === 0x28 /* ( */) {
    m = /^\(([a-z]{1,2}|[ivxlc]{2,6}|\d{1,2}|[A-Z])\)\s+\S/.exec(line);
    if (m) return { level: SUBCLAUSE_LEVEL, label: `(${m[1]})`, kind: "heading" };
  }
  if ((upper || digit || first === 0x22 || first === 0x201c || first === 0x28) && line.length <= 80 && /[A-Z]{3}/.test(line) && !/[a-z]/.test(line) && !/[,;]$/.test(line)) {
    return { level: 1, label: shorten(line.replace(/[:.]$/, "")), kind: "heading" };
  }
  return null;
}

/** Dots in a clause number ("12.3.1" → 2): its depth. */
function dots(number: string): number {
  let n = 0;
  for (let i = 0; i < number.length; i++) if (number.charCodeAt(i) === 0x2e) n++;
  return n;
}

const ABBREVIATIONS = new Set([
  "mr", "mrs", "ms", "dr", "inc", "ltd", "co", "corp", "no", "nos", "sec", "secs", "art", "para", "e.g", "i.e", "etc", "vs", "v",
  "u.s", "st", "jr", "sr", "p", "pp", "cf", "al", "seq", "approx", "dept", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
  "sep", "sept", "oct", "nov", "dec", "n.a", "s.a", "b.v", "n.v", "l.p", "l.l.c",
]);

/** Sentence-ish units: boundaries after . ! ? ; and at line breaks, skipping common legal abbreviations. */
export function sentenceSpans(text: string, start: number, end: number): Span[] {
  const spans: Span[] = [];
  const boundary = /([.!?;])["')\]”’]*(?=\s)|\n/g;
  boundary.lastIndex = start;
  let from = start;
  for (let m = boundary.exec(text); m && m.index < end; m = boundary.exec(text)) {
    const cut = m.index + m[0].length;
    if (m[1] === ".") {
      const before = /([A-Za-z][A-Za-z.]*)$/.exec(text.slice(Math.max(from, m.index - 12), m.index))?.[1]?.toLowerCase();
      if (before && (ABBREVIATIONS.has(before) || before.length === 1)) continue;
      if (/\d$/.test(text.slice(m.index - 1, m.index)) && /^\d/.test(text.slice(cut, cut + 1))) continue;
    }
    if (cut > end) break;
    if (cut > from) spans.push({ start: from, end: cut });
    from = cut;
  }
  if (from < end) spans.push({ start: from, end });
  return spans;
}

/** Cuts a too-long span at whitespace so no piece exceeds `max` (unless one word does). */
function splitLong(text: string, span: Span, max: number): Span[] {
  const out: Span[] = [];
  let s = span.start;
  while (span.end - s > max) {
    let cut = s + max;
    const window = text.slice(s, cut);
    const ws = Math.max(window.lastIndexOf(" "), window.lastIndexOf("\n"), window.lastIndexOf("\t"));
    if (ws > max / 3) cut = s + ws + 1;
    out.push({ start: s, end: cut });
    s = cut;
  }
  if (s < span.end) out.push({ start: s, end: span.end });
  return out;
}

function pageOf(pageStarts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = pageStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((pageStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** The path of two merged sections: the later one's when it is nested in the first, else what they share. */
function mergePaths(first: string[], second: string[]): string[] {
  if (first.every((label, i) => second[i] === label)) return second;
  const shared: string[] = [];
  for (let i = 0; i < first.length && first[i] === second[i]; i++) shared.push(first[i]!);
  return shared;
}

const SPACE = /\s/;

/** True for what `\s` matches and `String.prototype.trim` strips (the same set of code units). */
function isSpaceCode(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return SPACE.test(String.fromCharCode(code));
}

/** Where `text.slice(start, end).trimStart()` starts in `text`. */
function trimmedStart(text: string, start: number, end: number): number {
  while (start < end && isSpaceCode(text.charCodeAt(start))) start++;
  return start;
}

/** Where `text.slice(start, end).trimEnd()` ends in `text`. */
function trimmedEnd(text: string, start: number, end: number): number {
  while (end > start && isSpaceCode(text.charCodeAt(end - 1))) end--;
  return end;
}

/** Length of `text.slice(start, end).trim()`, without building either string. */
function trimmedLength(text: string, start: number, end: number): number {
  const trimmed = trimmedStart(text, start, end);
  return trimmedEnd(text, trimmed, end) - trimmed;
}

/**
 * Splits extracted legal text into retrievable chunks that keep their exact character offsets,
 * page and section path. Deterministic: the same text and options give the same chunks.
 */
export class LegalChunker {
  readonly strategy: ChunkingStrategy;
  readonly targetChars: number;
  readonly overlapChars: number;
  readonly minChars: number;
  /** Identifies the options; part of each document's version so a settings change re-chunks. */
  readonly fingerprint: string;

  constructor(options: ChunkerOptions = {}) {
    this.strategy = options.strategy ?? "legal";
    this.targetChars = options.targetChars ?? 600;
    this.overlapChars = options.overlapChars ?? Math.min(100, Math.floor(this.targetChars / 4));
    this.minChars = options.minChars ?? 160;
    if (!["legal", "sentence", "fixed"].includes(this.strategy)) throw new InvalidArgumentError("chunker strategy", this.strategy, "legal | sentence | fixed");
    if (!Number.isInteger(this.targetChars) || this.targetChars < 50) throw new InvalidArgumentError("targetChars", this.targetChars, "an integer >= 50");
    if (!Number.isInteger(this.overlapChars) || this.overlapChars < 0 || this.overlapChars >= this.targetChars / 2) {
      throw new InvalidArgumentError("overlapChars", this.overlapChars, "an integer from 0 to targetChars / 2");
    }
    if (!Number.isInteger(this.minChars) || this.minChars < 0) throw new InvalidArgumentError("minChars", this.minChars, "an integer >= 0");
    this.fingerprint = createHash("sha256")
      .update(`chunker-v2|${this.strategy}|${this.targetChars}|${this.overlapChars}|${this.minChars}`)
      .digest("hex")
      .slice(0, 12);
  }

  chunk(text: string, pageStarts: readonly number[] = [0]): TextChunk[] {
    const starts = pageStarts.length > 0 ? pageStarts : [0];
    const sections = this.sections(text, starts);
    const chunks: TextChunk[] = [];
    for (const section of sections) {
      for (const span of this.splitSection(text, section)) {
        const start = trimmedStart(text, span.start, span.end);
        const end = trimmedEnd(text, start, span.end);
        if (end <= start) continue;
        // A span whose trimmed text ends where the chunk before ends lies wholly inside it (the unit that
        // did not fit there was only whitespace): it would index a shorter copy of that chunk.
        const previous = chunks[chunks.length - 1];
        if (previous && end <= previous.end) continue;
        chunks.push({ ordinal: chunks.length, text: text.slice(start, end), start, end, page: pageOf(starts, start), sectionPath: section.path });
      }
    }
    return chunks;
  }

  /** Hard-bounded regions: pages, and (for `legal`) structural headings. */
  private sections(text: string, pageStarts: readonly number[]): Section[] {
    const raw: Section[] = [];
    const stack: { level: number; label: string }[] = [];
    let current: Section | null = null;
    const open = (start: number, page: number): void => {
      if (current) current.end = start;
      current = { start, end: text.length, page, path: stack.map((h) => h.label) };
      raw.push(current);
    };
    let page = 1;
    open(0, 1);
    // Lines end after each \n or \f (found by indexOf: no match object or line string per line).
    let nextNewline = text.indexOf("\n");
    let nextFormFeed = text.indexOf("\f");
    for (let lineStart = 0; lineStart < text.length; ) {
      if (nextNewline >= 0 && nextNewline < lineStart) nextNewline = text.indexOf("\n", lineStart);
      if (nextFormFeed >= 0 && nextFormFeed < lineStart) nextFormFeed = text.indexOf("\f", lineStart);
      const breakAt = nextNewline < 0 ? nextFormFeed : nextFormFeed < 0 ? nextNewline : Math.min(nextNewline, nextFormFeed);
      const lineEnd = breakAt < 0 ? text.length : breakAt + 1;
      const newPage = pageOf(pageStarts, lineStart);
      if (newPage !== page) {
        page = newPage;
        open(lineStart, page);
      }
      if (this.strategy === "legal") {
        const heading = headingIn(text, lineStart, lineEnd);
        const inRecitals = stack.length > 0 && stack[stack.length - 1]!.label === "Recitals";
        if (heading && !(heading.kind === "recitals" && inRecitals)) {
          while (stack.length > 0 && stack[stack.length - 1]!.level >= heading.level) stack.pop();
          stack.push({ level: heading.level, label: heading.label });
          if (heading.level < SUBCLAUSE_LEVEL) open(lineStart, page);
        }
      }
      lineStart = lineEnd;
    }
    // Merge small sections into the next one on the same page, so a bare heading travels with its body.
    const merged: Section[] = [];
    for (const section of raw) {
      const last = merged[merged.length - 1];
      if (
        last &&
        last.page === section.page &&
        trimmedLength(text, last.start, last.end) < this.minChars
      ) {
        last.end = section.end;
        last.path = mergePaths(last.path, section.path);
      } else if (section.end > section.start) {
        merged.push({ ...section });
      }
    }
    return merged;
  }

  private splitSection(text: string, section: Section): Span[] {
    if (section.end - section.start <= this.targetChars) return [{ start: section.start, end: section.end }];
    const units =
      this.strategy === "fixed"
        ? splitLong(text, section, Math.max(1, Math.floor(this.targetChars / 8)))
        : sentenceSpans(text, section.start, section.end).flatMap((u) => splitLong(text, u, this.targetChars));
    const out: Span[] = [];
    let i = 0;
    while (i < units.length) {
      let j = i;
      while (j + 1 < units.length && units[j + 1]!.end - units[i]!.start <= this.targetChars) j++;
      const span = { start: units[i]!.start, end: units[j]!.end };
      out.push(span);
      if (j + 1 >= units.length) break;
      // The next span repeats the last units of this one (the overlap), but only as many as still fit
      // with the unit that did not fit here: it must reach past this span. (chunker-v1 stepped back
      // over every unit in the overlap whatever came next, so short lines before a long sentence were
      // cut again and again, one line less each time: up to eleven near copies in a CUAD contract.)
      const following = units[j + 1]!;
      let next = j + 1;
      while (next - 1 > i && span.end - units[next - 1]!.start <= this.overlapChars && following.end - units[next - 1]!.start <= this.targetChars) next--;
      i = next;
    }
    return out;
  }
}
