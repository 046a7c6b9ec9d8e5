import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { shared } from "../../test/fixtures";
import { addNameWords, canNameDocument, nameWords } from "./document-resolver";

/** The reference: a Set of nameWords in order, after the words already in `into`. */
const reference = (text: string, into: readonly string[] = []): string[] => [...new Set([...into, ...nameWords(text)])];

describe("addNameWords (one scan) equals nameWords (regex match and filter)", () => {
  // Pieces that exercise every rule: possessives, stop words, one- and two-digit numbers, %-escapes
  // (valid and stray), non-ASCII letters and digits, astral letters, lone surrogates, marks, punctuation.
  const piece = fc.oneof(
    fc.constantFrom("Flotek's", "FLOTEK’S", "the", "AND", "a", "7", "42", "123", "x1", "%20", "%E2%80%99s", "%zz", "100%", "Zürich", "ÉTÉ", "ｆｕｌｌ", "٣٤", "Ⅻ", "𝐀𝐁", "\ud800", "e\u0301", "naïve", "İstanbul", "ß", "_", "-", ".", "'", "’", "\n", " "),
    fc.string({ maxLength: 6 }),
    fc.string({ unit: "grapheme", maxLength: 4 }),
    fc.string({ unit: "binary", maxLength: 4 }),
  );
  it("on random texts (same words, same order)", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.array(fc.constantFrom("flotek", "supply", "42"), { maxLength: 3 }), (pieces, names) => {
        const text = pieces.join("");
        expect([...addNameWords(text, new Set(names))]).toEqual(reference(text, names));
      }),
      { numRuns: 2000 },
    );
  });

  it("on real contracts", () => {
    const dir = path.join(shared(), "data/cuad_train/full_contract_txt");
    for (const name of fs.readdirSync(dir).sort().slice(0, 40)) {
      const text = fs.readFileSync(path.join(dir, name), "utf8");
      expect([...addNameWords(text, new Set())]).toEqual(reference(text));
    }
  });
});

describe("canNameDocument", () => {
  it("refuses the words every contract uses and short numbers, as the resolver does", () => {
    expect(["agreement", "Agreements", "contract", "document", "the", "12", "7"].filter(canNameDocument)).toEqual([]);
    expect(["supply", "Orion's", "non-disclosure", "2019", "100"].every(canNameDocument)).toBe(true);
  });
});
