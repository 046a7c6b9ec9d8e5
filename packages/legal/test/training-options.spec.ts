// The training scripts' checks: a network cache cut short is refused with a typed error (it was read as NaN or a
// RangeError), the cache is written whole or not at all, and a dropout or seed count that cannot work is refused.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { readArrayBundle, writeArrayBundle } from "../train/array-bundle";
import { readLogitsCache, writeLogitsCache } from "../train/network-oof-cache";
import { checkDropout, seedOption, seedsOption, TrainingError } from "../train/training-options";

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

/**
 * After a write: no temporary file is left, and the reader refuses the file cut short at `cut` (a half-written
 * file, what a reader beside network-oof-member.ts could see before the rename) and grown by `grow` bytes.
 */
function expectWholeOrRefused(dir: string, file: string, read: (file: string) => unknown, cut: number, grow: number): void {
  expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  const whole = fs.readFileSync(file);
  fs.writeFileSync(file, whole.subarray(0, cut % whole.length));
  expect(() => read(file)).toThrow(TrainingError);
  fs.writeFileSync(file, Buffer.concat([whole, Buffer.alloc(grow)]));
  expect(thrown(() => read(file))).toMatchObject({ code: "INPUT_INVALID", hint: expect.stringMatching(/^Delete .* and run again/) });
}

describe("the network out-of-fold cache", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "legal-network-cache-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads back what it wrote, leaves no temporary file, and refuses any shorter or longer file", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 6 }), fc.nat(), (size, C, cut) => {
        const file = path.join(dir, `k-${size}-${C}.bin`);
        const logits = Float32Array.from({ length: size * C }, (_, i) => Math.sin(i) * 7);
        writeLogitsCache(file, logits, size, C);
        expect(Array.from(readLogitsCache(file))).toEqual(Array.from(logits));
        expectWholeOrRefused(dir, file, readLogitsCache, cut, 4);
      }),
      { numRuns: 60 },
    );
  });
});

describe("the training caches' array bundles", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "legal-array-bundle-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads back the header and every array it wrote, and refuses a file cut short or grown", () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true }), { maxLength: 30 }), fc.array(fc.integer(), { maxLength: 20 }), fc.uint8Array({ maxLength: 20 }), fc.string(), fc.nat(), (floats, ints, bytes, note, cut) => {
        const file = path.join(dir, "bundle.bin");
        const arrays = { f: Float32Array.from(floats), i: Int32Array.from(ints), u: Uint8Array.from(bytes) };
        writeArrayBundle(file, { note, sentences: floats.length }, arrays);
        const { header, arrays: back } = readArrayBundle<{ note: string; sentences: number }>(file);
        expect(header).toMatchObject({ note, sentences: floats.length });
        for (const [name, a] of Object.entries(arrays)) {
          expect(back[name]!.constructor).toBe(a.constructor);
          expect(Buffer.from(back[name]!.buffer).equals(Buffer.from(a.buffer))).toBe(true);
        }
        expectWholeOrRefused(dir, file, readArrayBundle, cut, 1);
      }),
      { numRuns: 60 },
    );
  });
});

describe("training options", () => {
  it("takes --seeds as a whole number of at least 1", () => {
    expect(seedsOption([], 5)).toBe(5);
    expect(seedsOption(["--seeds=1"], 5)).toBe(1);
    for (const bad of ["--seeds=0", "--seeds=-2", "--seeds=2.5", "--seeds=five", "--seeds="]) expect(() => seedsOption([bad], 5)).toThrow(TrainingError);
  });

  it("takes --seed as a whole number of at least 0, apart from --seeds", () => {
    expect(seedOption([], 16)).toBe(16);
    expect(seedOption(["--seeds=3", "--seed=21"], 16)).toBe(21);
    expect(seedOption(["--seeds=3"], 16)).toBe(16);
    for (const bad of ["--seed=-1", "--seed=2.5", "--seed=x", "--seed="]) expect(() => seedOption([bad], 16)).toThrow(TrainingError);
  });

  it("takes a dropout share in [0, 1) only", () => {
    expect(checkDropout("hiddenDropout", 0)).toBe(0);
    expect(checkDropout("hiddenDropout", 0.25)).toBe(0.25);
    for (const bad of [1, 1.5, -0.1, Number.NaN]) expect(() => checkDropout("hiddenDropout", bad)).toThrow(/hiddenDropout must be a share in \[0, 1\)/);
  });
});
