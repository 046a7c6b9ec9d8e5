// Per-hypothesis decision thresholds of the NDA checklist's aggregator, as offsets to its "met" and "contradicted"
// biases (the aggregator's first feature is a constant 1, so an offset there is exactly a threshold on the odds of
// that label against "absent"). Chosen on out-of-fold aggregator probabilities of the dev NDAs only.

/** The offsets tried for each of "met" and "contradicted" (0 = the aggregator's own argmax). */
export const OFFSET_GRID = [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2] as const;

/** One scored case: the aggregator's probabilities (met, contradicted, absent) and the gold label's index. */
export interface OffsetCase {
  readonly probabilities: readonly [number, number, number];
  readonly gold: number;
}

export type DecisionOffsets = readonly [met: number, contradicted: number];

/** The label chosen under `offsets`: argmax of log-probability plus offset (absent has none). */
export function decide(probabilities: readonly [number, number, number], [met, contradicted]: DecisionOffsets): number {
  const z = [Math.log(probabilities[0]) + met, Math.log(probabilities[1]) + contradicted, Math.log(probabilities[2])];
  return z.indexOf(Math.max(...z));
}

/**
 * The offsets that get the most cases right; among equals the smallest (|met| + |contradicted|), so an offset is
 * taken only where it changes a decision for the better on these cases, and only if it gets at least `minGain`
 * more cases right than none.
 */
export function chooseOffsets(cases: readonly OffsetCase[], minGain = 1): DecisionOffsets {
  let best: DecisionOffsets = [0, 0];
  let bestRight = -1;
  for (const met of OFFSET_GRID)
    for (const contradicted of OFFSET_GRID) {
      const right = cases.filter((c) => decide(c.probabilities, [met, contradicted]) === c.gold).length;
      const size = Math.abs(met) + Math.abs(contradicted);
      if (right > bestRight || (right === bestRight && size < Math.abs(best[0]) + Math.abs(best[1]))) {
        best = [met, contradicted];
        bestRight = right;
      }
    }
  const right0 = cases.filter((c) => decide(c.probabilities, [0, 0]) === c.gold).length;
  return bestRight - right0 >= minGain ? best : [0, 0];
}

/** Aggregator weights (3 × `features`, constant feature first) with the offsets added to the met and contradicted biases. */
export function withOffsets(weights: readonly number[], features: number, [met, contradicted]: DecisionOffsets): number[] {
  const out = [...weights];
  out[0] = out[0]! + met;
  out[features] = out[features]! + contradicted;
  return out;
}
