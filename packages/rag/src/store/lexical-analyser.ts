import { createRequire } from "node:module";
import { PackedStrings, checkUtf8Size } from "./arrow-columns";
import { eventLoopTurn } from "./event-loop-turn";
import { foldTerm } from "./matter-bm25";
import { PORTER2_SLACK, porter2Ascii } from "./porter2";

// Porter2 (Snowball English), the stemmer LanceDB's analyser applies (rust-stemmers' "English"): ours
// (`porter2Ascii`, the same stems, several times faster) for a word of ASCII letters and digits, wink's
// for any other.
const stem = createRequire(import.meta.url)("wink-porter2-stemmer") as (word: string) => string;

/** LanceDB's default `max_token_length`: its analyser drops tokens of this many UTF-8 bytes or more, before anything else. */
export const MAX_TOKEN_BYTES = 40;

/** Per UTF-16 unit below 128: 1 for a letter or digit (a token character of LanceDB's "simple" tokenizer), 0 for a separator. */
const ASCII_WORD = new Uint8Array(128);
for (let c = 48; c <= 57; c++) ASCII_WORD[c] = 1;
for (let c = 65; c <= 90; c++) ASCII_WORD[c] = 1;
for (let c = 97; c <= 122; c++) ASCII_WORD[c] = 1;
/** Rust's `char::is_alphanumeric` (Unicode Alphabetic or Numeric), which splits tokens in LanceDB's "simple" tokenizer. */
const WORD_CHAR = /^[\p{Alphabetic}\p{N}]$/u;

/** Distinct tokens remembered (with their terms) before the memory starts over: bounds memory on a corpus of endless new words. */
const MEMO_LIMIT = 1 << 17;
/** Units of remembered tokens and terms before the memory starts over (a slot packs an entry's start with its token's length). */
const MAX_POOL = 1 << 24;
/** Int32s per memory slot (see `LexicalAnalyser`). */
const SLOT = 4;
/** First sizes of the memory's slots, its pool (UTF-16 units) and the output (bytes); `clear()` shrinks back to them. */
const FIRST_SLOTS = 1 << 12;
const FIRST_POOL = 1 << 14;
const FIRST_OUT = 1 << 16;
/**
 * UTF-16 units of text (heads and tails) `packInSlices` analyses before the event loop gets a turn:
 * about 0.2 ms of the main thread warm (~13 ns a unit), ~5 ms while V8 has not compiled the
 * analyser yet (the first large document of a process: 64k units took ~22 ms then).
 */
export const SLICE_UNITS = 1 << 14;

/**
 * The term LanceDB's analyser makes of one token (before its stop-word and ASCII-folding filters), "" for a dropped token.
 * `foldFirst`: the token's accents are folded before it is stemmed, so "société" and "societe" make one term,
 * "societ". LanceDB folds after stemming, and the English stemmer reads "é" as no vowel: "société" stays
 * "société" (folded: "societe") while "societe" loses its "e".
 */
export function termOf(token: string, foldFirst = false): string {
  if (Buffer.byteLength(token, "utf8") >= MAX_TOKEN_BYTES) return "";
  const word = foldFirst && !isAscii(token) ? foldTerm(lowerChars(token)) : token;
  if (isAsciiWord(word)) {
    const letters = Buffer.allocUnsafe(word.length + PORTER2_SLACK);
    for (let i = 0; i < word.length; i++) letters[i] = lowerAscii(word.charCodeAt(i));
    return letters.toString("latin1", 0, porter2Ascii(letters, word.length));
  }
  return stem(isAscii(word) ? word.toLowerCase() : lowerChars(word));
}

/** Lower case character by character, as Rust's `char::to_lowercase` (no final-sigma context, unlike String.prototype.toLowerCase). */
function lowerChars(text: string): string {
  let lower = "";
  for (const ch of text) lower += ch.toLowerCase();
  return lower;
}

/**
 * The first steps of LanceDB's full-text analyser run here, once per distinct token: its "simple"
 * tokenizer (runs of letters and digits), its 40-byte token limit, lower-casing and Porter2
 * stemming. An index whose text is these terms, built with stemming off (`ftsOptions`), holds the
 * same terms, document lengths and BM25 scores as the plain text would with stemming on, while
 * LanceDB stems every token of every chunk (two thirds of the full-text build's CPU), and this
 * stems each distinct word once. Stop words and ASCII folding stay LanceDB's (they follow
 * stemming in its pipeline, so they see the same terms either way). Queries go through
 * `analyse` too, so both sides of a match agree.
 */
export class LexicalAnalyser {
  /**
   * Open addressing, SLOT Int32s per slot, side by side (one memory read finds them all, and the
   * table stays small enough for the processor's caches): the token's hash, where its entry is in
   * `#pool` times 64 plus its UTF-16 units (under 40; 0: an empty slot), and its term's UTF-8 bytes
   * (0: a dropped token). An entry is the token's units then its term's bytes (one per unit), so one
   * memory read fetches both. A pool, not strings: a token sliced out of a text would keep the whole
   * text alive.
   */
  #slots = new Int32Array(0);
  #size = 0;

  /** The units of the token being read (those of a token too long to keep are not all kept). */
  readonly #token = new Uint16Array(MAX_TOKEN_BYTES);
  /** An ASCII token's letters while it is stemmed. */
  readonly #stem = new Uint8Array(MAX_TOKEN_BYTES + PORTER2_SLACK);
  #pool = new Uint16Array(FIRST_POOL);
  #poolAt = 0;
  #out = Buffer.alloc(FIRST_OUT);
  #at = 0;

  /**
   * `remember`: distinct tokens kept with their terms before the memory starts over. `foldFirst`: accents are folded
   * before stemming (`termOf`), as in indexes made from session 14 on (`LanceIndex`'s manifest says which).
   */
  constructor(
    private readonly remember = MEMO_LIMIT,
    private readonly foldFirst = false,
  ) {
    this.#clear(FIRST_SLOTS);
  }

  /** Distinct tokens remembered (for tests). */
  get remembered(): number {
    return this.#size;
  }

  /** The terms of `text`, separated by spaces (a query's side of the match). */
  analyse(text: string): string {
    this.#at = 0;
    this.#writeTerms(text, 0);
    return this.#out.toString("utf8", 0, this.#at);
  }

  /**
   * The terms of `heads[i]` then `tails[i]`, for each i, as one UTF-8 column (a chunk's search header
   * and its text). A head's lines but its last, when they are those of the head before it (a
   * document's name, title and parties above a section's path), are analysed once, as is a head
   * equal to the one before it: a line break ends a token, so a head's terms are its parts' terms.
   */
  pack(heads: readonly string[], tails: readonly string[]): PackedStrings {
    if (heads.length !== tails.length) throw new Error(`${heads.length} heads for ${tails.length} tails`);
    const offsets = new Int32Array(heads.length + 1);
    this.#at = 0;
    const last = { head: undefined as string | undefined, from: 0, to: 0, lead: undefined as string | undefined, leadTo: 0 };
    for (let i = 0; i < heads.length; i++) {
      const start = this.#at;
      const head = heads[i]!;
      if (head === last.head) {
        this.#copy(last.from, last.to);
        last.leadTo += start - last.from;
        last.from = start;
        last.to = this.#at;
      } else {
        const cut = head.lastIndexOf("\n", head.length - 2) + 1;
        const lead = head.slice(0, cut);
        if (cut > 0 && lead === last.lead) this.#copy(last.from, last.leadTo);
        else this.#writeTerms(lead, start);
        const leadTo = this.#at;
        this.#writeTerms(cut > 0 ? head.slice(cut) : head, start);
        Object.assign(last, { head, from: start, to: this.#at, lead, leadTo });
      }
      this.#writeTerms(tails[i]!, start);
      offsets[i + 1] = this.#at;
      checkUtf8Size(this.#at, i + 1);
    }
    return new PackedStrings(Uint8Array.prototype.slice.call(this.#out, 0, this.#at), offsets);
  }

  /**
   * `pack`, a slice of rows at a time: rows of `sliceUnits` units of text at most (one row at least),
   * each after awaiting `between()` (by default a turn of the event loop), so a large document's
   * analysis never holds the main thread for long, nor adds to the work that came before the call
   * (chunking the document): a request, a timer, a search runs between slices. Other calls (a
   * query's `analyse`, another document's pack) may run there: each slice is packed whole, then the
   * slices are joined.
   */
  async packInSlices(heads: readonly string[], tails: readonly string[], sliceUnits = SLICE_UNITS, between: () => Promise<void> = eventLoopTurn): Promise<PackedStrings> {
    if (heads.length !== tails.length) throw new Error(`${heads.length} heads for ${tails.length} tails`);
    const slices: PackedStrings[] = [];
    for (let from = 0; from < heads.length; ) {
      let units = heads[from]!.length + tails[from]!.length;
      let to = from + 1;
      for (; to < heads.length && units + heads[to]!.length + tails[to]!.length <= sliceUnits; to++) units += heads[to]!.length + tails[to]!.length;
      await between();
      slices.push(from === 0 && to === heads.length ? this.pack(heads, tails) : this.pack(heads.slice(from, to), tails.slice(from, to)));
      from = to;
    }
    return slices.length === 1 ? slices[0]! : joined(slices);
  }

  /** Appends a copy of output bytes already written. */
  #copy(from: number, to: number): void {
    this.#room(to - from);
    this.#out.copyWithin(this.#at, from, to);
    this.#at += to - from;
  }

  /** Appends the terms of `text` to the output, each after a space unless it is the first of the value begun at `valueStart`. */
  #writeTerms(text: string, valueStart: number): void {
    const n = text.length;
    let i = 0;
    while (i < n) {
      // A separator run, then a token run of word characters.
      let c = text.charCodeAt(i);
      if (c < 128 ? ASCII_WORD[c] === 0 : !wordCharAt(text, i)) {
        i += c < 128 ? 1 : unitsAt(text, i, c);
        continue;
      }
      const start = i;
      // The token's units are copied as they are read: comparing them with a remembered token is then cheap.
      const token = this.#token;
      let length = 0;
      let hash = 0x811c9dc5 | 0;
      while (i < n) {
        c = text.charCodeAt(i);
        if (c < 128) {
          if (ASCII_WORD[c] === 0) break;
          hash = Math.imul(hash ^ c, 0x01000193);
          if (length < MAX_TOKEN_BYTES) token[length] = c;
          length++;
          i++;
        } else if (wordCharAt(text, i)) {
          const units = unitsAt(text, i, c);
          hash = Math.imul(hash ^ c, 0x01000193);
          if (length < MAX_TOKEN_BYTES) token[length] = c;
          length++;
          if (units === 2) {
            const low = text.charCodeAt(i + 1);
            hash = Math.imul(hash ^ low, 0x01000193);
            if (length < MAX_TOKEN_BYTES) token[length] = low;
            length++;
          }
          i += units;
        } else break;
      }
      // A token of 40 units or more has 40 UTF-8 bytes or more: dropped, as LanceDB drops it.
      if (length >= MAX_TOKEN_BYTES) continue;
      const slot = this.#slotOf(text, start, i, hash);
      const termLength = this.#slots[slot + 2]!;
      if (termLength === 0) continue;
      if (this.#at + termLength + 1 > this.#out.length) this.#room(termLength + 1);
      // Copied byte by byte: a typed array's set() costs more than these few bytes.
      const out = this.#out;
      const pool = this.#pool;
      let at = this.#at;
      if (at > valueStart) out[at++] = 32;
      const key = this.#slots[slot + 1]!;
      for (let b = (key >>> 6) + (key & 63), e = b + termLength; b < e; b++) out[at++] = pool[b]!;
      this.#at = at;
    }
  }

  /** The memory slot (its first Int32's index) of the token `text[start, end)`, read into `#token`, whose FNV-1a hash over its UTF-16 units is `hash`: its term is stored there. */
  #slotOf(text: string, start: number, end: number, hash: number): number {
    const length = end - start;
    const slots = this.#slots;
    const mask = slots.length / SLOT - 1;
    let slot = (hash & mask) * SLOT;
    for (;;) {
      const key = slots[slot + 1]!;
      if (key === 0) break;
      if (slots[slot] === hash && (key & 63) === length && this.#sameUnits(key >>> 6, length)) return slot;
      slot = (slot + SLOT) & (mask * SLOT + SLOT - 1);
    }
    const term = this.#termOf(text, start, end);
    const entry = length + term.length;
    if (this.#size >= this.remember || this.#poolAt + entry > MAX_POOL) {
      // Full: start over (a corpus of endless new words must not grow the memory without bound).
      this.#clear(slots.length / SLOT);
      slot = (hash & mask) * SLOT;
    }
    if (this.#poolAt + entry > this.#pool.length) this.#pool = grown(this.#pool, this.#poolAt + entry, (n) => new Uint16Array(n));
    this.#pool.set(this.#token.subarray(0, length), this.#poolAt);
    this.#pool.set(term, this.#poolAt + length);
    const table = this.#slots;
    table[slot] = hash;
    table[slot + 1] = this.#poolAt * 64 + length;
    table[slot + 2] = term.length;
    this.#poolAt += entry;
    if (++this.#size * 2 > this.#slots.length / SLOT) {
      this.#grow();
      return this.#slotOf(text, start, end, hash);
    }
    return slot;
  }

  /**
   * The UTF-8 bytes of the term of the token `text[start, end)`, read into `#token`: a word of ASCII
   * letters and digits (nearly every word of a contract) is lower-cased and stemmed in `#stem`, with
   * no string made; any other goes through `termOf`.
   */
  #termOf(text: string, start: number, end: number): Uint8Array {
    const length = end - start;
    const token = this.#token;
    let ascii = true;
    for (let k = 0; k < length && ascii; k++) ascii = token[k]! < 128;
    if (!ascii) return Buffer.from(termOf(text.slice(start, end), this.foldFirst), "utf8");
    const word = this.#stem;
    for (let k = 0; k < length; k++) word[k] = lowerAscii(token[k]!);
    return word.subarray(0, porter2Ascii(word, length));
  }

  /** True when the token being read (`#token`, `length` units) is the one remembered at `keyStart`. */
  #sameUnits(keyStart: number, length: number): boolean {
    const keys = this.#pool;
    const token = this.#token;
    for (let k = 0; k < length; k++) if (keys[keyStart + k] !== token[k]) return false;
    return true;
  }

  #clear(capacity: number): void {
    this.#slots = new Int32Array(capacity * SLOT);
    this.#size = 0;
    this.#poolAt = 0;
  }

  /**
   * Forgets every word it has seen, and the terms it wrote last: its pool and output are
   * overwritten, not only let go (freed memory keeps its bytes until reused; the smaller ones they
   * outgrew were zeroed when they were replaced), and shrink back to their first size. What it
   * handed out (packed terms, the words of one token's stemming) is its callers' to drop. An ingest forgets its documents' words when it ends, a query's analysis its
   * words at once: words of privileged documents and queries stay no longer than their use.
   */
  clear(): void {
    this.#slots.fill(0);
    this.#pool.fill(0);
    this.#out.fill(0);
    this.#token.fill(0);
    this.#size = 0;
    this.#poolAt = 0;
    this.#at = 0;
    if (this.#slots.length > FIRST_SLOTS * SLOT) this.#slots = new Int32Array(FIRST_SLOTS * SLOT);
    if (this.#pool.length > FIRST_POOL) this.#pool = new Uint16Array(FIRST_POOL);
    if (this.#out.length > FIRST_OUT) this.#out = Buffer.alloc(FIRST_OUT);
  }

  /** Doubles the slots, keeping what is remembered (tokens and terms stay where they are in the pools). */
  #grow(): void {
    const old = this.#slots;
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length / SLOT - 1;
    for (let s = 0; s < old.length; s += SLOT) {
      if (old[s + 1] === 0) continue;
      let slot = (old[s]! & mask) * SLOT;
      while (slots[slot + 1] !== 0) slot = (slot + SLOT) % slots.length;
      slots[slot] = old[s]!;
      slots[slot + 1] = old[s + 1]!;
      slots[slot + 2] = old[s + 2]!;
    }
    this.#slots = slots;
  }

  #room(bytes: number): void {
    if (this.#at + bytes <= this.#out.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#at + bytes, this.#out.length * 2));
    this.#out.copy(grown, 0, 0, this.#at);
    this.#out.fill(0); // it held terms; `pack` hands out copies, never views of it
    this.#out = grown;
  }
}

/** The values of `slices`, one after another, as one column (none: an empty one). */
function joined(slices: readonly PackedStrings[]): PackedStrings {
  const rows = slices.reduce((n, s) => n + s.length, 0);
  const size = slices.reduce((n, s) => n + s.offsets[s.length]!, 0);
  checkUtf8Size(size, rows);
  const bytes = new Uint8Array(size);
  const offsets = new Int32Array(rows + 1);
  let row = 0;
  let at = 0;
  for (const slice of slices) {
    const end = slice.offsets[slice.length]!;
    bytes.set(slice.bytes.subarray(0, end), at);
    for (let i = 1; i <= slice.length; i++) offsets[row + i] = at + slice.offsets[i]!;
    row += slice.length;
    at += end;
  }
  return new PackedStrings(bytes, offsets);
}

/** True when `text` is ASCII letters and digits only. */
function isAsciiWord(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (ASCII_WORD[text.charCodeAt(i)] !== 1) return false;
  return true;
}

/** An ASCII letter or digit's lower case. */
function lowerAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 128) return false;
  return true;
}

/** `array` with room for `needed` values, its contents kept (doubled at least). */
/** A larger copy of `array`; the old one is zeroed before it is let go (it held words: see `clear()`). */
function grown<T extends Uint8Array | Uint16Array>(array: T, needed: number, make: (n: number) => T): T {
  const copy = make(Math.max(needed, array.length * 2));
  copy.set(array);
  array.fill(0);
  return copy;
}

/** UTF-16 units of the character at `i` (whose first unit is `c`): 2 for a surrogate pair, else 1. */
function unitsAt(text: string, i: number, c: number): number {
  if (c < 0xd800 || c >= 0xdc00) return 1;
  const next = text.charCodeAt(i + 1);
  return next >= 0xdc00 && next < 0xe000 ? 2 : 1;
}

/** Per BMP code point: 0 not looked up yet, 1 a word character, 2 a separator. */
const BMP_WORD = new Uint8Array(0x10000);

/** True when the character (code point) at `i` is a letter or digit by Rust's `char::is_alphanumeric`; a lone surrogate is not. */
function wordCharAt(text: string, i: number): boolean {
  const cp = text.codePointAt(i)!;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  if (cp > 0xffff) return WORD_CHAR.test(String.fromCodePoint(cp));
  let known = BMP_WORD[cp]!;
  if (known === 0) BMP_WORD[cp] = known = WORD_CHAR.test(String.fromCharCode(cp)) ? 1 : 2;
  return known === 1;
}
