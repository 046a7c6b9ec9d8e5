import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it, beforeAll } from "@jest/globals";
import fc from "fast-check";
import { WordPieceTokenizer } from "./wordpiece-tokenizer";

const shared = path.resolve(import.meta.dirname, "../../../../../shared");
const miniLmDir = path.join(shared, "models/tokenizers/all-MiniLM-L6-v2");
const onnxDir = path.join(shared, "models/model2vec-vq128-bge-base/onnx");

describe("WordPieceTokenizer", () => {
  let miniLm: WordPieceTokenizer;
  beforeAll(async () => {
    miniLm = await WordPieceTokenizer.fromDirectory(miniLmDir);
  });

  it("encodes 'Hello world' as the bert-base-uncased ids [101, 7592, 2088, 102]", () => {
    expect(miniLm.encode("Hello world")).toEqual([101, 7592, 2088, 102]);
  });

  it("splits unknown words into ## sub-words and punctuation into its own tokens", () => {
    const ids = miniLm.encode("The indemnification clause is unenforceable.");
    expect(ids).toHaveLength(14);
    expect(ids[0]).toBe(101);
    expect(ids.at(-1)).toBe(102);
    expect(miniLm.preTokenize("Café, 12.3(b)!")).toEqual(["cafe", ",", "12", ".", "3", "(", "b", ")", "!"]);
  });

  it("reads the same vocabulary from tokenizer.json and vocab.txt", async () => {
    const fromJson = await WordPieceTokenizer.fromDirectory(onnxDir);
    const fromTxt = WordPieceTokenizer.fromVocabTxt(await readFile(path.join(onnxDir, "vocab.txt"), "utf8"));
    for (const s of ["The tenant must pay rent on the first day of each month.", "Governing law: Delaware; §12.3(b)"]) {
      expect(fromTxt.encode(s)).toEqual(fromJson.encode(s));
    }
  });

  it("always frames with [CLS]/[SEP], respects maxLength and never throws on any string", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: "binary" }), fc.integer({ min: 2, max: 64 }), (text, max) => {
        const ids = miniLm.encode(text, max);
        expect(ids[0]).toBe(miniLm.clsId);
        expect(ids.at(-1)).toBe(miniLm.sepId);
        expect(ids.length).toBeLessThanOrEqual(max);
        expect(ids.every((id) => Number.isInteger(id) && id >= 0 && id < miniLm.vocabSize)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
