import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import type { AgentLoad, CapabilityStats } from "../agent/agent";
import { NoCapableAgentError } from "../errors";
import { AdaptiveLoadBalancer, type BalancingCandidate } from "./adaptive-load-balancer";

interface Fake extends BalancingCandidate {
  load: AgentLoad;
  statsFor: CapabilityStats;
}
const fake = (id: string, capabilities: string[], load: Partial<AgentLoad> = {}, stats: Partial<CapabilityStats> = {}): Fake => {
  const f: Fake = {
    id,
    capabilities,
    load: { running: 0, queued: 0, capacity: 2, ...load },
    statsFor: { samples: 0, successRate: 1, expectedLatencyMs: undefined, ...stats },
    stats: () => f.statsFor,
  };
  return f;
};

const CAPS = ["term_extraction", "risk_assessment", "compliance_check", "llm_generation"];
const arbCandidate = fc.record({
  capabilities: fc.subarray(CAPS, { minLength: 1 }),
  running: fc.integer({ min: 0, max: 8 }),
  queued: fc.integer({ min: 0, max: 8 }),
  capacity: fc.integer({ min: 1, max: 4 }),
  samples: fc.integer({ min: 0, max: 20 }),
  successRate: fc.double({ min: 0, max: 1, noNaN: true }),
  latency: fc.option(fc.double({ min: 1, max: 10_000, noNaN: true }), { nil: undefined }),
});
// Plain data; fakes are built inside each property run (a property mutates them, and fast-check reuses generated values while shrinking).
const arbSpecs = fc.array(arbCandidate, { minLength: 1, maxLength: 6 });
type Spec = { capabilities: string[]; running: number; queued: number; capacity: number; samples: number; successRate: number; latency: number | undefined };
const toFakes = (list: readonly Spec[]): Fake[] =>
  list.map((c, i) => fake(`a${i}`, c.capabilities, { running: c.running, queued: c.queued, capacity: c.capacity }, { samples: c.samples, successRate: c.samples ? c.successRate : 1, expectedLatencyMs: c.latency }));

describe("AdaptiveLoadBalancer", () => {
  const balancer = new AdaptiveLoadBalancer();

  it("names the missing capability and what is available when no agent can do a task", () => {
    const agents = [fake("x", ["term_extraction"]), fake("y", ["llm_generation"])];
    expect(() => balancer.select("compliance_check", agents)).toThrow(NoCapableAgentError);
    expect(() => balancer.select("compliance_check", agents)).toThrow(
      "no registered agent has the capability 'compliance_check' (capabilities available: llm_generation, term_extraction)",
    );
  });

  it("only ever picks a capable agent, scores in [0, 1], ranked best first (property)", () => {
    fc.assert(
      fc.property(arbSpecs, fc.constantFrom(...CAPS), (specs, capability) => {
        const agents = toFakes(specs);
        const capable = agents.filter((a) => a.capabilities.includes(capability));
        if (capable.length === 0) {
          expect(() => balancer.rank(capability, agents)).toThrow(NoCapableAgentError);
          return;
        }
        const ranked = balancer.rank(capability, agents);
        expect(ranked.map((r) => r.agentId).sort()).toEqual(capable.map((a) => a.id).sort());
        for (const r of ranked) {
          expect(r.score).toBeGreaterThanOrEqual(0);
          expect(r.score).toBeLessThanOrEqual(1 + 1e-9);
        }
        // Free agents first, then busy ones; best score first within each.
        const tier = (r: (typeof ranked)[number]): number => (r.available ? 0 : 1);
        for (let i = 1; i < ranked.length; i++) {
          expect(tier(ranked[i - 1]!)).toBeLessThanOrEqual(tier(ranked[i]!));
          if (tier(ranked[i - 1]!) === tier(ranked[i]!)) expect(ranked[i - 1]!.score).toBeGreaterThanOrEqual(ranked[i]!.score);
        }
        for (const r of ranked) expect(r.available).toBe(r.candidate.load.running < r.candidate.load.capacity);
      }),
    );
  });

  it("more load never raises an agent's score; nor does a worse success rate or a slower history (property)", () => {
    fc.assert(
      fc.property(arbSpecs, fc.integer({ min: 1, max: 5 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 1, max: 5, noNaN: true }), (specs, extra, worse, slower) => {
        const agents = toFakes(specs);
        const target = agents[0]!;
        const capability = target.capabilities[0]!;
        const scoreOf = (): number => balancer.rank(capability, agents).find((r) => r.agentId === target.id)!.score;
        const before = scoreOf();
        target.load = { ...target.load, queued: target.load.queued + extra };
        const loaded = scoreOf();
        expect(loaded).toBeLessThanOrEqual(before + 1e-12);
        // same history length, lower (or equal) success rate
        if (target.statsFor.samples > 0) target.statsFor = { ...target.statsFor, successRate: Math.min(worse, target.statsFor.successRate) };
        const failing = scoreOf();
        expect(failing).toBeLessThanOrEqual(loaded + 1e-12);
        if (target.statsFor.expectedLatencyMs !== undefined) {
          target.statsFor = { ...target.statsFor, expectedLatencyMs: target.statsFor.expectedLatencyMs * slower };
          expect(scoreOf()).toBeLessThanOrEqual(failing + 1e-12);
        }
      }),
    );
  });

  it("weighs the parts as the seed does (capability 0.4, history 0.3, load 0.2, predicted time 0.1)", () => {
    const [r] = balancer.rank("x", [fake("a", ["x", "y", "z", "w"], { running: 1, capacity: 2 }, { samples: 8, successRate: 0.5, expectedLatencyMs: 100 })]);
    expect(r!.score).toBeCloseTo((0.4 * r!.capabilityMatch + 0.3 * r!.performance + 0.2 * r!.loadFactor + 0.1 * r!.completion) / 1.0, 12);
    expect(r!.capabilityMatch).toBeCloseTo(0.5, 12);
    expect(r!.loadFactor).toBeCloseTo(1 / 1.5, 12);
  });

  it("skips a busy agent and an unhealthy one while another capable agent is free and healthy", () => {
    // 'fast' has the better score, but every slot of it is taken: the seed's balancer skips busy agents.
    const fast = fake("fast", ["x"], { running: 2, capacity: 2 }, { samples: 20, expectedLatencyMs: 10 });
    const idle = fake("idle", ["x"], {}, { samples: 20, expectedLatencyMs: 100 });
    expect(balancer.select("x", [fast, idle]).agentId).toBe("idle");
    const sick = { ...fake("sick", ["x"], {}, { samples: 20, expectedLatencyMs: 1 }), health: "failing" };
    expect(balancer.select("x", [sick, idle]).agentId).toBe("idle");
    // With nobody free, a healthy busy agent queues the task before an unhealthy one gets it…
    expect(balancer.select("x", [sick, fast]).agentId).toBe("fast");
    // …and an unhealthy agent is the last resort, not a failure.
    expect(balancer.select("x", [sick]).agentId).toBe("sick");
  });

  it("avoids excluded agents unless no other capable agent is left", () => {
    const agents = [fake("good", ["x"]), fake("other", ["x"], { running: 2 })];
    expect(balancer.select("x", agents).agentId).toBe("good");
    expect(balancer.select("x", agents, { exclude: ["good"] }).agentId).toBe("other");
    expect(balancer.select("x", agents, { exclude: ["good", "other"] }).agentId).toBe("good");
  });

  it("prefers the specialist over a generalist, and a fast agent over a slow one at equal load", () => {
    expect(balancer.select("x", [fake("generalist", ["x", "y", "z", "w"]), fake("specialist", ["x"])]).agentId).toBe("specialist");
    expect(balancer.select("x", [fake("slow", ["x"], {}, { samples: 5, expectedLatencyMs: 900 }), fake("fast", ["x"], {}, { samples: 5, expectedLatencyMs: 100 })]).agentId).toBe("fast");
  });

  it("gives a busy or failing agent fewer tasks over a simulated workload", () => {
    // Three agents; 'flaky' fails 70% of its tasks, 'slow' takes 5x as long. Tasks arrive faster than they finish.
    const sim = ["steady", "flaky", "slow"].map((id) => ({ id, capabilities: ["x"], running: 0, ok: 0, n: 0, latency: id === "slow" ? 500 : 100, done: [] as number[] }));
    const candidates: BalancingCandidate[] = sim.map((s) => ({
      id: s.id,
      capabilities: s.capabilities,
      get load() {
        return { running: s.running, queued: 0, capacity: 2 };
      },
      stats: () => ({ samples: s.n, successRate: s.n ? s.ok / s.n : 1, expectedLatencyMs: s.n ? s.latency : undefined }),
    }));
    const assigned = new Map<string, number>();
    let seed = 42;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let t = 0; t < 3000; t += 20) {
      for (const s of sim) {
        const finishing = s.done.filter((end) => end <= t).length;
        s.done = s.done.filter((end) => end > t);
        for (let i = 0; i < finishing; i++) {
          s.running--;
          s.n++;
          if (!(s.id === "flaky" && random() < 0.7)) s.ok++;
        }
      }
      const pick = sim.find((s) => s.id === balancer.select("x", candidates).agentId)!;
      assigned.set(pick.id, (assigned.get(pick.id) ?? 0) + 1);
      pick.running++;
      pick.done.push(t + pick.latency);
    }
    expect(assigned.get("steady")!).toBeGreaterThan(assigned.get("flaky") ?? 0);
    expect(assigned.get("steady")!).toBeGreaterThan(assigned.get("slow") ?? 0);
  });
});
