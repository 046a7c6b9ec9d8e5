// One pass over a text, shared by the recognizers: its runs of ASCII letters (with their lower-case hashes) and of
// ASCII digits. A pattern opening with one of a few words ("lives at", "in ESPOO", "ul. Miła 53") or with a number
// is tried only where such a run starts, instead of each recognizer searching its regular expression over the text.
import { InvalidArgumentError } from "@bear/core";
import { charClasses, NUMBER } from "./char-classes";
import { FNV_OFFSET, FNV_PRIME, HashFilter, asciiLowerHash } from "./text-hash";

/** Runs [starts[i], ends[i]) of one kind of character, in text order. */
export interface Runs {
  readonly count: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

export interface TextRuns {
  /** Runs of ASCII letters (A-Z, a-z), each with its asciiLowerHash in `hashes`. */
  readonly words: Runs & { readonly hashes: Int32Array };
  /** Runs of ASCII digits (0-9). */
  readonly digits: Runs;
  /** The text holds a number character outside ASCII (\p{N}: "٣", "１", "²"): digit scanners fall back to their patterns. */
  readonly otherNumbers: boolean;
}

let lastText: string | undefined;
let lastRuns: TextRuns | undefined;

/** A growable column of offsets. */
class Column {
  data: Int32Array<ArrayBuffer>;
  constructor(size: number) {
    this.data = new Int32Array(size);
  }
  grow(): void {
    const bigger = new Int32Array(this.data.length * 2);
    bigger.set(this.data);
    this.data = bigger;
  }
}

/** The runs of `text`, read once for the text last asked about (a scan asks every recognizer about one text). */
export function textRuns(text: string): TextRuns {
  if (lastRuns && lastText === text) return lastRuns;
  const n = text.length;
  const wordStarts = new Column(Math.max(16, n >> 3));
  const wordEnds = new Column(wordStarts.data.length);
  const wordHashes = new Column(wordStarts.data.length);
  const digitStarts = new Column(Math.max(16, n >> 6));
  const digitEnds = new Column(digitStarts.data.length);
  let words = 0;
  let digits = 0;
  let otherNumbers = false;
  const cls = charClasses();
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    const lower = c | 32;
    if (lower >= 97 && lower <= 122) {
      const start = i;
      let h = FNV_OFFSET;
      for (;;) {
        h = Math.imul(h ^ (c | 32), FNV_PRIME);
        if (++i >= n) break;
        c = text.charCodeAt(i);
        const l = c | 32;
        if (!(l >= 97 && l <= 122)) break;
      }
      if (words === wordStarts.data.length) {
        wordStarts.grow();
        wordEnds.grow();
        wordHashes.grow();
      }
      wordStarts.data[words] = start;
      wordEnds.data[words] = i;
      wordHashes.data[words] = h;
      words++;
    } else if (c >= 48 && c <= 57) {
      const start = i;
      do i++;
      while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57);
      if (digits === digitStarts.data.length) {
        digitStarts.grow();
        digitEnds.grow();
      }
      digitStarts.data[digits] = start;
      digitEnds.data[digits] = i;
      digits++;
    } else {
      if (c >= 128 && (cls[c] ?? 0) & NUMBER) otherNumbers = true;
      i++;
    }
  }
  lastText = text;
  lastRuns = {
    words: { count: words, starts: wordStarts.data, ends: wordEnds.data, hashes: wordHashes.data },
    digits: { count: digits, starts: digitStarts.data, ends: digitEnds.data },
    otherNumbers,
  };
  return lastRuns;
}

/** Lets go of the text last read (a scan calls this when done, so no document stays in memory after it). */
export function forgetTextRuns(): void {
  lastText = undefined;
  lastRuns = undefined;
}

/**
 * A set of words (ASCII letters, any case) to look for among a text's letter runs: `has` is false when a run's hash
 * is surely none of them, true when it may be one (a hash collision answers true: the caller's pattern decides).
 */
export class AsciiWordSet {
  readonly #filter: HashFilter;

  constructor(words: Iterable<string>) {
    const list = [...words];
    for (const w of list) if (!/^[A-Za-z]+$/.test(w)) throw new InvalidArgumentError("word", w, "ASCII letters only");
    this.#filter = new HashFilter(list, asciiLowerHash);
  }

  has(hash: number): boolean {
    return this.#filter.has(hash);
  }

  /** The indexes of the letter runs of `text` that may be one of the set's words, in text order. */
  indexesIn(words: TextRuns["words"]): number[] {
    const out: number[] = [];
    const { count, hashes } = words;
    for (let k = 0; k < count; k++) if (this.#filter.has(hashes[k] as number)) out.push(k);
    return out;
  }
}
