/**
 * Unicode classes of the Basic Multilingual Plane's characters in one table, so that a hand-written scanner tests a
 * character with an array read instead of a regular expression. Characters outside the BMP (surrogate pairs) are
 * not classed: a scanner must leave text holding them to its regular expression.
 */
export const LETTER = 1; // \p{L}
export const NUMBER = 2; // \p{N}
export const UPPER = 4; // \p{Lu}
export const LOWER = 8; // \p{Ll}
export const SPACE = 16; // \s
export const MARK = 32; // \p{M}
export const UPPERS = 64; // changed by toUpperCase() (has an upper-case form: "a", "ß", not "A", "1")
export const LOWERS = 128; // changed by toLowerCase() (has a lower-case form: "A", "İ", not "a", "1")

let table: Uint8Array | undefined;

/** The class bits of each UTF-16 code unit (surrogates have none). */
export function charClasses(): Uint8Array {
  if (table) return table;
  const t = new Uint8Array(65536);
  const tests: [RegExp, number][] = [
    [/\p{L}/u, LETTER],
    [/\p{N}/u, NUMBER],
    [/\p{Lu}/u, UPPER],
    [/\p{Ll}/u, LOWER],
    [/\s/u, SPACE],
    [/\p{M}/u, MARK],
  ];
  for (let c = 0; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const ch = String.fromCharCode(c);
    let bits = 0;
    for (const [re, bit] of tests) if (re.test(ch)) bits |= bit;
    if (ch !== ch.toUpperCase()) bits |= UPPERS;
    if (ch !== ch.toLowerCase()) bits |= LOWERS;
    t[c] = bits;
  }
  table = t;
  return t;
}

/** True when `text` holds a surrogate code unit (a character outside the BMP, or a lone half). */
export function hasSurrogates(text: string): boolean {
  return /[\uD800-\uDFFF]/.test(text);
}
