import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { FailureTracker } from "./failure-tracker";

describe("FailureTracker", () => {
  it("is failing exactly when the last N outcomes failed or the recent rate is too low", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 40 }), fc.integer({ min: 1, max: 6 }), (outcomes, limit) => {
        const tracker = new FailureTracker({ maxConsecutiveFailures: limit, minSamples: 4, minSuccessRate: 0.5, window: 20 });
        for (const ok of outcomes) tracker.record("a", ok);
        const tail = outcomes.slice(-limit);
        const recent = outcomes.slice(-20);
        const expected =
          (tail.length === limit && tail.every((ok) => !ok)) || (recent.length >= 4 && recent.filter(Boolean).length / recent.length < 0.5);
        expect(tracker.judge("a", 0).failing).toBe(expected);
      }),
    );
  });

  it("forgives a failing agent after recoverAfterMs; one failure on probation takes it out again, a success ends probation", () => {
    const tracker = new FailureTracker({ maxConsecutiveFailures: 2, recoverAfterMs: 1000 });
    tracker.record("a", false);
    tracker.record("a", false);
    expect(tracker.judge("a", 5000)).toEqual({ failing: true, reason: "2 failures in a row (limit 2)" });
    expect(tracker.judge("a", 5999).failing).toBe(true);
    expect(tracker.judge("a", 6000).failing).toBe(false);
    expect(tracker.onProbation("a")).toBe(true);
    tracker.record("a", false);
    expect(tracker.judge("a", 6001)).toEqual({ failing: true, reason: "failed again on probation (after 1000 ms out of the pool)" });
    expect(tracker.judge("a", 7001).failing).toBe(false);
    tracker.record("a", true);
    expect(tracker.onProbation("a")).toBe(false);
    tracker.record("a", false);
    expect(tracker.judge("a", 7002).failing).toBe(false);
  });
});
