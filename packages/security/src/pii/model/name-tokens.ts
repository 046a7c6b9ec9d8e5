// Tokens and features of the name model (shared by run time and the training script, so both see the same thing).
import { lexicon } from "../recognizers/compromise-nlp";
import { isCommonWord, isEnglishWord, isGivenOrFamilyName, isNotAName } from "../recognizers/lexicons";
import { charClasses, hasSurrogates, LETTER, LOWERS, MARK, NUMBER, SPACE, UPPER, UPPERS } from "../char-classes";
import { asciiLowerHash, fnvRange } from "../text-hash";
import { forgetWhenScanningIdles, type ScanMemo } from "../scan-memory";

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
  /** The last tokenTable call (its number) that met this word, and the last in which its lower case form was seen. */
  metIn: number;
  lowerSeenIn: number;
}
/** tokenTable's calls, numbered: a WordInfo's marks say what one call found out about it, once per call and not per mention. */
let tableCalls = 0;

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

function wordInfo(w: string): WordInfo {
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
  return {
    word: fnv(2, lower),
    shape: fnv(3, shapeOf(w)),
    affix: [fnv(4, lower.slice(0, 2)), fnv(5, lower.slice(0, 3)), fnv(6, lower.slice(-2)), fnv(7, lower.slice(-3)), fnv(8, lower.slice(-4))],
    flags,
    lower,
    hasUpper,
    metIn: 0,
    lowerSeenIn: 0,
  };
}

/**
 * The WordInfo of each surface form seen, looked up by the characters of the text without cutting a string out of it
 * (open addressing on an FNV hash of the characters; a hit compares the stored word with the text in place).
 */
class WordInfoCache implements ScanMemo {
  private keys: (string | undefined)[] = new Array<string | undefined>(1 << 12);
  private values: (WordInfo | undefined)[] = new Array<WordInfo | undefined>(1 << 12);
  private size = 0;

  get(text: string, start: number, end: number): WordInfo {
    const h = fnvRange(text, start, end);
    const mask = this.keys.length - 1;
    const length = end - start;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const key = this.keys[at];
      if (key === undefined) break;
      if (key.length === length && text.startsWith(key, start)) return this.values[at] as WordInfo;
    }
    const w = text.slice(start, end);
    const info = wordInfo(w);
    if (this.size > 100_000) this.clear(1 << 12);
    else if (2 * (this.size + 1) > this.keys.length) this.grow();
    this.insert(h, w, info);
    return info;
  }

  held(): number {
    return this.size;
  }

  forgetScannedText(): void {
    this.clear(1 << 12);
  }

  private insert(h: number, key: string, info: WordInfo): void {
    const mask = this.keys.length - 1;
    let at = h & mask;
    while (this.keys[at] !== undefined) at = (at + 1) & mask;
    this.keys[at] = key;
    this.values[at] = info;
    this.size++;
  }

  private clear(capacity: number): void {
    this.keys = new Array<string | undefined>(capacity);
    this.values = new Array<WordInfo | undefined>(capacity);
    this.size = 0;
  }

  private grow(): void {
    const [keys, values] = [this.keys, this.values];
    this.clear(keys.length * 2);
    keys.forEach((key, i) => {
      if (key === undefined) return;
      this.insert(fnvRange(key, 0, key.length), key, values[i] as WordInfo);
    });
  }
}
const infoCache = new WordInfoCache();
forgetWhenScanningIdles(infoCache);

/**
 * What the features of one text need, computed once per token; word, shape, affix and flags are filled in only for
 * the candidate tokens and the two tokens on either side of one (all that featuresOf reads). Tokens are offsets
 * (`starts`, `ends`): no object or string per token.
 */
export interface TokenTable {
  readonly text: string;
  readonly count: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly candidate: Uint8Array;
  readonly word: Uint32Array;
  readonly shape: Uint32Array;
  readonly affix: Uint32Array; // 5 per token: prefix 2, 3, suffix 2, 3, 4
  readonly flags: Uint32Array;
}

/** The text of token i. */
export const tokenText = (t: TokenTable, i: number): string => t.text.slice(t.starts[i] ?? 0, (t.ends[i] ?? 0));

// what the casing of a token's characters says (T_*), read from the character table (or the string, see tokenFacts)
const T_LETTERS = 1; // holds a letter
const T_STARTS_LOWER = 2; // its first code unit has an upper-case form (isLowerCh)
const T_HAS_UPPER = 4; // toLowerCase() changes it
const T_UPPER_ONLY = 8; // toUpperCase() leaves it as it is
const T_CAPITAL = 16; // holds an upper-case letter (\p{Lu})

/** The tokens of TOKEN as offsets, and each one's T_* facts. */
interface Tokens {
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  facts: Uint8Array;
}

function grown(t: Tokens): void {
  const size = t.starts.length * 2;
  const [starts, ends, facts] = [new Int32Array(size), new Int32Array(size), new Uint8Array(size)];
  starts.set(t.starts);
  ends.set(t.ends);
  facts.set(t.facts);
  Object.assign(t, { starts, ends, facts });
}

/** T_* facts of a token from its string (text holding characters outside the BMP). */
function stringFacts(w: string): number {
  const lower = w.toLowerCase();
  return (
    (/\p{L}/u.test(w) ? T_LETTERS : 0) |
    (isLowerCh(w[0] ?? "") ? T_STARTS_LOWER : 0) |
    (w !== lower ? T_HAS_UPPER : 0) |
    (w === w.toUpperCase() ? T_UPPER_ONLY : 0) |
    (/\p{Lu}/u.test(w) ? T_CAPITAL : 0)
  );
}

/**
 * TOKEN's matches, read with the character table: a run of letters, marks and digits, then any number of an
 * apostrophe and a run of letters; or one other non-space character. Text holding surrogates (characters outside
 * the BMP, which the table does not class) goes through the expression.
 */
function scanTokens(text: string): Tokens {
  const t: Tokens = { count: 0, starts: new Int32Array(256), ends: new Int32Array(256), facts: new Uint8Array(256) };
  const push = (start: number, end: number, facts: number): void => {
    if (t.count === t.starts.length) grown(t);
    t.starts[t.count] = start;
    t.ends[t.count] = end;
    t.facts[t.count++] = facts;
  };
  if (hasSurrogates(text)) {
    for (const m of text.matchAll(TOKEN)) push(m.index, m.index + m[0].length, stringFacts(m[0]));
    return t;
  }
  const cls = charClasses();
  const n = text.length;
  const WORD = LETTER | MARK | NUMBER;
  let i = 0;
  while (i < n) {
    const k = cls[text.charCodeAt(i)] ?? 0;
    if (k & SPACE) {
      i++;
      continue;
    }
    let j = i + 1;
    let any = k;
    if (k & WORD) {
      for (; j < n; j++) {
        const c = cls[text.charCodeAt(j)] ?? 0;
        if (!(c & WORD)) break;
        any |= c;
      }
      for (;;) {
        const q = text.charCodeAt(j);
        if (j + 1 >= n || (q !== 39 && q !== 0x2019) || !((cls[text.charCodeAt(j + 1)] ?? 0) & LETTER)) break;
        // the apostrophe itself has no case and is no letter
        for (j++; j < n; j++) {
          const c = cls[text.charCodeAt(j)] ?? 0;
          if (!(c & LETTER)) break;
          any |= c;
        }
      }
    }
    push(
      i,
      j,
      (any & LETTER ? T_LETTERS : 0) | (k & UPPERS ? T_STARTS_LOWER : 0) | (any & LOWERS ? T_HAS_UPPER : 0) | (any & UPPERS ? 0 : T_UPPER_ONLY) | (any & UPPER ? T_CAPITAL : 0),
    );
    i = j;
  }
  return t;
}

const BOUNDARY = fnv(1, "<s>");

/** Whether text[from, to) holds a line break; only the short gap between two nearby tokens is read (an unbounded indexOf read to the text's end at every gap of a text without line breaks). */
function hasLineBreak(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (text.charCodeAt(k) === 10) return true;
  return false;
}
const LINE_NUMBER = /^(?:\p{N}+|[IVXL]+|ARTICLE|Article|SECTION|Section)$/u;

/**
 * The tokens the model labels: words holding a capital, a period right after one ("Inc.", "E."), and up to two
 * connectors or numbers between two of them on one line. Everything else is outside any name without asking.
 */
function candidatesOf(text: string, t: Tokens): Uint8Array {
  const n = t.count;
  const { starts, ends, facts } = t;
  const cand = new Uint8Array(n);
  let lastCap = -10;
  for (let i = 0; i < n; i++) {
    if (!((facts[i] ?? 0) & T_CAPITAL)) continue;
    cand[i] = 1;
    const gap = i - lastCap - 1;
    if (gap > 0 && gap <= 2) {
      if (!hasLineBreak(text, ends[lastCap] ?? 0, starts[i] ?? 0)) {
        let ok = true;
        for (let k = lastCap + 1; k < i; k++) {
          const g = text.slice(starts[k] ?? 0, ends[k] ?? 0);
          if (!CONNECTOR.has(g.toLowerCase()) && !/^\p{N}+$/u.test(g)) ok = false;
        }
        if (ok) for (let k = lastCap + 1; k < i; k++) cand[k] = 1;
      }
    }
    lastCap = i;
    if (i + 1 < n && ends[i + 1] === (starts[i + 1] ?? 0) + 1 && text.charCodeAt(starts[i + 1] ?? 0) === 46 && starts[i + 1] === ends[i]) cand[i + 1] = 1;
  }
  return cand;
}

/** A word's lower-case hash (asciiLowerHash) kept in small-integer range, so a Set of them holds no boxed numbers; -1 past ASCII. */
function lowerWordKey(text: string, from: number, to: number): number {
  const h = asciiLowerHash(text, from, to);
  return h < 0 ? h : h & 0x3fffffff;
}

/**
 * Which of `wanted` (lower-case forms of capitalised words) the text also holds as a token starting in lower case
 * ("Relief" … "relief"). A token is cut out and lower-cased only when its hash is a wanted one's.
 */
function writtenInLowerCase(text: string, t: Tokens, wanted: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  if (wanted.size === 0) return found;
  // each hash, and how many wanted words have it: once the only word of a hash is found, the hash is let go (a
  // contract writes "agreement" hundreds of times; a later token with that hash is that word again or no wanted one)
  const hashes = new Map<number, number>();
  for (const w of wanted) {
    const h = lowerWordKey(w, 0, w.length);
    if (h >= 0) hashes.set(h, (hashes.get(h) ?? 0) + 1);
  }
  for (let i = 0; i < t.count; i++) {
    if (!((t.facts[i] ?? 0) & T_STARTS_LOWER)) continue;
    const [from, to] = [t.starts[i] ?? 0, t.ends[i] ?? 0];
    const h = lowerWordKey(text, from, to);
    if (h >= 0 && !hashes.has(h)) continue;
    const lower = text.slice(from, to).toLowerCase();
    if (!wanted.has(lower) || found.has(lower)) continue;
    found.add(lower);
    // a word past ASCII has no hash: it is read at each mention (rare in contracts)
    const own = lowerWordKey(lower, 0, lower.length);
    if (own < 0) continue;
    const left = (hashes.get(own) ?? 0) - 1;
    if (left > 0) hashes.set(own, left);
    else hashes.delete(own);
  }
  return found;
}

export function tokenTable(text: string): TokenTable {
  const toks = scanTokens(text);
  const n = toks.count;
  const starts = toks.starts.subarray(0, n);
  const ends = toks.ends.subarray(0, n);
  const facts = toks.facts;
  const candidate = candidatesOf(text, toks);
  const word = new Uint32Array(n);
  const shape = new Uint32Array(n);
  const affix = new Uint32Array(n * 5);
  const flags = new Uint32Array(n);
  // line facts: short lines, lines in capitals, numbered lines (headings and signature blocks look alike here)
  let lineFrom = 0;
  let newline = text.indexOf("\n");
  while (lineFrom < n) {
    while (newline >= 0 && newline < (starts[lineFrom] ?? 0)) newline = text.indexOf("\n", newline + 1);
    let lineTo = lineFrom + 1;
    while (lineTo < n && (newline < 0 || (starts[lineTo] ?? 0) < newline)) lineTo++;
    let words = 0;
    let caps = 0;
    let lowers = 0;
    for (let k = lineFrom; k < lineTo; k++) {
      const f = facts[k] ?? 0;
      if (!(f & T_LETTERS)) continue;
      words++;
      if ((ends[k] ?? 0) - (starts[k] ?? 0) > 1 && f & T_HAS_UPPER && f & T_UPPER_ONLY) caps++; // a word in capitals
      if (f & T_STARTS_LOWER) lowers++;
    }
    const lf =
      (words <= 6 ? F_LINE_SHORT : 0) |
      (caps >= 2 && caps >= words - lowers - 1 && lowers === 0 ? F_LINE_CAPS : 0) |
      (LINE_NUMBER.test(text.slice(starts[lineFrom] ?? 0, ends[lineFrom] ?? 0)) ? F_LINE_NUMBERED : 0);
    for (let k = lineFrom; k < lineTo; k++) flags[k] = lf | (k === lineFrom ? F_LINE_START : 0);
    lineFrom = lineTo;
  }
  // featuresOf reads the words of tokens i±2, the shapes and flags of i±1 and the affixes of i, for candidate tokens i
  // only: the other tokens' entries stay 0 (most tokens of a contract are lower-case words far from any capital)
  const infos: (WordInfo | undefined)[] = new Array<WordInfo | undefined>(n);
  const wanted = new Set<string>();
  const met: WordInfo[] = []; // the distinct words with a capital met (each once)
  const call = ++tableCalls;
  let nextCandidate = candidate.indexOf(1);
  let lastCandidate = -3;
  for (let i = 0; i < n; i++) {
    if (candidate[i]) lastCandidate = i;
    else if (nextCandidate >= 0 && nextCandidate < i) nextCandidate = candidate.indexOf(1, i);
    if (i - lastCandidate > 2 && (nextCandidate < 0 || nextCandidate - i > 2)) continue;
    const info = infoCache.get(text, starts[i] ?? 0, ends[i] ?? 0);
    infos[i] = info;
    if (info.hasUpper && info.metIn !== call) {
      info.metIn = call;
      met.push(info);
      wanted.add(info.lower);
    }
  }
  const lowerSeen = writtenInLowerCase(text, toks, wanted);
  for (const info of met) if (lowerSeen.has(info.lower)) info.lowerSeenIn = call;
  for (let i = 0; i < n; i++) {
    const info = infos[i];
    if (!info) continue;
    word[i] = info.word;
    shape[i] = info.shape;
    for (let a = 0; a < 5; a++) affix[i * 5 + a] = info.affix[a] ?? 0;
    let f = (flags[i] ?? 0) | info.flags;
    if (info.lowerSeenIn === call) f |= F_LOWER_SEEN;
    if (i === 0) f |= F_SENT_START;
    else if (ends[i - 1] === (starts[i - 1] ?? 0) + 1) {
      const p = text.charCodeAt(starts[i - 1] ?? 0);
      if (p === 46 || p === 63 || p === 33 || p === 58 || p === 59) f |= F_SENT_START; // . ? ! : ;
    }
    flags[i] = f;
  }
  return { text, count: n, starts, ends, candidate, word, shape, affix, flags };
}

export const LABELS = ["O", "PERSON", "ORGANIZATION", "LOCATION"] as const;
export const LABEL_COUNT = LABELS.length;

/**
 * The hashed feature ids of token i (into `out`, returns how many), given the label of the token before it.
 * Template numbers are part of the weights file format: changing them needs a retrain.
 */
export function featuresOf(t: TokenTable, i: number, prevLabel: number, mask: number, out: Uint32Array): number {
  // the neighbours' words, shapes and flags read once (a token before the first or after the last is a boundary)
  const n = t.count;
  const { word, shape, flags } = t;
  const w0 = word[i] ?? 0;
  const wp = i >= 1 ? (word[i - 1] ?? 0) : BOUNDARY;
  const wn = i + 1 < n ? (word[i + 1] ?? 0) : BOUNDARY;
  const wp2 = i >= 2 ? (word[i - 2] ?? 0) : BOUNDARY;
  const wn2 = i + 2 < n ? (word[i + 2] ?? 0) : BOUNDARY;
  const s0 = shape[i] ?? 0;
  const sp = i >= 1 ? (shape[i - 1] ?? 0) : BOUNDARY;
  const sn = i + 1 < n ? (shape[i + 1] ?? 0) : BOUNDARY;
  const f0 = flags[i] ?? 0;
  const fp = i >= 1 ? (flags[i - 1] ?? 0) : 0;
  const fn = i + 1 < n ? (flags[i + 1] ?? 0) : 0;
  let k = 0;
  out[k++] = mix(0, 0) & mask;
  out[k++] = mix(1, w0) & mask;
  out[k++] = mix(2, s0) & mask;
  for (let a = 0; a < 5; a++) out[k++] = mix(3 + a, t.affix[i * 5 + a] ?? 0) & mask;
  out[k++] = mix(8, wp) & mask;
  out[k++] = mix(9, wn) & mask;
  out[k++] = mix(10, wp2) & mask;
  out[k++] = mix(11, wn2) & mask;
  out[k++] = mix(12, sp) & mask;
  out[k++] = mix(13, sn) & mask;
  out[k++] = mix(14, mix(sp, mix(s0, sn))) & mask;
  out[k++] = mix(15, mix(wp, w0)) & mask;
  out[k++] = mix(16, prevLabel) & mask;
  out[k++] = mix(17, mix(prevLabel, s0)) & mask;
  out[k++] = mix(18, mix(prevLabel, w0)) & mask;
  for (let b = 0; b < FLAG_BITS; b++) {
    const bit = 1 << b;
    if (f0 & bit) out[k++] = mix(20, b) & mask;
    if (fp & bit) out[k++] = mix(21, b) & mask;
    if (fn & bit) out[k++] = mix(22, b) & mask;
  }
  // the word lists together: a capitalised everyday word, a given name that is also a word, …
  out[k++] = mix(23, f0 & (F_TITLE | F_CAPS | F_ENGLISH | F_COMMON | F_HUMAN_NAME | F_LEX_FIRST | F_LEX_LAST | F_LEX_PLACE)) & mask;
  out[k++] = mix(24, mix(f0 & (F_ENGLISH | F_HUMAN_NAME | F_LEX_PLACE | F_LOWER_SEEN), prevLabel)) & mask;
  out[k++] = mix(25, mix(fn & (F_TITLE | F_CAPS | F_HUMAN_NAME | F_LEX_FIRST | F_LEX_LAST | F_ENGLISH), f0 & (F_TITLE | F_CAPS | F_HUMAN_NAME | F_LEX_FIRST | F_ENGLISH))) & mask;
  out[k++] = mix(26, Math.min(12, (t.ends[i] ?? 0) - (t.starts[i] ?? 0))) & mask;
  return k;
}

/** Most features any token has (the buffer size callers allocate). */
export const MAX_FEATURES = 32 + 3 * FLAG_BITS;
