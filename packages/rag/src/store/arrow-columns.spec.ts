import { describe, expect, it } from "@jest/globals";
import * as arrow from "apache-arrow";
import fc from "fast-check";
import { arrowTable, checkUtf8Size, JoinedStrings } from "./arrow-columns";

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

  it("writes joined strings as each head's UTF-8 then its tail's, and repeated values as the same bytes", () => {
    const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: "binary", maxLength: 8 }), fc.constantFrom("", "é", "\u{1F600}", "shared header\n"));
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text, fc.constantFrom("new", "row", "head")), { maxLength: 30 }), (rows) => {
        // Some rows repeat the row before them (a chunk's document id over its chunks), some only its head (a section's header).
        const pairs: (readonly [string, string])[] = rows.map(([h, t]) => [h, t] as const);
        rows.forEach(([, t, repeat], i) => {
          if (repeat === "row" && i > 0) pairs[i] = pairs[i - 1]!;
          if (repeat === "head" && i > 0) pairs[i] = [pairs[i - 1]![0], t];
        });
        const heads = pairs.map((p) => p[0]);
        const tails = pairs.map((p) => p[1]);
        const table = arrowTable(arrow, schema, { s: new JoinedStrings(heads, tails), n: heads.map((_, i) => i) }, heads.length);
        const utf8 = (v: string): string => Buffer.from(v, "utf8").toString("utf8");
        const column = table.getChild("s");
        expect(Array.from({ length: heads.length }, (_, i) => column?.get(i) as string)).toEqual(pairs.map(([h, t]) => utf8(h) + utf8(t)));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("checkUtf8Size", () => {
  it("refuses a batch over 2 GiB, including sizes between 2^31 and 2^32 that would wrap Int32 offsets", () => {
    expect(() => checkUtf8Size(0x7fffffff, 3)).not.toThrow();
    for (const bytes of [0x80000000, 0xc0000000, 0xffffffff, 0x100000000]) expect(() => checkUtf8Size(bytes, 3)).toThrow(/over 2 GiB/);
  });
});
