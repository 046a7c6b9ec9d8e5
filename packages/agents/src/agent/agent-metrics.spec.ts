import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { AgentMetricsRecorder, percentile, summarizeLatencies } from "./agent-metrics";

describe("latency percentiles", () => {
  it("uses the nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([], 50)).toBe(0);
    expect(summarizeLatencies([5, 1, 3])).toMatchObject({ count: 3, p50Ms: 3, maxMs: 5, meanMs: 3 });
  });

  it("p50 <= p95 <= p99 <= max, each an observed value with the right share at or below it (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }), (xs) => {
        const s = summarizeLatencies(xs);
        expect(s.p50Ms).toBeLessThanOrEqual(s.p95Ms);
        expect(s.p95Ms).toBeLessThanOrEqual(s.p99Ms);
        expect(s.p99Ms).toBeLessThanOrEqual(s.maxMs);
        const sorted = [...xs].sort((a, b) => a - b);
        const p95 = percentile(sorted, 95);
        expect(sorted).toContain(p95);
        expect(sorted.filter((x) => x <= p95).length / sorted.length).toBeGreaterThanOrEqual(0.95);
      }),
    );
  });
});

describe("AgentMetricsRecorder", () => {
  it("counts outcomes, excludes cancellations from the success rate and forgets old outcomes", () => {
    const m = new AgentMetricsRecorder({ recentWindow: 4 });
    m.record("a", "failed", 10);
    m.record("a", "failed", 10);
    m.record("a", "cancelled", 1);
    expect(m.snapshot()).toMatchObject({ tasksCompleted: 0, tasksFailed: 2, tasksCancelled: 1, successRate: 0 });
    for (let i = 0; i < 4; i++) m.record("a", "completed", 20);
    expect(m.snapshot().successRate).toBe(1);
    expect(m.stats("a")).toMatchObject({ samples: 4, successRate: 1 });
    expect(m.stats("a").expectedLatencyMs).toBeCloseTo(20);
    expect(m.stats("other")).toEqual({ samples: 0, successRate: 1, expectedLatencyMs: undefined });
  });

  it("counts refusals (the caller's input) apart: never in the success rate, the latency or a capability's record", () => {
    const m = new AgentMetricsRecorder();
    for (let i = 0; i < 5; i++) m.record("review", "refused", 1);
    m.record("review", "completed", 30);
    expect(m.snapshot()).toMatchObject({ tasksCompleted: 1, tasksFailed: 0, tasksRefused: 5, successRate: 1 });
    expect(m.stats("review")).toMatchObject({ samples: 1, successRate: 1, expectedLatencyMs: 30 });
  });
});
