// Frozen copy of src/pii/model/name-tokens.ts before tokenTable filled in only the tokens near candidates (test oracle).
// Tokens and features of the name model (shared by run time and the training script, so both see the same thing).
import { lexicon } from "../../../src/pii/recognizers/compromise-nlp";
import { isCommonWord, isEnglishWord, isGivenOrFamilyName, isNotAName } from "../../../src/pii/recognizers/lexicons";

/** A token of the input: offsets into the text. */
export interface NameToken {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Words (letters and digits, with inner apostrophes) and single punctuation marks. */
const TOKEN = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}]+)*|\S/gu;

export function tokenize(text: string): NameToken[] {
  const out: NameToken[] = [];
  for (const m of text.matchAll(TOKEN)) out.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
  return out;
}

/** Words that may sit inside a name between capitalised words ("Bank of America", "Johnson & Johnson", "Smith, Inc"). */
const CONNECTOR = new Set(["of", "and", "&", "de", "la", "le", "van", "von", "der", "du", "da", "del", "di", "dos", "das", "y", "the", "for", "on", "-", ",", ".", "'", "’", "/"]);
const HAS_UPPER = /\p{Lu}/u;

/**
 * The tokens the model labels: words holding a capital, a period right after one ("Inc.", "E."), and up to two
 * connectors or numbers between two of them on one line. Everything else is outside any name without asking.
 */
export function candidates(text: string, tokens: readonly NameToken[]): Uint8Array {
  const cand = new Uint8Array(tokens.length);
  let lastCap = -10;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as NameToken;
    if (!HAS_UPPER.test(t.text)) continue;
    cand[i] = 1;
    const gap = i - lastCap - 1;
    if (gap > 0 && gap <= 2 && !text.slice(tokens[lastCap]?.end ?? 0, t.start).includes("\n")) {
      let ok = true;
      for (let k = lastCap + 1; k < i; k++) {
        const g = tokens[k]?.text ?? "";
        if (!CONNECTOR.has(g.toLowerCase()) && !/^\p{N}+$/u.test(g)) ok = false;
      }
      if (ok) for (let k = lastCap + 1; k < i; k++) cand[k] = 1;
    }
    lastCap = i;
    const next = tokens[i + 1];
    if (next && next.text === "." && next.start === t.end) cand[i + 1] = 1;
  }
  return cand;
}

// ---- hashing: features are (template, value) pairs hashed into a fixed table, no strings kept ----

function fnv(seed: number, s: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const isUpperCh = (ch: string): boolean => ch !== ch.toLowerCase();
const isLowerCh = (ch: string): boolean => ch !== ch.toUpperCase();
const isDigitCh = (ch: string): boolean => (ch >= "0" && ch <= "9") || /\p{N}/u.test(ch);

/** "Xxxx" → "Xx", "ACME" → "X", "3M" → "dX", "O'Neil" → "X'Xx": character classes with runs collapsed. */
function shapeOf(w: string): string {
  let out = "";
  let last = "";
  for (const ch of w) {
    const c = isUpperCh(ch) ? "X" : isLowerCh(ch) ? "x" : isDigitCh(ch) ? "d" : ch;
    if (c !== last) out += c;
    last = c;
  }
  return out.length > 6 ? out.slice(0, 6) : out;
}

/** Per-word facts from general word lists (never lists drawn from evaluation records). */
const F_TITLE = 1;
const F_CAPS = 2;
const F_DIGIT = 4;
const F_ENGLISH = 8;
const F_COMMON = 16;
const F_HUMAN_NAME = 32;
const F_ROLE = 64;
const F_LEX_FIRST = 128;
const F_LEX_LAST = 256;
const F_LEX_PLACE = 512;
const F_LEX_ORG = 1024;
const F_LOWER_SEEN = 2048;
const F_LINE_START = 4096;
const F_SENT_START = 8192;
const F_LINE_SHORT = 16384;
const F_LINE_CAPS = 32768;
const F_LINE_NUMBERED = 65536;
const F_SINGLE = 131072;
const FLAG_BITS = 18;

/** What a token's text alone says: hashes and facts, cached by surface form (contracts repeat their words). */
interface WordInfo {
  readonly word: number;
  readonly shape: number;
  readonly affix: readonly [number, number, number, number, number];
  readonly flags: number;
  readonly lower: string;
  readonly hasUpper: boolean;
  readonly startsLower: boolean;
  readonly letters: boolean;
  readonly capsWord: boolean;
}
const infoCache = new Map<string, WordInfo>();

function wordFacts(lower: string): number {
  let f = 0;
  if (isEnglishWord(lower)) f |= F_ENGLISH;
  if (isCommonWord(lower)) f |= F_COMMON;
  if (isGivenOrFamilyName((lower[0] ?? "").toUpperCase() + lower.slice(1))) f |= F_HUMAN_NAME;
  if (isNotAName(lower)) f |= F_ROLE;
  for (const t of [lexicon()[lower] ?? []].flat()) {
    if (t === "FirstName" || t === "MaleName" || t === "FemaleName") f |= F_LEX_FIRST;
    else if (t === "LastName" || t === "Person") f |= F_LEX_LAST;
    else if (t === "Country" || t === "City" || t === "Region" || t === "Place") f |= F_LEX_PLACE;
    else if (t === "Organization" || t === "Company") f |= F_LEX_ORG;
  }
  return f;
}

function infoOf(w: string): WordInfo {
  const hit = infoCache.get(w);
  if (hit) return hit;
  const lower = w.toLowerCase();
  const first = w[0] ?? "";
  const second = w[1] ?? "";
  const letters = /\p{L}/u.test(w);
  const hasUpper = w !== lower;
  const capsWord = w.length > 1 && hasUpper && w === w.toUpperCase() && letters;
  let flags = letters ? wordFacts(lower) : 0;
  if (isUpperCh(first) && isLowerCh(second)) flags |= F_TITLE;
  if (capsWord && !/\p{N}/u.test(w)) flags |= F_CAPS;
  if (/\p{N}/u.test(w)) flags |= F_DIGIT;
  if (w.length === 1 && letters) flags |= F_SINGLE;
  const info: WordInfo = {
    word: fnv(2, lower),
    shape: fnv(3, shapeOf(w)),
    affix: [fnv(4, lower.slice(0, 2)), fnv(5, lower.slice(0, 3)), fnv(6, lower.slice(-2)), fnv(7, lower.slice(-3)), fnv(8, lower.slice(-4))],
    flags,
    lower,
    hasUpper,
    startsLower: isLowerCh(first),
    letters,
    capsWord,
  };
  if (infoCache.size > 100_000) infoCache.clear();
  infoCache.set(w, info);
  return info;
}

/** What the features of one text need, computed once per token. */
export interface TokenTable {
  readonly tokens: readonly NameToken[];
  readonly candidate: Uint8Array;
  readonly word: Uint32Array;
  readonly shape: Uint32Array;
  readonly affix: Uint32Array; // 5 per token: prefix 2, 3, suffix 2, 3, 4
  readonly flags: Uint32Array;
}

const BOUNDARY = fnv(1, "<s>");
const LINE_NUMBER = /^(?:\p{N}+|[IVXL]+|ARTICLE|Article|SECTION|Section)$/u;

export function tokenTable(text: string, tokens: readonly NameToken[] = tokenize(text)): TokenTable {
  const n = tokens.length;
  const candidate = candidates(text, tokens);
  const word = new Uint32Array(n);
  const shape = new Uint32Array(n);
  const affix = new Uint32Array(n * 5);
  const flags = new Uint32Array(n);
  const infos: WordInfo[] = tokens.map((t) => infoOf(t.text));
  const lowerSeen = new Set<string>();
  for (const info of infos) if (info.startsLower) lowerSeen.add(info.lower);
  // line facts: short lines, lines in capitals, numbered lines (headings and signature blocks look alike here)
  let lineFrom = 0;
  let newline = text.indexOf("\n");
  while (lineFrom < n) {
    while (newline >= 0 && newline < (tokens[lineFrom]?.start ?? 0)) newline = text.indexOf("\n", newline + 1);
    let lineTo = lineFrom + 1;
    while (lineTo < n && (newline < 0 || (tokens[lineTo]?.start ?? 0) < newline)) lineTo++;
    let words = 0;
    let caps = 0;
    let lowers = 0;
    for (let k = lineFrom; k < lineTo; k++) {
      const info = infos[k] as WordInfo;
      if (!info.letters) continue;
      words++;
      if (info.capsWord) caps++;
      if (info.startsLower) lowers++;
    }
    const lf =
      (words <= 6 ? F_LINE_SHORT : 0) |
      (caps >= 2 && caps >= words - lowers - 1 && lowers === 0 ? F_LINE_CAPS : 0) |
      (LINE_NUMBER.test(tokens[lineFrom]?.text ?? "") ? F_LINE_NUMBERED : 0);
    for (let k = lineFrom; k < lineTo; k++) flags[k] = lf | (k === lineFrom ? F_LINE_START : 0);
    lineFrom = lineTo;
  }
  for (let i = 0; i < n; i++) {
    const info = infos[i] as WordInfo;
    word[i] = info.word;
    shape[i] = info.shape;
    for (let a = 0; a < 5; a++) affix[i * 5 + a] = info.affix[a] ?? 0;
    let f = (flags[i] ?? 0) | info.flags;
    if (info.hasUpper && lowerSeen.has(info.lower)) f |= F_LOWER_SEEN;
    const prev = tokens[i - 1]?.text;
    if (prev === undefined || prev === "." || prev === "?" || prev === "!" || prev === ":" || prev === ";") f |= F_SENT_START;
    flags[i] = f;
  }
  return { tokens, candidate, word, shape, affix, flags };
}

export const LABELS = ["O", "PERSON", "ORGANIZATION", "LOCATION"] as const;
export const LABEL_COUNT = LABELS.length;

/**
 * The hashed feature ids of token i (into `out`, returns how many), given the label of the token before it.
 * Template numbers are part of the weights file format: changing them needs a retrain.
 */
export function featuresOf(t: TokenTable, i: number, prevLabel: number, mask: number, out: Uint32Array): number {
  let k = 0;
  const n = t.tokens.length;
  const w = (j: number): number => (j < 0 || j >= n ? BOUNDARY : (t.word[j] ?? 0));
  const s = (j: number): number => (j < 0 || j >= n ? BOUNDARY : (t.shape[j] ?? 0));
  const fl = (j: number): number => (j < 0 || j >= n ? 0 : (t.flags[j] ?? 0));
  const add = (template: number, value: number): void => {
    out[k++] = mix(template, value) & mask;
  };
  add(0, 0);
  add(1, w(i));
  add(2, s(i));
  for (let a = 0; a < 5; a++) add(3 + a, t.affix[i * 5 + a] ?? 0);
  add(8, w(i - 1));
  add(9, w(i + 1));
  add(10, w(i - 2));
  add(11, w(i + 2));
  add(12, s(i - 1));
  add(13, s(i + 1));
  add(14, mix(s(i - 1), mix(s(i), s(i + 1))));
  add(15, mix(w(i - 1), w(i)));
  add(16, prevLabel);
  add(17, mix(prevLabel, s(i)));
  add(18, mix(prevLabel, w(i)));
  const f0 = fl(i);
  const fp = fl(i - 1);
  const fn = fl(i + 1);
  for (let b = 0; b < FLAG_BITS; b++) {
    const bit = 1 << b;
    if (f0 & bit) add(20, b);
    if (fp & bit) add(21, b);
    if (fn & bit) add(22, b);
  }
  // the word lists together: a capitalised everyday word, a given name that is also a word, …
  add(23, f0 & (F_TITLE | F_CAPS | F_ENGLISH | F_COMMON | F_HUMAN_NAME | F_LEX_FIRST | F_LEX_LAST | F_LEX_PLACE));
  add(24, mix(f0 & (F_ENGLISH | F_HUMAN_NAME | F_LEX_PLACE | F_LOWER_SEEN), prevLabel));
  add(25, mix(fn & (F_TITLE | F_CAPS | F_HUMAN_NAME | F_LEX_FIRST | F_LEX_LAST | F_ENGLISH), f0 & (F_TITLE | F_CAPS | F_HUMAN_NAME | F_LEX_FIRST | F_ENGLISH)));
  add(26, Math.min(12, (t.tokens[i]?.text.length ?? 0)));
  return k;
}

/** Most features any token has (the buffer size callers allocate). */
export const MAX_FEATURES = 32 + 3 * FLAG_BITS;
