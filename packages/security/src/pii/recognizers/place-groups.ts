// Countries, cities and regions compromise's lexicon knows, found in a text's groups of up to three words. Only the
// groups near a word that may start a place are read: the text's ASCII letter runs (one pass shared with the other
// recognizers) name those words, so most of a contract is never looked at here.
import { lexicon } from "./compromise-nlp";
import { charClasses, LETTER, NUMBER } from "../char-classes";
import { asciiLowerHash, FNV_OFFSET, FNV_PRIME, HashFilter } from "../text-hash";
import { lowerBound } from "../lower-bound";
import { AsciiWordSet, textRuns, type Runs } from "../text-runs";

const PLACE_TAGS = new Set(["Country", "City", "Region", "Place"]);
/** Named places only: in lower case, "Place" words are common nouns ("downtown"). */
const NAMED_PLACE_TAGS = new Set(["Country", "City", "Region"]);
let placeWords: ReadonlyMap<string, readonly string[]> | undefined;
/** The lexicon's entries with a place tag: almost every phrase looked up is none, and this map is small. */
function placeEntries(): ReadonlyMap<string, readonly string[]> {
  if (!placeWords) {
    const map = new Map<string, readonly string[]>();
    for (const [word, tags] of Object.entries(lexicon())) {
      const list = [tags].flat();
      if (list.some((t) => PLACE_TAGS.has(t))) map.set(word, list);
    }
    placeWords = map;
  }
  return placeWords;
}
let placeFirstWords: ReadonlySet<string> | undefined;
/** The first words (lower case) of the lexicon's places: a phrase starting with another word is no known place. */
function placeStarts(): ReadonlySet<string> {
  placeFirstWords ??= new Set([...placeEntries().keys()].map((k) => k.split(" ")[0] ?? k));
  return placeFirstWords;
}
let placeStartFilter: HashFilter | undefined;
let placePhraseFilter: HashFilter | undefined;
/**
 * False when the word in [at, end) of `text` surely starts no place name, without making a string: its hash (lower
 * case, with or without a final period) is none of the place words' hashes. A word outside ASCII may lower-case
 * into a place's letters (the Kelvin sign into "k"), so it answers true, as does a hash collision: the exact test
 * (`startsPlace`) then decides.
 */
function mayStartPlace(text: string, at: number, end: number): boolean {
  placeStartFilter ??= new HashFilter(placeStarts(), asciiLowerHash);
  const h = asciiLowerHash(text, at, end);
  if (h < 0) return true;
  if (placeStartFilter.has(h)) return true;
  return text.charCodeAt(end - 1) === 46 && placeStartFilter.has(asciiLowerHash(text, at, end - 1));
}
/** True when a phrase starting with `word` may be a known place ("New" of "New York", "St." of "St. Louis"). */
function startsPlace(word: string): boolean {
  const head = word.toLowerCase();
  return placeStarts().has(head) || (head.endsWith(".") && placeStarts().has(head.slice(0, -1)));
}
/** True when compromise's lexicon knows `phrase` as a country, city or region (or, capitalised, another place). */
export function isKnownPlace(phrase: string): boolean {
  const tags = placeEntries().get(phrase.toLowerCase());
  if (tags === undefined) return false;
  const set = /^\p{Lu}/u.test(phrase) ? PLACE_TAGS : NAMED_PLACE_TAGS;
  return tags.some((t) => set.has(t));
}
/** Up to three words: "Spain", "United Kingdom", "new zealand", "SOUTH AFRICA". */
const PLACE_CANDIDATE = /(?<![\p{L}\p{N}])\p{L}[\p{L}'’.-]*(?:[ ]\p{L}[\p{L}'’.-]*){0,2}(?![\p{L}])/gu;

/**
 * False when no phrase of the group's words (`words`: start and end offsets of `count` words joined by single
 * spaces) is surely a known place, without making a string: each run of consecutive words from one that may start a
 * place, lower case, with or without a final period, hashes to none of the place phrases' hashes. Words outside
 * ASCII answer true, as does a hash collision: the exact test (`isKnownPlace`) then decides. (Many groups hold a word
 * that starts some place, "the" of "the hague" above all, but no place.)
 */
function groupMayHoldPlace(text: string, words: ArrayLike<number>, count: number): boolean {
  placePhraseFilter ??= new HashFilter(placeEntries().keys(), asciiLowerHash);
  for (let a = 0; a < count; a++) {
    if (mayStartPlace(text, words[2 * a] as number, words[2 * a + 1] as number) && phraseMayBePlace(text, words, a, count, placePhraseFilter)) return true;
  }
  return false;
}

/**
 * Whether a phrase of the words from the a-th on (`words`: offsets, single spaces between) hashes, lower case and with
 * or without a final period, to a place phrase's hash, or holds a character past ASCII.
 */
function phraseMayBePlace(text: string, words: ArrayLike<number>, a: number, count: number, phrases: HashFilter): boolean {
  let h = FNV_OFFSET;
  let beforeLast = h;
  let at = words[2 * a] as number;
  for (let b = a; b < count; b++) {
    const end = words[2 * b + 1] as number;
    for (; at < end; at++) {
      let c = text.charCodeAt(at);
      if (c >= 128) return true;
      if (c >= 65 && c <= 90) c += 32;
      beforeLast = h;
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    if (phrases.has(h) || (text.charCodeAt(end - 1) === 46 && phrases.has(beforeLast))) return true;
    if (b + 1 < count) {
      h = Math.imul(h ^ 32, FNV_PRIME); // the single space before the next word
      at = words[2 * b + 2] as number;
    }
  }
  return false;
}

/**
 * Every match [start, end) of PLACE_CANDIDATE that may hold a known place, by the expression: the groups are the
 * text's runs of words joined by single spaces, cut into threes from the start of each run.
 */
function* placeGroupsByPattern(text: string): Generator<[number, number]> {
  const words: number[] = [0, 0, 0, 0, 0, 0];
  for (const m of text.matchAll(PLACE_CANDIDATE)) {
    let count = 0;
    for (let from = m.index, end = m.index + m[0].length; from <= end && count < 3; count++) {
      const space = text.indexOf(" ", from);
      const to = space < 0 || space > end ? end : space;
      words[2 * count] = from;
      words[2 * count + 1] = to;
      from = to + 1;
    }
    if (groupMayHoldPlace(text, words, count)) yield [m.index, m.index + m[0].length];
  }
}

let startWords: AsciiWordSet | null | undefined;
/** The place words as letter runs, or null if one is not ASCII letters alone (the lexicon's are: checked once). */
function placeStartWords(): AsciiWordSet | null {
  if (startWords === undefined) {
    const list = [...placeStarts()];
    startWords = list.every((w) => /^[a-z]+$/.test(w)) ? new AsciiWordSet(list) : null;
  }
  return startWords;
}

/** Characters a word of PLACE_CANDIDATE holds after its first letter: letters, apostrophes, periods and hyphens. */
const isWordChar = (cls: Uint8Array, c: number): boolean => ((cls[c] as number) & LETTER) !== 0 || c === 39 || c === 0x2019 || c === 46 || c === 45;

/**
 * The words of PLACE_CANDIDATE around offsets of a text (BMP only), read from the characters near them. In a
 * stretch of word characters the word starts at the first letter after no letter or number and runs to the
 * stretch's end; words one space apart form a chain, and the groups are the chain's words in threes from its first.
 */
class WordChains {
  private readonly cls = charClasses();
  /** The text's letter runs (textRuns). */
  private readonly runs: Runs;

  constructor(private readonly text: string) {
    this.runs = textRuns(text).words;
  }

  /** The word holding offset `p`, as [start, end), or undefined when `p` lies in no word. */
  wordAt(p: number): [number, number] | undefined {
    const { text, cls } = this;
    let a = p;
    while (a > 0 && isWordChar(cls, text.charCodeAt(a - 1))) a--;
    let b = p;
    while (b < text.length && isWordChar(cls, text.charCodeAt(b))) b++;
    const start = this.wordStart(a, b);
    return start >= 0 && start <= p && p < b ? [start, b] : undefined;
  }

  /** Where the word of the stretch [a, b) of word characters starts (a letter after no letter or number), or -1. */
  private wordStart(a: number, b: number): number {
    const { text, cls } = this;
    for (let q = a; q < b; q++) {
      if (!((cls[text.charCodeAt(q)] as number) & LETTER)) continue;
      if (q === 0 || !((cls[text.charCodeAt(q - 1)] as number) & (LETTER | NUMBER))) return q;
    }
    return -1;
  }

  /** The word after the word ending at `end` in its chain (one space, then a letter), as [start, end), or undefined. */
  next(end: number): [number, number] | undefined {
    const { text, cls } = this;
    if (end + 1 >= text.length || text.charCodeAt(end) !== 32 || !((cls[text.charCodeAt(end + 1)] as number) & LETTER)) return undefined;
    let b = end + 1;
    while (b < text.length && isWordChar(cls, text.charCodeAt(b))) b++;
    return [end + 1, b];
  }

  /** The start of the word before the word starting at `start` in its chain (it ends at `start - 1`), or -1. */
  private previousStart(start: number): number {
    const { text, cls } = this;
    if (start < 2 || text.charCodeAt(start - 1) !== 32 || !isWordChar(cls, text.charCodeAt(start - 2))) return -1;
    let a = start - 2;
    while (a > 0 && isWordChar(cls, text.charCodeAt(a - 1))) a--;
    // most often the stretch's first character, a letter after no number, starts the word
    if ((cls[text.charCodeAt(a)] as number) & LETTER && (a === 0 || !((cls[text.charCodeAt(a - 1)] as number) & NUMBER))) return a;
    return this.wordStart(a, start - 1);
  }

  /**
   * The word's place in its chain (0: the chain's first word), counted back over the text's letter runs: the word
   * before one that starts the letter run k is most often the run k - 1 alone (maybe with a period), one space
   * before it, after a character that neither continues a word nor is a number. Any other word is read character
   * by character (previousStart).
   */
  private placeInChain(start: number): number {
    const { text, cls } = this;
    const { starts, ends, count } = this.runs;
    let index = 0;
    let s = start;
    let k = this.runStartingAt(s);
    for (;;) {
      if (k > 0 && text.charCodeAt(s - 1) === 32) {
        const before = (ends[k - 1] as number) === s - 1 || ((ends[k - 1] as number) === s - 2 && text.charCodeAt(s - 2) === 46);
        const from = starts[k - 1] as number;
        if (before) {
          const c = from > 0 ? text.charCodeAt(from - 1) : 32;
          if (!isWordChar(cls, c) && !((cls[c] as number) & NUMBER)) {
            index++;
            s = from;
            k--;
            continue;
          }
        }
      }
      const p = this.previousStart(s);
      if (p < 0) return index;
      index++;
      s = p;
      k = k > 0 && (starts[k - 1] as number) === p ? k - 1 : count > 0 ? this.runStartingAt(p) : -1;
    }
  }

  /** The index of the letter run starting at `p`, or -1. */
  private runStartingAt(p: number): number {
    const { starts, count } = this.runs;
    const k = lowerBound(count, (i) => (starts[i] as number) < p);
    return k < count && (starts[k] as number) === p ? k : -1;
  }

  /** The group (three words of a chain at most) holding the word [start, end): its words' offsets, two per word. */
  groupOf(start: number, end: number): number[] {
    const index = this.placeInChain(start);
    // the chain's words in threes from its first: back to the group's first word, on to its third or the chain's end
    const group: number[] = [start, end];
    for (let k = index % 3, first = start; k > 0; k--) {
      const before = this.previousStart(first);
      group.unshift(before, first - 1);
      first = before;
    }
    for (let k = index % 3, last = end; k < 2; k++) {
      const w = this.next(last);
      if (!w) break;
      group.push(w[0], w[1]);
      last = w[1];
    }
    return group;
  }
}

/**
 * For each first word of the place phrases of two words or more (by its hash, as phraseMayBePlace reads it: lower
 * case, FNV-1a), the first letters their second words may have, one bit per letter "a"-"z" (bit 31: another
 * character, read as "any letter"). "the" opens only "the hague", "the bronx", "the hamptons": after "the", a word
 * starting with another letter opens no place phrase, and a contract holds thousands of "the".
 */
let secondInitials: Map<number, number> | undefined;
const ANY_INITIAL = -1;
/** The map's keys: the hash's low 30 bits, a small integer for the engine (two words sharing them share their letters). */
const INITIALS_KEY = 0x3fffffff;
function secondWordInitials(): Map<number, number> {
  if (!secondInitials) {
    const map = new Map<number, number>();
    for (const phrase of placeEntries().keys()) {
      const space = phrase.indexOf(" ");
      if (space < 0) continue;
      const h = asciiLowerHash(phrase, 0, space);
      const c = phrase.charCodeAt(space + 1);
      const bit = c >= 97 && c <= 122 ? 1 << (c - 97) : ANY_INITIAL;
      // a first word past ASCII (no hash) is never a letter run's word: nothing to note
      if (h >= 0) map.set(h & INITIALS_KEY, (map.get(h & INITIALS_KEY) ?? 0) | bit);
    }
    secondInitials = map;
  }
  return secondInitials;
}

/**
 * Whether the letter run [p, e) may start a known place's phrase in its chain (with its next two words), without
 * reading its group: the word there must be the run (or the run and a period), after no number, and the hash of
 * the word, or of it and the next one or two words, must be a place phrase's (or one of them holds a character past
 * ASCII); a phrase of two or three words is hashed only when some place phrase opens with the word and a second word
 * of the next word's first letter (secondWordInitials). A run inside a longer word is decided by `WordChains.wordAt`
 * afterwards.
 */
function mayStartPhrase(text: string, cls: Uint8Array, phrases: HashFilter, p: number, e: number): boolean {
  const n = text.length;
  let end = e;
  if (end < n && isWordChar(cls, text.charCodeAt(end))) {
    if (text.charCodeAt(end) !== 46 || (end + 1 < n && isWordChar(cls, text.charCodeAt(end + 1)))) return false;
    end++;
  }
  if (p > 0 && !isWordChar(cls, text.charCodeAt(p - 1)) && (cls[text.charCodeAt(p - 1)] as number) & NUMBER) return false;
  // the word alone (ASCII letters and maybe a period): its hash, with and without the period
  let h = FNV_OFFSET;
  let beforeLast = h;
  for (let at = p; at < end; at++) {
    let c = text.charCodeAt(at);
    if (c >= 65 && c <= 90) c += 32;
    beforeLast = h;
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  if (phrases.has(h) || (text.charCodeAt(end - 1) === 46 && phrases.has(beforeLast))) return true;
  // a next word in its chain (one space, then a letter) whose first letter some place phrase has after this word
  if (end + 1 >= n || text.charCodeAt(end) !== 32 || !((cls[text.charCodeAt(end + 1)] as number) & LETTER)) return false;
  const initials = secondWordInitials().get(h & INITIALS_KEY);
  if (initials === undefined) return false;
  const next = text.charCodeAt(end + 1) | 32;
  if (initials !== ANY_INITIAL && next >= 97 && next <= 122 && (initials & (1 << (next - 97))) === 0 && text.charCodeAt(end + 1) < 128) return false;
  // the word and the next two of its chain (one space, then a letter)
  const words = scratch;
  words[0] = p;
  words[1] = end;
  let count = 1;
  for (; count < 3 && end + 1 < n && text.charCodeAt(end) === 32 && (cls[text.charCodeAt(end + 1)] as number) & LETTER; count++) {
    const at = end + 1;
    for (end = at; end < n && isWordChar(cls, text.charCodeAt(end)); ) end++;
    words[2 * count] = at;
    words[2 * count + 1] = end;
  }
  return phraseMayBePlace(text, words, 0, count, phrases);
}
/** mayStartPhrase's words, reused (no array per letter run). */
const scratch = new Int32Array(6);

/**
 * The one character past ASCII that lower-cases into ASCII letters (the Kelvin sign into "k"; İ becomes "i" and a
 * combining dot): a word holding it may lower-case into a place's first word, as the letter runs cannot show.
 */
export const KELVIN = "\u212A";

/**
 * The groups of PLACE_CANDIDATE that may hold a known place, in text order: every group holding a known place (a
 * phrase `knownPlaces` reports) is among them, with the same bounds, and hash collisions add a few that hold none.
 * A known place's first word lower-cases to a place word (ASCII letters, maybe a period), so it is a letter run of
 * the place words or holds the Kelvin sign; only the groups of such words whose phrase hashes match are read.
 */
export function* placeGroups(text: string): Generator<[number, number]> {
  const set = placeStartWords();
  if (set === null || textRuns(text).surrogates) {
    yield* placeGroupsByPattern(text);
    return;
  }
  placePhraseFilter ??= new HashFilter(placeEntries().keys(), asciiLowerHash);
  const phrases = placePhraseFilter;
  const cls = charClasses();
  const { starts, ends } = textRuns(text).words;
  const runs = set.indexesIn(text);
  const chains = new WordChains(text);
  let kelvin = text.indexOf(KELVIN);
  let r = 0;
  let done = -1; // the end of the last group read
  while (r < runs.length || kelvin >= 0) {
    const k = r < runs.length ? (runs[r] as number) : -1;
    const run = k >= 0 ? (starts[k] as number) : text.length;
    let word: [number, number] | undefined;
    if (kelvin >= 0 && kelvin < run) {
      const p = kelvin;
      kelvin = text.indexOf(KELVIN, kelvin + 1);
      if (p < done) continue;
      word = chains.wordAt(p);
    } else {
      r++;
      if (run < done || !mayStartPhrase(text, cls, phrases, run, ends[k] as number)) continue;
      word = chains.wordAt(run);
      if (word && word[0] !== run) continue; // a run inside a longer word ("x-new")
    }
    if (!word) continue;
    const group = chains.groupOf(word[0], word[1]);
    const end = group[group.length - 1] as number;
    done = end;
    if (groupMayHoldPlace(text, group, group.length / 2)) yield [group[0] as number, end];
  }
}

/** The known places of the groups: a capitalised place, or one in lower case of four letters or more, as [start, end). */
export function knownPlaces(text: string, groups: Iterable<[number, number]> = placeGroups(text)): [number, number][] {
  placeStartFilter ??= new HashFilter(placeStarts(), asciiLowerHash);
  placePhraseFilter ??= new HashFilter(placeEntries().keys(), asciiLowerHash);
  const out: [number, number][] = [];
  const words: number[] = [];
  for (const [index, end] of groups) {
    // a group's words stand one space apart (PLACE_CANDIDATE): their offsets, two per word
    words.length = 0;
    for (let at = index; at < end; ) {
      const space = text.indexOf(" ", at);
      const to = space < 0 || space > end ? end : space;
      words.push(at, to);
      at = to + 1;
    }
    const count = words.length / 2;
    for (let i = 0; i < count; i++) {
      const from = words[2 * i] as number;
      // the hash filter first: most words of a group start no place, and asking it makes no string
      if (!mayStartPlace(text, from, words[2 * i + 1] as number) || !startsPlace(text.slice(from, words[2 * i + 1]))) continue;
      for (let n = count - i; n >= 1; n--) {
        let to = words[2 * (i + n - 1) + 1] as number;
        if (text.charCodeAt(to - 1) === 46) to--;
        const h = asciiLowerHash(text, from, to);
        if (h >= 0 && !placePhraseFilter.has(h)) continue;
        const phrase = text.slice(from, to);
        if (isKnownPlace(phrase) && /^\p{Lu}|^(?:[a-z]{4,})/u.test(phrase)) {
          out.push([from, to]);
          i += n - 1;
          break;
        }
      }
    }
  }
  return out;
}

/** knownPlaces over the groups the expression finds (the reference the fast path is tested against). */
export const knownPlacesByPattern = (text: string): [number, number][] => knownPlaces(text, placeGroupsByPattern(text));
