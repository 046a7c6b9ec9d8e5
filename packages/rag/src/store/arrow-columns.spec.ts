import { describe, expect, it } from "@jest/globals";
import * as arrow from "apache-arrow";
import fc from "fast-check";
import { arrowTable } from "./arrow-columns";

const schema = new arrow.Schema([new arrow.Field("s", new arrow.Utf8()), new arrow.Field("n", new arrow.Int32())]);

describe("arrowTable", () => {
  it("writes any strings (ASCII columns in one piece, others string by string) that read back unchanged", () => {
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
});
