import { describe, expect, it } from "@jest/globals";
import * as arrow from "apache-arrow";
import fc from "fast-check";
import { arrowTable, checkUtf8Size, JoinedStrings, RowsBuilder } from "./arrow-columns";

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

describe("RowsBuilder", () => {
  const all = new arrow.Schema([
    new arrow.Field("s", new arrow.Utf8()),
    new arrow.Field("n", new arrow.Int32()),
    new arrow.Field("f", new arrow.Float64()),
    new arrow.Field("b", new arrow.Bool()),
    new arrow.Field("v", new arrow.FixedSizeList(2, new arrow.Field("item", new arrow.Float32(), true))),
  ]);
  const read = (table: arrow.Table): unknown[] =>
    table.toArray().map((r: Record<string, unknown>) => ({ s: r["s"], n: r["n"], f: r["f"], b: r["b"], v: Array.from(r["v"] as Iterable<number>) }));

  it("appended in any groups (a batch filled document by document), gives the table of one append of every row", () => {
    const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: "binary", maxLength: 8 }), fc.constantFrom("", "é", "\u{1F600}", "shared header\n"));
    const row = fc.record({ head: fc.oneof(text, fc.constant("same")), tail: fc.oneof(text, fc.constant("same")), n: fc.integer({ min: -1000, max: 1000 }), f: fc.double({ noNaN: true }), b: fc.boolean(), v: fc.tuple(fc.float({ noNaN: true }), fc.float({ noNaN: true })) });
    fc.assert(
      fc.property(fc.array(fc.array(row, { maxLength: 12 }), { maxLength: 8 }), (groups) => {
        const columns = (rows: readonly (typeof groups)[number][number][]) => ({
          s: new JoinedStrings(rows.map((r) => r.head), rows.map((r) => r.tail)),
          n: rows.map((r) => r.n),
          f: rows.map((r) => r.f),
          b: rows.map((r) => r.b),
          v: rows.map((r) => Float32Array.from(r.v)),
        });
        const builder = new RowsBuilder(arrow, all);
        for (const group of groups) builder.append(columns(group), group.length);
        const flat = groups.flat();
        expect(builder.length).toBe(flat.length);
        const [built, once] = [builder.table(), arrowTable(arrow, all, columns(flat), flat.length)];
        expect(read(built)).toEqual(read(once));
        // The same bytes: each value's head then tail as UTF-8 (compared raw: arrow's reader drops a leading BOM).
        const bytes = (t: arrow.Table): Buffer[] => {
          const data = t.getChild("s")!.data[0]!;
          return flat.map((_, i) => Buffer.from(data.values.subarray(data.valueOffsets[i]!, data.valueOffsets[i + 1]!)));
        };
        expect(bytes(built)).toEqual(flat.map((r) => Buffer.concat([Buffer.from(r.head, "utf8"), Buffer.from(r.tail, "utf8")])));
        expect(bytes(once)).toEqual(bytes(built));
      }),
      { numRuns: 200 },
    );
  });

  it("reusable, reset after each table and filled again, gives each batch the table a new builder gives it", () => {
    const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: "binary", maxLength: 8 }), fc.constantFrom("", "é", "\u{1F600}", "shared header\n"));
    const row = fc.record({ head: fc.oneof(text, fc.constant("same")), tail: fc.oneof(text, fc.constant("same")), n: fc.integer({ min: -1000, max: 1000 }), f: fc.double({ noNaN: true }), b: fc.boolean(), v: fc.tuple(fc.float({ noNaN: true }), fc.float({ noNaN: true })) });
    type Row = { head: string; tail: string; n: number; f: number; b: boolean; v: [number, number] };
    const columns = (rows: readonly Row[]) => ({
      s: new JoinedStrings(rows.map((r) => r.head), rows.map((r) => r.tail)),
      n: rows.map((r) => r.n),
      f: rows.map((r) => r.f),
      b: rows.map((r) => r.b),
      v: rows.map((r) => Float32Array.from(r.v)),
    });
    fc.assert(
      // Batches of documents: each batch's rows appended a document at a time into the one reused builder.
      fc.property(fc.array(fc.array(fc.array(row, { maxLength: 10 }), { maxLength: 5 }), { minLength: 1, maxLength: 5 }), (batches) => {
        const reused = new RowsBuilder(arrow, all, { reusable: true });
        for (const batch of batches) {
          for (const document of batch) reused.append(columns(document), document.length);
          const flat = batch.flat();
          const fresh = new RowsBuilder(arrow, all);
          fresh.append(columns(flat), flat.length);
          const table = reused.table();
          expect(table.numRows).toBe(flat.length);
          if (flat.length > 0) expect(read(table)).toEqual(read(fresh.table()));
          reused.reset();
        }
      }),
      { numRuns: 200 },
    );
  });

  it("can be reset only when reusable", () => {
    expect(() => new RowsBuilder(arrow, schema).reset()).toThrow(/not reusable/);
  });

  it("stores a value given as UTF-8 bytes as those bytes, between strings (which still repeat as before)", () => {
    const builder = new RowsBuilder(arrow, schema);
    builder.append({ s: ["same", Buffer.from("é bytes", "utf8"), "same", "same", new Uint8Array(0)], n: [1, 2, 3, 4, 5] }, 5);
    expect(builder.table().toArray().map((r: { s: string }) => r.s)).toEqual(["same", "é bytes", "same", "same", ""]);
  });

  it("leaves the rows before a failed append as they were (a column missing, or too few values)", () => {
    const builder = new RowsBuilder(arrow, schema);
    builder.append({ s: ["a", "b"], n: [1, 2] }, 2);
    expect(() => builder.append({ s: ["c", "d"], n: [3] }, 2)).toThrow(/column 'n' has 1 values, expected 2/);
    expect(() => builder.append({ s: ["c"] }, 1)).toThrow(/column 'n'/);
    builder.append({ s: ["b", "e"], n: [4, 5] }, 2);
    expect(builder.table().toArray().map((r: { s: string; n: number }) => [r.s, r.n])).toEqual([["a", 1], ["b", 2], ["b", 4], ["e", 5]]);
  });
});

describe("checkUtf8Size", () => {
  it("refuses a batch over 2 GiB, including sizes between 2^31 and 2^32 that would wrap Int32 offsets", () => {
    expect(() => checkUtf8Size(0x7fffffff, 3)).not.toThrow();
    for (const bytes of [0x80000000, 0xc0000000, 0xffffffff, 0x100000000]) expect(() => checkUtf8Size(bytes, 3)).toThrow(/over 2 GiB/);
  });
});
