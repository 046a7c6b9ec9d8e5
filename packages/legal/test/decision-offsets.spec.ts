// The NDA checklist's decision thresholds (train/decision-offsets.ts): an offset folded into the aggregator's bias
// decides exactly as the threshold it stands for, and offsets are taken only where they get more cases right.
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { AGGREGATE_FEATURES, aggregate } from "../src/compliance/nli-model/checklist-model";
import { chooseOffsets, decide, OFFSET_GRID, withOffsets, type OffsetCase } from "../train/decision-offsets";

const argmax = (p: readonly number[]) => p.indexOf(Math.max(...p));
const weight = fc.double({ min: -3, max: 3, noNaN: true });

describe("decision offsets", () => {
  it("folded into the aggregator's biases, decide as the thresholds they stand for", () => {
    fc.assert(
      fc.property(
        fc.array(weight, { minLength: 3 * AGGREGATE_FEATURES, maxLength: 3 * AGGREGATE_FEATURES }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: AGGREGATE_FEATURES - 1, maxLength: AGGREGATE_FEATURES - 1 }),
        fc.constantFrom(...OFFSET_GRID),
        fc.constantFrom(...OFFSET_GRID),
        (w, rest, met, contradicted) => {
          const x = Float64Array.from([1, ...rest]);
          const shifted = aggregate(withOffsets(w, AGGREGATE_FEATURES, [met, contradicted]), x);
          const base = aggregate(w, x);
          // Ties (equal log-odds after the shift) are measure-zero for doubles; skip them rather than fix an order.
          const z = [Math.log(base[0]) + met, Math.log(base[1]) + contradicted, Math.log(base[2])].sort((a, b) => b - a);
          fc.pre(z[0]! - z[1]! > 1e-9);
          expect(argmax(shifted)).toBe(decide(base, [met, contradicted]));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps no offset unless one gets at least minGain more cases right, and prefers the smallest among equals", () => {
    const absentLooksMet: OffsetCase[] = [
      { probabilities: [0.3, 0.1, 0.6], gold: 0 },
      { probabilities: [0.35, 0.1, 0.55], gold: 0 },
      { probabilities: [0.05, 0.05, 0.9], gold: 2 },
    ];
    // +1 on "met" turns both near misses right and leaves the clear "absent" alone; +0.5 turns only one.
    expect(chooseOffsets(absentLooksMet)).toEqual([1, 0]);
    expect(chooseOffsets(absentLooksMet, 3)).toEqual([0, 0]);
    // Already all right: no offset.
    expect(chooseOffsets([{ probabilities: [0.7, 0.1, 0.2], gold: 0 }, { probabilities: [0.1, 0.2, 0.7], gold: 2 }])).toEqual([0, 0]);
  });
});
