import fc from "fast-check";
import { LexicalAnalyser, MAX_TOKEN_BYTES, termOf } from "./lexical-analyser";

/** The analyser spelled out the slow way: split on anything Rust's `char::is_alphanumeric` refuses, then each token's term. */
function reference(text: string): string {
  return text
    .split(/[^\p{Alphabetic}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .map((t) => termOf(t))
    .filter((t) => t.length > 0)
    .join(" ");
}

/** Text drawn from letters of several scripts and cases, digits, separators, combining marks and surrogate pairs. */
const text = fc
  .array(
    fc.oneof(
      fc.constantFrom("a", "e", "s", "y", "i", "n", "g", "d", "T", "E", "S", "0", "7", "é", "É", "ß", "İ", "Σ", "ω", "ж", "ー", "漢", "\u0301", "𝔘", "😀", "\ud800"),
      fc.constantFrom(" ", "  ", ".", ",", "'", "-", "(", ")", "\n", "\t", "§"),
      fc.constantFrom("running", "Agreements", "TERMINATION", "indemnified", "the", "Licensee's", "generously", "skies", "x".repeat(MAX_TOKEN_BYTES - 1), "y".repeat(MAX_TOKEN_BYTES)),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(""));

describe("LexicalAnalyser (LanceDB's tokenizer, token limit, lower-casing and Porter2 stemming)", () => {
  it("splits on non-alphanumerics, drops 40-byte tokens, lower-cases character by character and stems", () => {
    const a = new LexicalAnalyser();
    expect(a.analyse("The Licensee's TERMINATION of 12 Agreements, running (b) naïve ΟΔΟΣ")).toBe("the license s termin of 12 agreement run b naïv οδοσ");
    expect(a.analyse(`${"k".repeat(MAX_TOKEN_BYTES - 1)} ${"k".repeat(MAX_TOKEN_BYTES)} ${"é".repeat(MAX_TOKEN_BYTES / 2)}`)).toBe("k".repeat(MAX_TOKEN_BYTES - 1));
  });

  it("gives the terms of the slow reference for any text, however often the words come back", () => {
    const a = new LexicalAnalyser();
    fc.assert(
      fc.property(text, (t) => {
        expect(a.analyse(t)).toBe(reference(t));
        expect(a.analyse(t)).toBe(reference(t)); // from memory this time
      }),
      { numRuns: 500 },
    );
  });

  it("packs each head's and tail's terms as one value, repeated heads and heads sharing their first lines included", () => {
    const a = new LexicalAnalyser();
    const choice = fc.array(text, { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(2), fc.nat(2), fc.boolean(), text), { minLength: 1, maxLength: 12 }), choice, choice, (rows, leads, lasts) => {
        // A document's lines (name, title, parties) above a section's line, or a head of any text.
        const heads = rows.map(([l, s, lined]) => (lined ? `${leads[l]!}\n${lasts[s]!}\n` : leads[l]!));
        const tails = rows.map(([, , , t]) => t);
        const packed = a.pack(heads, tails);
        const values = Array.from({ length: packed.length }, (_, i) => Buffer.from(packed.bytes.subarray(packed.offsets[i]!, packed.offsets[i + 1]!)).toString("utf8"));
        expect(values).toEqual(heads.map((h, i) => [reference(h), reference(tails[i]!)].filter(Boolean).join(" ")));
      }),
      { numRuns: 500 },
    );
  });

  it("packs in slices of at most so many units, others using the analyser between slices, and gives what one pack gives", async () => {
    const rows = fc.array(fc.tuple(text, text), { minLength: 0, maxLength: 30 });
    await fc.assert(
      fc.asyncProperty(rows, fc.integer({ min: 1, max: 200 }), fc.array(text, { minLength: 1, maxLength: 5 }), async (pairs, sliceUnits, queries) => {
        const heads = pairs.map(([h]) => h);
        const tails = pairs.map(([, t]) => t);
        const whole = new LexicalAnalyser().pack(heads, tails);
        const a = new LexicalAnalyser();
        const slices: { rows: number; units: number }[] = [];
        const pack = a.pack.bind(a);
        a.pack = (h, t) => {
          slices.push({ rows: h.length, units: h.reduce((n, x, i) => n + x.length + t[i]!.length, 0) });
          return pack(h, t);
        };
        let turns = 0;
        // Between slices, queries are analysed with the same analyser (its output buffer reused).
        const sliced = await a.packInSlices(heads, tails, sliceUnits, async () => {
          const query = queries[turns++ % queries.length]!;
          expect(a.analyse(query)).toBe(reference(query));
        });
        expect(Array.from(sliced.offsets)).toEqual(Array.from(whole.offsets));
        expect(Buffer.from(sliced.bytes.subarray(0, sliced.offsets[sliced.length]!)).equals(Buffer.from(whole.bytes.subarray(0, whole.offsets[whole.length]!)))).toBe(true);
        expect(turns).toBe(slices.length);
        // Every row once; a slice is one row, or rows of sliceUnits units at most.
        expect(slices.reduce((n, s) => n + s.rows, 0)).toBe(heads.length);
        for (const { rows, units } of slices) expect(rows === 1 || units <= sliceUnits).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("starts its memory over past its limit of distinct words, and still gives the same terms", () => {
    const a = new LexicalAnalyser(1_000);
    const words = Array.from({ length: 3_000 }, (_, i) => `w${i.toString(36)}ing`);
    const text = words.join(" ");
    expect(a.analyse(text)).toBe(reference(text));
    expect(a.remembered).toBeLessThan(words.length);
    expect(a.analyse("Running TERMINATIONS")).toBe("run termin");
    a.clear();
    expect(a.remembered).toBe(0);
  });

  it("folds accents before stemming when asked (sec14): a word with or without its accents makes one term", () => {
    const folding = new LexicalAnalyser(undefined, true);
    expect(folding.analyse("Société societe Genève geneve résumés resumes Zürich ÆRØ naïve")).toBe("societ societ genev genev resum resum zurich aero naiv");
    // without: LanceDB's own order (stem, then its ASCII folding): "société" stays whole, "societe" loses its "e"
    expect(new LexicalAnalyser().analyse("Société societe résumés resumes")).toBe("société societ résumé resum");
    // any text: the folded terms of the slow reference, and ASCII words as before
    fc.assert(
      fc.property(text, (t) => {
        const expected = t
          .split(/[^\p{Alphabetic}\p{N}]+/u)
          .filter((w) => w.length > 0)
          .map((w) => termOf(w, true))
          .filter((w) => w.length > 0)
          .join(" ");
        expect(folding.analyse(t)).toBe(expected);
        // eslint-disable-next-line no-control-regex -- the ASCII range
        if (!/[^\x00-\x7f]/.test(t)) expect(expected).toBe(reference(t));
      }),
      { numRuns: 500 },
    );
  });
});
