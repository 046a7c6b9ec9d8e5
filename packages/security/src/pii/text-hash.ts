// FNV-1a hashes of a range of a text, taken without cutting a string out of it, and a one-hash Bloom
// filter over them: the scanners' fast paths ask "may this word be one of those?" before making a string.

export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/** A hash of text[from, to). */
export type RangeHash = (text: string, from: number, to: number) => number;

/** FNV-1a over the UTF-16 code units of text[from, to), unsigned. */
export function fnvRange(text: string, from: number, to: number): number {
  let h = FNV_OFFSET;
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** FNV-1a over text[from, to) with ASCII capitals read as lower case (a word's lower-case form without making it), unsigned; -1 past ASCII. */
export function asciiLowerHash(text: string, from: number, to: number): number {
  let h = FNV_OFFSET;
  for (let i = from; i < to; i++) {
    let c = text.charCodeAt(i);
    if (c >= 128) return -1;
    if (c >= 65 && c <= 90) c += 32;
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return h >>> 0;
}

const BYTE_MASK = (1 << 17) - 1;

/**
 * A set of words as a table of 2^20 bits keyed by their hashes (a one-hash Bloom filter): "surely absent" or
 * "maybe present", asked without allocating (a Set of numbers boxes each hash it is asked about). Words the hash
 * cannot take (a negative hash) are left out; asking with a negative hash reads a bit like any other.
 */
export class HashFilter {
  readonly #bits = new Uint8Array(BYTE_MASK + 1);

  constructor(
    words: Iterable<string>,
    private readonly hash: RangeHash,
  ) {
    for (const w of words) {
      const h = hash(w, 0, w.length);
      if (h >= 0) this.#bits[(h >>> 3) & BYTE_MASK]! |= 1 << (h & 7);
    }
  }

  /** False when `h` is surely the hash of none of the words. */
  has(h: number): boolean {
    return ((this.#bits[(h >>> 3) & BYTE_MASK] ?? 0) & (1 << (h & 7))) !== 0;
  }

  /** False when text[from, to) is surely none of the words. */
  mayHold(text: string, from: number, to: number): boolean {
    return this.has(this.hash(text, from, to));
  }
}
