// The listwise expiry head's trainer (train/listwise-trainer.ts), on invented lists: it learns from the features the
// lists share to put a list's mass on the right candidate, or on "none" where the answer is none; the loss counts the
// mass on a right value that several candidates give; a fit is the same for the same seed.
import { describe, expect, it } from "@jest/globals";
import { fitListwise, type ListGroup } from "../train/listwise-trainer";

const BITS = 12;
const bucket = (name: string) => {
  let h = 2166136261;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h & ((1 << BITS) - 1);
};
const item = (...features: string[]) => Int32Array.from([...new Set(features.map(bucket))].sort((a, b) => a - b));
const fit = { hashBits: BITS, epochs: 6, learningRate: 0.2, l2: 1e-5 };
const softmax = (w: Float32Array, items: readonly Int32Array[]) => {
  const z = items.map((ix) => ix.reduce((s, f) => s + w[f]!, 0));
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
};

/**
 * A contract that states its term: the right candidate is the end of the agreement's own term, the others a notice,
 * a survival or a payment period, each with words only its own list has. One that states none: a survival and a
 * payment period only, and "none" is right. The "none" item reads whether the contract has a term sentence.
 */
function list(id: number, statesTerm: boolean): ListGroup {
  const own = (i: number) => Array.from({ length: 6 }, (_, j) => `w:${id}:${i}:${j}`);
  const candidates = statesTerm
    ? [item("bias", "role:own-term", ...own(0)), item("bias", "role:notice", ...own(1)), item("bias", "role:survival", ...own(2)), item("bias", "role:payment", ...own(3))]
    : [item("bias", "role:survival", ...own(2)), item("bias", "role:payment", ...own(3))];
  const items = [...candidates, item("none", statesTerm ? "none:term-sentence" : "none:no-term-sentence")];
  const target = new Float64Array(items.length);
  target[statesTerm ? 0 : items.length - 1] = 1;
  return { items, target };
}
const train = Array.from({ length: 40 }, (_, k) => list(k, k % 4 !== 0));

describe("fitListwise", () => {
  it("ranks the agreement's own term first in unseen lists that state one, and 'none' first in those that do not", () => {
    const w = fitListwise(train, 16, fit);
    for (let k = 1000; k < 1010; k++) {
      const g = list(k, k % 2 === 0);
      const p = softmax(w, g.items);
      const right = g.target.indexOf(1);
      expect(p.indexOf(Math.max(...p))).toBe(right);
    }
  });

  it("puts a list's mass on a value that two candidates give (written, and counted from a start)", () => {
    // Every list: the right value written and also counted from a start (two candidates), against one wrong candidate.
    const split: ListGroup[] = Array.from({ length: 30 }, (_, k) => {
      const items = [item("bias", "kind:written", `w:${k}:a`), item("bias", "kind:counted", `w:${k}:b`), item("bias", "kind:other", `w:${k}:c`), item("none")];
      return { items, target: Float64Array.from([0.5, 0.5, 0, 0]) };
    });
    const w = fitListwise(split, 16, fit);
    const p = softmax(w, [item("bias", "kind:written"), item("bias", "kind:counted"), item("bias", "kind:other"), item("none")]);
    expect(p[0]! + p[1]!).toBeGreaterThan(0.8);
  });

  it("is deterministic for the seed, and another seed fits other weights", () => {
    const a = fitListwise(train, 7, fit);
    const b = fitListwise(train, 7, fit);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(fitListwise(train, 8, fit).buffer).equals(Buffer.from(a.buffer))).toBe(false);
  });
});
