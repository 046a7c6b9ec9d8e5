import fc from "fast-check";
import { hasLowerCaseWord, lowerCaseWords, lowerCaseWordsByRegex, textBefore, wholeWordVariants, wholeWordVariantsByRegex } from "./whole-words";

// letters, digits and marks of several scripts, astral letters (surrogate pairs), lone surrogates, separators
const unit = fc.constantFrom("a", "A", "b", "B", "é", "É", "1", "٣", " ", "-", ".", "\n", "𝒜", "𝟙", "\uD835", "\uDC9C", "\uDFFF", "ß", "SS", "ǅ");
const chunk = fc.array(unit, { maxLength: 6 }).map((u) => u.join(""));

describe("wholeWordVariants", () => {
  it("finds what the look-behind regular expression finds (fast-check)", () => {
    fc.assert(
      fc.property(fc.array(chunk, { minLength: 1, maxLength: 12 }), fc.array(fc.nat(11), { minLength: 1, maxLength: 3 }), (parts, pick) => {
        const text = parts.join("");
        // variants taken from the text itself (so they occur), in some order, with repeats and case changes
        const variants = pick.map((i, k) => {
          const v = parts[i % parts.length] ?? "";
          return k === 1 ? v.toUpperCase() : k === 2 ? v.toLowerCase() : v;
        });
        expect(wholeWordVariants(text, variants)).toEqual(wholeWordVariantsByRegex(text, variants));
      }),
      { numRuns: 3000 },
    );
  });

  it("tries the variants in their order at one offset and does not overlap matches", () => {
    expect(wholeWordVariants("Acme ACME Acme Corp acme", ["Acme Corp", "Acme", "ACME"])).toEqual([
      [0, 4],
      [5, 9],
      [10, 19],
    ]);
    expect(wholeWordVariants("Acmex 1Acme Acme1 Acme", ["Acme"])).toEqual([[18, 22]]);
  });
});

describe("hasLowerCaseWord", () => {
  // lower-case runs of several scripts (and an astral one), capitals, apostrophes, hyphens, digits, lone surrogates
  const piece = fc.constantFrom("relief", "Relief", "reliefs", "rel", "ab", "élan", "ǆx", "𝒶𝒷𝒸", "x", "'", "’", "-", "1", " ", "\n", ".", "\uD835", "\uDCB6", "ß", "İ");
  it("answers as the set of lower-case words a regular expression lists (fast-check)", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), fc.array(piece, { minLength: 1, maxLength: 3 }), (parts, asked) => {
        const text = parts.join("");
        const words = lowerCaseWordsByRegex(text);
        // every listed word, and words made of the pieces (listed or not)
        for (const w of [...words, asked.join(""), ...parts]) expect(hasLowerCaseWord(text, w)).toBe(words.has(w));
      }),
      { numRuns: 3000 },
    );
  });

  it("lists in one pass the set the regular expression lists (fast-check)", () => {
    const bmp = fc.constantFrom("relief", "Relief", "rel", "ab", "élan", "ǆx", "x", "'", "’", "-", "1", "٣", " ", "\n", ".", "ß", "İ", "ǅ", "\u00a0");
    fc.assert(
      fc.property(fc.array(fc.oneof(bmp, piece), { maxLength: 16 }), (parts) => {
        const text = parts.join("");
        expect([...lowerCaseWords(text)].sort()).toEqual([...lowerCaseWordsByRegex(text)].sort());
      }),
      { numRuns: 5000 },
    );
  });
});

describe("textBefore", () => {
  it("leaves out a word the window would cut", () => {
    expect(textBefore("John Martin          Jackson", 21, 12)).toBe("          ");
    expect(textBefore("lives in   Jackson", 11, 12)).toBe("lives in   ");
    expect(textBefore("in Jackson", 3, 12)).toBe("in ");
    expect(textBefore("x𝒜𝒜b c", 7, 5)).toBe(" ");
  });

  it("is the text before `at`, at most `max` long, less only a word cut at its start", () => {
    const word = /^[\p{L}\p{N}]$/u;
    const cp = (s: string, i: number): string => String.fromCodePoint(s.codePointAt(i) ?? 0);
    fc.assert(
      fc.property(chunk, chunk, chunk, fc.nat(14), fc.nat(60), (a, b, c, max, raw) => {
        const text = `${a}${b} ${c}`;
        const cut = raw % (text.length + 1);
        // a match starts at a code point, never between the halves of a pair
        const at = /[\uDC00-\uDFFF]/.test(text[cut] ?? "") && /[\uD800-\uDBFF]/.test(text[cut - 1] ?? "") ? cut - 1 : cut;
        const got = textBefore(text, at, max);
        const from = at - got.length;
        const window = Math.max(0, at - max);
        expect(text.slice(0, at).endsWith(got) && from >= window).toBe(true);
        const left = text.slice(window, from);
        if (left === "") return;
        // what was left out is a word's letters (or the second half of a pair) cut by the window, and the rest does not
        // open inside that word
        expect(/^[\uDC00-\uDFFF]?[\p{L}\p{N}]*$/u.test(left)).toBe(true);
        if (got !== "") expect(word.test(cp(text, from))).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });
});
