import { describe, expect, it } from "@jest/globals";
import * as arrow from "apache-arrow";
import fc from "fast-check";
import { arrowTable } from "./arrow-columns";

const schema = new arrow.Schema([new arrow.Field("s", new arrow.Utf8()), new arrow.Field("n", new arrow.Int32())]);

describe("arrowTable", () => {
  it("writes any strings (ASCII, accented, emoji, lone surrogates) that read back as their UTF-8", () => {
    const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 20 }), fc.string({ unit: "binary", maxLength: 10 }), fc.constantFrom("", "é", "\u{1F600}", "plain ascii"));
    fc.assert(
      fc.property(fc.array(text, { maxLength: 40 }), (values) => {
        const table = arrowTable(arrow, schema, { s: values, n: values.map((_, i) => i) }, values.length);
        // What UTF-8 round-trips to (a lone surrogate becomes U+FFFD), as Buffer.write stores it.
        const expected = values.map((v) => Buffer.from(v, "utf8").toString("utf8"));
        const column = table.getChild("s");
        expect(Array.from({ length: values.length }, (_, i) => column?.get(i) as string)).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps each string's own bytes when a lone surrogate ends one string and another starts the next", () => {
    const values = ["a\uD83D", "\uDE00b", "plain", "é"];
    const table = arrowTable(arrow, schema, { s: values, n: [0, 1, 2, 3] }, values.length);
    expect(Array.from({ length: 4 }, (_, i) => table.getChild("s")?.get(i) as string)).toEqual(["a\uFFFD", "\uFFFDb", "plain", "é"]);
  });
});
