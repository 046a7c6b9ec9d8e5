import { randomBytes } from "node:crypto";
import fc from "fast-check";
import type { ContentCipher } from "@bear/core";
import { createHmac } from "node:crypto";
import { blindText, searchTerms } from "./search-terms";

/** Blind tokens as any keyed ContentCipher gives them (only blindTerm is used here). */
const key = randomBytes(32);
const blinder = { blindTerm: (t: string) => createHmac("sha256", key).update(t).digest("hex").slice(0, 20) } as ContentCipher;

describe("search terms of the encrypted index", () => {
  it("folds case and accents, drops stop words and punctuation, and stems", () => {
    expect(searchTerms("The Licensee's TERMINATION of the Agreement — résumé, notices; 12.3(b)")).toEqual([
      "license", "s", "termin", "agreement", "resum", "notic", "12", "3", "b",
    ]);
  });

  it("gives the query the same tokens as the text it should find (inflections match)", () => {
    expect(blindText("terminating agreements", blinder).split(" ")).toEqual(blindText("terminate agreement", blinder).split(" "));
  });

  it("never lets a term through in clear: every token is blind, one per term", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const tokens = blindText(text, blinder).split(" ").filter(Boolean);
        expect(tokens).toHaveLength(searchTerms(text).length);
        for (const t of tokens) expect(t).toMatch(/^[0-9a-f]{20}$/);
      }),
    );
  });
});
