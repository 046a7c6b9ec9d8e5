// One pass over a text, shared by the recognizers: its runs of ASCII letters and of ASCII digits. A pattern opening with one of a few words ("lives at", "in ESPOO", "ul. Miła 53") or with a number
// is tried only where such a run starts, instead of each recognizer searching its regular expression over the text.
import { InvalidArgumentError } from "@bear/core";
import { charClasses, NUMBER } from "./char-classes";
import { asciiLowerHash, FNV_OFFSET, FNV_PRIME } from "./text-hash";

/** Runs [starts[i], ends[i]) of one kind of character, in text order. */
export interface Runs {
  readonly count: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

export interface TextRuns {
  /** Runs of ASCII letters (A-Z, a-z). */
  readonly words: Runs;
  /** Runs of ASCII digits (0-9). */
  readonly digits: Runs;
  /** The text holds a number character outside ASCII (\p{N}: "٣", "１", "²"): digit scanners fall back to their patterns. */
  readonly otherNumbers: boolean;
  /** The text holds a surrogate code unit (a character outside the BMP, or a lone half), as `hasSurrogates` answers. */
  readonly surrogates: boolean;
}

/** A text read, its runs and, once asked, the letter runs each AsciiWordSet may hold (`[set.id]`, one pass for every set). */
interface ReadText {
  readonly text: string;
  readonly runs: TextRuns;
  wordSets?: (readonly number[])[];
}
/**
 * The texts last read, newest first. Two: a scan's text and the copy the organisation recognizer reads (its column
 * gaps made line breaks), which would otherwise push each other out once per scan.
 */
let recent: ReadText[] = [];
const RECENT_TEXTS = 2;

/** `a` in an array twice as long. */
function grown(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(a.length * 2);
  bigger.set(a);
  return bigger;
}

/** The runs of `text`, read once for the texts last asked about (a scan asks every recognizer about one text). */
export function textRuns(text: string): TextRuns {
  return readText(text).runs;
}

function readText(text: string): ReadText {
  for (const r of recent) if (r.text === text) return r;
  const read = readRuns(text);
  recent = [read, ...recent.slice(0, RECENT_TEXTS - 1)];
  return read;
}

/**
 * The runs of `text` and, in the same pass, the letter runs each AsciiWordSet made so far may hold: each letter run
 * is hashed (asciiLowerHash) while it is read, instead of read again for the sets (wordSetIndexes, the same answer).
 */
function readRuns(text: string): ReadText {
  const n = text.length;
  const sets = wordSets.length;
  const inSets: number[][] = [];
  for (let id = 0; id < sets; id++) inSets.push([]);
  // about one word in six characters of prose, one number in a hundred: room enough to grow rarely
  let wordStarts = new Int32Array(Math.max(16, n >> 2));
  let wordEnds = new Int32Array(wordStarts.length);
  let digitStarts = new Int32Array(Math.max(16, n >> 5));
  let digitEnds = new Int32Array(digitStarts.length);
  let words = 0;
  let digits = 0;
  let otherNumbers = false;
  let surrogates = false;
  const cls = charClasses();
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    let lower = c | 32;
    if (lower >= 97 && lower <= 122) {
      const start = i;
      // FNV-1a of the run in lower case, as asciiLowerHash reads it (a run of ASCII letters: c | 32 is its lower case)
      let h = FNV_OFFSET;
      do {
        h = Math.imul(h ^ lower, FNV_PRIME);
        if (++i >= n) break;
        c = text.charCodeAt(i);
        lower = c | 32;
      } while (lower >= 97 && lower <= 122);
      if (words === wordStarts.length) {
        wordStarts = grown(wordStarts);
        wordEnds = grown(wordEnds);
      }
      wordStarts[words] = start;
      wordEnds[words] = i;
      if (anyShape[shapeOf(text.charCodeAt(start), i - start)] === 1) {
        h >>>= 0;
        if (((anyHash[(h >>> 3) & HASH_BYTES] as number) & (1 << (h & 7))) !== 0) {
          const ids = setsByHash.get(h);
          if (ids) for (const id of ids) (inSets[id] as number[]).push(words);
        }
      }
      words++;
    } else if (c >= 48 && c <= 57) {
      const start = i;
      do i++;
      while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57);
      if (digits === digitStarts.length) {
        digitStarts = grown(digitStarts);
        digitEnds = grown(digitEnds);
      }
      digitStarts[digits] = start;
      digitEnds[digits] = i;
      digits++;
    } else {
      if (c >= 128) {
        if ((cls[c] as number) & NUMBER) otherNumbers = true;
        else if (c >= 0xd800 && c <= 0xdfff) surrogates = true;
      }
      i++;
    }
  }
  const runs: TextRuns = {
    words: { count: words, starts: wordStarts, ends: wordEnds },
    digits: { count: digits, starts: digitStarts, ends: digitEnds },
    otherNumbers,
    surrogates,
  };
  return { text, runs, wordSets: inSets };
}

/** Lets go of the texts last read (a scan calls this when done, so no document stays in memory after it). */
export function forgetTextRuns(): void {
  recent = [];
}

/** Every AsciiWordSet made, by id: one pass over a text's letter runs answers them all. */
const wordSets: AsciiWordSet[] = [];
/** For each word shape, (first letter - "a") * 32 + min(length, 31): whether some set holds a word of that shape. */
const anyShape = new Uint8Array(26 * 32);
/** For each hash (asciiLowerHash) of a word of some set: the ids of the sets holding a word of that hash. */
const setsByHash = new Map<number, number[]>();
/** The hashes of setsByHash as a one-hash Bloom filter (text-hash.ts): most runs hashed are no set's word, and a bit read answers them faster than the map. */
const anyHash = new Uint8Array(1 << 17);
const HASH_BYTES = (1 << 17) - 1;
const shapeOf = (first: number, length: number): number => ((first | 32) - 97) * 32 + Math.min(length, 31);

/**
 * The letter runs of `text` each set may hold, for every set made so far: a run of a shape no set has is passed
 * over; another is hashed once and looked up once for all the sets (a run whose hash is a word's may be that word).
 */
function wordSetIndexes(text: string): (readonly number[])[] {
  const read = readText(text);
  if (read.wordSets && read.wordSets.length === wordSets.length) return read.wordSets;
  const { count, starts, ends } = read.runs.words;
  const out: number[][] = wordSets.map(() => []);
  for (let k = 0; k < count; k++) {
    const start = starts[k] as number;
    const end = ends[k] as number;
    if (anyShape[shapeOf(text.charCodeAt(start), end - start)] === 0) continue;
    const h = asciiLowerHash(text, start, end);
    if (((anyHash[(h >>> 3) & HASH_BYTES] as number) & (1 << (h & 7))) === 0) continue;
    const ids = setsByHash.get(h);
    if (ids) for (const id of ids) (out[id] as number[]).push(k);
  }
  read.wordSets = out;
  return out;
}

/**
 * A set of words (ASCII letters, any case) to look for among a text's letter runs. All the sets are answered in one
 * pass over a text's runs (wordSetIndexes): a run is hashed (asciiLowerHash) only when some set has a word of its
 * first letter and length, and is then surely none of a set's words or maybe one (a hash collision answers "maybe":
 * the caller's pattern decides).
 */
export class AsciiWordSet {
  /** Its place among the sets made (wordSetIndexes). */
  readonly #id: number;

  constructor(words: Iterable<string>) {
    const list = [...words];
    for (const w of list) if (!/^[A-Za-z]+$/.test(w)) throw new InvalidArgumentError("word", w, "ASCII letters only");
    this.#id = wordSets.length;
    wordSets.push(this);
    for (const w of list) {
      anyShape[shapeOf(w.charCodeAt(0), w.length)] = 1;
      const h = asciiLowerHash(w, 0, w.length);
      anyHash[(h >>> 3) & HASH_BYTES] = (anyHash[(h >>> 3) & HASH_BYTES] as number) | (1 << (h & 7));
      const ids = setsByHash.get(h) ?? [];
      if (!ids.includes(this.#id)) ids.push(this.#id);
      setsByHash.set(h, ids);
    }
  }

  /** The indexes of the letter runs of `text` that may be one of the set's words, in text order (do not change the list). */
  indexesIn(text: string): readonly number[] {
    return wordSetIndexes(text)[this.#id] as readonly number[];
  }
}
