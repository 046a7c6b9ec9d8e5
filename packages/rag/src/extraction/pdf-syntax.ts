// Just enough of PDF's object syntax (PDF 32000-1 §7.2–7.3) for the decompression-bomb guard, read the
// way pdf.js's lexer reads it: comments are skipped anywhere, names decode #xx escapes (in keys too),
// strings may hold any byte, and a value may be a reference. Text is Latin-1 (one char per byte).

export type PdfValue = number | PdfName | PdfRef | PdfValue[] | PdfDict | PdfOther;
export interface PdfName {
  readonly name: string;
}
export interface PdfRef {
  readonly ref: string;
}
export type PdfDict = Map<string, PdfValue>;
/** A string, boolean, null or keyword: nothing the guard reads. */
export interface PdfOther {
  readonly other: true;
}

const OTHER: PdfOther = { other: true };
const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

export const isName = (v: PdfValue | undefined): v is PdfName => typeof v === "object" && v !== null && "name" in v;
export const isRef = (v: PdfValue | undefined): v is PdfRef => typeof v === "object" && v !== null && "ref" in v;
export const isDict = (v: PdfValue | undefined): v is PdfDict => v instanceof Map;

/** A reader of PDF values from `pos` on; `pos` is where it stopped. Nesting deeper than 64 reads as OTHER. */
export class PdfLexer {
  pos: number;
  constructor(
    readonly text: string,
    start: number,
  ) {
    this.pos = start;
  }

  private code(at = this.pos): number {
    return at < this.text.length ? this.text.charCodeAt(at) : -1;
  }

  /** Skips whitespace and comments. */
  skipSpace(): void {
    for (;;) {
      const c = this.code();
      if (c < 0) return;
      if (WHITESPACE.has(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < this.text.length && this.code() !== 0x0a && this.code() !== 0x0d) this.pos++;
      } else return;
    }
  }

  /** A run of regular characters (a number or keyword), without moving past a delimiter. */
  private regular(): string {
    const start = this.pos;
    while (this.pos < this.text.length && !WHITESPACE.has(this.code()) && !DELIMITERS.has(this.code())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** The next keyword (e.g. "stream"), or "" when the next token is not one. Leaves `pos` after it. */
  keyword(): string {
    this.skipSpace();
    return /^[A-Za-z]+$/.test(this.text.slice(this.pos, this.pos + 1)) ? this.regular() : "";
  }

  value(depth = 0): PdfValue {
    this.skipSpace();
    const c = this.code();
    if (c < 0) return OTHER;
    if (c === 0x2f) return this.name();
    if (c === 0x28) return this.literalString();
    if (c === 0x3c) {
      if (this.code(this.pos + 1) === 0x3c) return this.dict(depth);
      const end = this.text.indexOf(">", this.pos);
      this.pos = end < 0 ? this.text.length : end + 1;
      return OTHER;
    }
    if (c === 0x5b) return this.array(depth);
    if (DELIMITERS.has(c)) {
      this.pos++;
      return OTHER;
    }
    const token = this.regular();
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(token)) return OTHER;
    const number = Number(token);
    // "12 0 R" is a reference: look ahead without consuming unless it is one.
    if (/^\d+$/.test(token)) {
      const save = this.pos;
      this.skipSpace();
      const generation = this.regular();
      if (/^\d+$/.test(generation)) {
        this.skipSpace();
        if (this.code() === 0x52 && (this.pos + 1 >= this.text.length || WHITESPACE.has(this.code(this.pos + 1)) || DELIMITERS.has(this.code(this.pos + 1)))) {
          this.pos++;
          return { ref: `${token} ${generation}` };
        }
      }
      this.pos = save;
    }
    return number;
  }

  private name(): PdfName {
    this.pos++;
    const raw = this.regular();
    return { name: raw.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) };
  }

  private literalString(): PdfOther {
    let depth = 0;
    while (this.pos < this.text.length) {
      const c = this.code();
      this.pos++;
      if (c === 0x5c) this.pos++; // an escaped character, "\(" included
      else if (c === 0x28) depth++;
      else if (c === 0x29 && --depth === 0) break;
    }
    return OTHER;
  }

  private array(depth: number): PdfValue[] | PdfOther {
    this.pos++;
    const items: PdfValue[] = [];
    for (;;) {
      this.skipSpace();
      const c = this.code();
      if (c < 0) return items;
      if (c === 0x5d) {
        this.pos++;
        return depth > 64 ? OTHER : items;
      }
      const before = this.pos;
      items.push(this.value(depth + 1));
      if (this.pos === before) this.pos++; // never stall on a stray byte
    }
  }

  private dict(depth: number): PdfDict | PdfOther {
    this.pos += 2;
    const dict: PdfDict = new Map();
    for (;;) {
      this.skipSpace();
      const c = this.code();
      if (c < 0) return dict;
      if (c === 0x3e && this.code(this.pos + 1) === 0x3e) {
        this.pos += 2;
        return depth > 64 ? OTHER : dict;
      }
      if (c !== 0x2f) {
        // not a key: skip one value, as pdf.js skips what it cannot use
        const before = this.pos;
        this.value(depth + 1);
        if (this.pos === before) this.pos++;
        continue;
      }
      const key = this.name().name;
      dict.set(key, this.value(depth + 1));
    }
  }

  /** After the `stream` keyword: pdf.js skips to the next line (any bytes up to CR or LF, then CR LF, CR or LF). */
  streamStart(): number {
    let at = this.pos;
    while (at < this.text.length && this.text.charCodeAt(at) !== 0x0a && this.text.charCodeAt(at) !== 0x0d) at++;
    if (this.text.charCodeAt(at) === 0x0d) at++;
    if (this.text.charCodeAt(at) === 0x0a) at++;
    return at;
  }
}
