// A network reader's cross-validation run fold by fold in separate processes (train/network-oof-fold.ts):
// the folds' files assemble into the reader's out-of-fold logits only when they cover every sentence once.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { assembleFolds, foldCacheFile, writeLogitsCache } from "../train/network-oof-cache";
import { TrainingError } from "../train/training-options";

const C = 3;
const SIZE = 5;
/** Fold f's file: the logits of the sentences in `rows` (sentence i, category c → 10 i + c), NaN elsewhere. */
function writeFold(dir: string, fold: number, rows: number[]): void {
  const logits = new Float32Array(SIZE * C).fill(Number.NaN);
  for (const i of rows) for (let c = 0; c < C; c++) logits[i * C + c] = 10 * i + c;
  writeLogitsCache(foldCacheFile("k", fold, dir), logits, SIZE, C);
}
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "bear-oof-fold-"));

describe("assembleFolds", () => {
  it("puts each fold's held-out logits in place once every fold has its file", () => {
    const dir = tempDir();
    writeFold(dir, 0, [0, 3]);
    expect(assembleFolds("k", 2, () => undefined, dir)).toBeUndefined();
    writeFold(dir, 1, [1, 2, 4]);
    const logits = assembleFolds("k", 2, () => undefined, dir)!;
    expect(Array.from(logits)).toEqual(Array.from({ length: SIZE * C }, (_, k) => 10 * Math.floor(k / C) + (k % C)));
  });

  it("refuses folds that leave a sentence out or score one twice", () => {
    const gap = tempDir();
    writeFold(gap, 0, [0, 3]);
    writeFold(gap, 1, [1, 2]);
    expect(() => assembleFolds("k", 2, () => undefined, gap)).toThrow(TrainingError);
    const twice = tempDir();
    writeFold(twice, 0, [0, 1, 3]);
    writeFold(twice, 1, [1, 2, 4]);
    expect(() => assembleFolds("k", 2, () => undefined, twice)).toThrow(/given twice/);
  });
});
