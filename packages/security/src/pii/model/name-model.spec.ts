import fc from "fast-check";
import { NameModelError } from "../../errors";
import { NameModel } from "./name-model";
import { LABEL_COUNT, tokenize, tokenTable } from "./name-tokens";
import { shippedNameModel } from "./shipped-name-model";

describe("NameModel", () => {
  it("round-trips its weights through the file format (int16, within one quantisation step)", () => {
    const w = new Float32Array((1 << 8) * LABEL_COUNT).map((_, i) => Math.sin(i) * 3);
    const back = NameModel.fromBytes(new NameModel(8, w).toBytes(), "mem");
    const table = tokenTable("Paul Schedler signed for Good Sam Enterprises, LLC in Lake Forest.");
    const a = new NameModel(8, w).labelTokens(table).labels;
    expect(Array.from(back.labelTokens(table).labels)).toEqual(Array.from(a));
  });

  it("refuses a file that is not a name model or is cut short", () => {
    const bytes = new NameModel(8, new Float32Array((1 << 8) * LABEL_COUNT)).toBytes();
    expect(() => NameModel.fromBytes(bytes.subarray(0, 100), "cut.bin")).toThrow(NameModelError);
    expect(() => NameModel.fromBytes(Buffer.from("not a model at all"), "x.bin")).toThrow(/bad magic/);
  });

  it("reports spans inside the text, in order, not overlapping, starting and ending on a letter or digit", () => {
    const model = shippedNameModel();
    expect(model).toBeDefined();
    const word = fc.oneof(
      fc.constantFrom("Paul", "Schedler", "Acme", "Inc.", "of", "the", "Agreement", "Delaware", "&", ",", "(", "\"Company\")", "\n", "LLC", "E."),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 40 }), (words) => {
        const text = words.join(" ");
        const spans = model?.spans(text) ?? [];
        let last = 0;
        for (const s of spans) {
          expect(s.start).toBeGreaterThanOrEqual(last);
          expect(s.end).toBeLessThanOrEqual(text.length);
          expect(s.end).toBeGreaterThan(s.start);
          expect(text.slice(s.start, s.end)).toMatch(/^[\p{L}\p{N}][\s\S]*[\p{L}\p{N}.]$|^[\p{L}\p{N}]$/u);
          expect(text.slice(s.start, s.end)).not.toContain("\n");
          last = s.end;
        }
      }),
      { numRuns: 200 },
    );
  });

  it("the shipped model reads a signatory and a company in a sentence it was not trained on", () => {
    const text = "This agreement is signed by Margaret Okonkwo on behalf of Brightwater Analytics Corporation.";
    const spans = shippedNameModel()?.spans(text) ?? [];
    const found = spans.map((s) => `${s.type}:${text.slice(s.start, s.end)}`);
    expect(found).toContain("PERSON:Margaret Okonkwo");
    expect(found.some((f) => f.startsWith("ORGANIZATION:Brightwater"))).toBe(true);
  });

  it("tokenizes words, inner apostrophes and single punctuation marks with exact offsets", () => {
    const text = "O'Neil's firm, Smith & Co. (\"SC\")";
    for (const t of tokenize(text)) expect(text.slice(t.start, t.end)).toBe(t.text);
    expect(tokenize(text).map((t) => t.text)).toEqual(["O'Neil's", "firm", ",", "Smith", "&", "Co", ".", "(", '"', "SC", '"', ")"]);
  });
});
