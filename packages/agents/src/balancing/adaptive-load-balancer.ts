import { InvalidArgumentError } from "@bear/core";
import type { AgentLoad, CapabilityStats } from "../agent/agent";
import { NoCapableAgentError } from "../errors";

/** What the balancer reads of an agent (a WorkflowAgent is one). */
export interface BalancingCandidate {
  readonly id: string;
  readonly capabilities: readonly string[];
  readonly load: AgentLoad;
  /** As the monitor last judged it; anything but `healthy` is skipped while a healthy agent is capable. */
  readonly health?: string;
  stats(capability: string): CapabilityStats;
}

/** Relative weights of the four parts of a score (they need not sum to 1). */
export interface BalancerWeights {
  /** How specific the agent is: one capability beats a generalist with many. */
  readonly capability: number;
  /** Recent success rate on this capability, smoothed towards a prior. */
  readonly performance: number;
  /** Free task slots. */
  readonly load: number;
  /** Predicted completion time relative to the fastest candidate. */
  readonly completion: number;
}

export interface AdaptiveLoadBalancerOptions {
  readonly weights?: Partial<BalancerWeights>;
  /** Assumed task duration when no candidate has done this capability yet (default 1000 ms). */
  readonly defaultLatencyMs?: number;
  /** Success rate assumed for an agent with no history (default 0.8). */
  readonly priorSuccessRate?: number;
  /** How many outcomes the prior is worth (default 2). */
  readonly priorWeight?: number;
}

/** One candidate's score and its parts (each 0..1), for logs and the server's inspect view. */
export interface CandidateScore {
  readonly agentId: string;
  readonly score: number;
  readonly capabilityMatch: number;
  readonly performance: number;
  readonly loadFactor: number;
  readonly completion: number;
  readonly predictedCompletionMs: number;
  /**
   * False for a busy agent (every task slot taken) or an unhealthy one: such agents are skipped,
   * as the seed's balancer skips busy agents, unless no capable agent is free and healthy (then a
   * healthy busy agent queues the task, and an unhealthy one is the last resort).
   */
  readonly available: boolean;
}

export interface SelectOptions {
  /** Agents to avoid (e.g. the ones whose result was rejected on an earlier attempt); ignored if it would leave none. */
  readonly exclude?: ReadonlySet<string> | readonly string[];
}

/** The seed architecture's weights: capability 0.4, performance history 0.3, load 0.2, predicted time 0.1. */
export const DEFAULT_BALANCER_WEIGHTS: BalancerWeights = { capability: 0.4, performance: 0.3, load: 0.2, completion: 0.1 };

/**
 * Picks the agent for a task: among the agents declaring the capability, the best combination of
 * capability match, performance history, current load and predicted completion time. Busy and
 * unhealthy agents are skipped while another capable agent is free and healthy; no capable agent
 * is a NoCapableAgentError naming the capability.
 */
export class AdaptiveLoadBalancer {
  readonly weights: BalancerWeights;
  readonly #defaultLatencyMs: number;
  readonly #prior: number;
  readonly #priorWeight: number;

  constructor(options: AdaptiveLoadBalancerOptions = {}) {
    this.weights = { ...DEFAULT_BALANCER_WEIGHTS, ...options.weights };
    for (const [name, w] of Object.entries(this.weights)) {
      if (!Number.isFinite(w) || w < 0) throw new InvalidArgumentError(`balancer weight '${name}'`, w, "a finite number >= 0");
    }
    if (Object.values(this.weights).every((w) => w === 0)) throw new InvalidArgumentError("balancer weights", this.weights, "at least one weight above 0");
    this.#defaultLatencyMs = options.defaultLatencyMs ?? 1000;
    this.#prior = options.priorSuccessRate ?? 0.8;
    this.#priorWeight = options.priorWeight ?? 2;
  }

  /** Scores of every capable candidate, best first. Throws NoCapableAgentError when there is none. */
  rank<C extends BalancingCandidate>(capability: string, candidates: readonly C[], options: SelectOptions = {}): Array<CandidateScore & { readonly candidate: C }> {
    const capable = candidates.filter((c) => c.capabilities.includes(capability));
    if (capable.length === 0) throw new NoCapableAgentError(capability, candidates.flatMap((c) => c.capabilities));
    const excluded = new Set(options.exclude ?? []);
    const pool = capable.some((c) => !excluded.has(c.id)) ? capable.filter((c) => !excluded.has(c.id)) : capable;

    const stats = pool.map((c) => c.stats(capability));
    const known = stats.map((s) => s.expectedLatencyMs).filter((ms): ms is number => ms !== undefined && Number.isFinite(ms));
    const fallbackLatency = known.length ? median(known) : this.#defaultLatencyMs;
    const predicted = pool.map((c, i) => {
      const latency = Math.max(0.001, stats[i]!.expectedLatencyMs ?? fallbackLatency);
      return latency * (1 + occupancy(c.load));
    });
    const fastest = Math.min(...predicted);
    const total = this.weights.capability + this.weights.performance + this.weights.load + this.weights.completion;

    const scored = pool.map((candidate, i) => {
      const s = stats[i]!;
      const capabilityMatch = 1 / Math.sqrt(new Set(candidate.capabilities).size);
      const performance = (s.successRate * s.samples + this.#prior * this.#priorWeight) / (s.samples + this.#priorWeight);
      const loadFactor = 1 / (1 + occupancy(candidate.load));
      const completion = fastest / predicted[i]!;
      const score =
        (this.weights.capability * capabilityMatch + this.weights.performance * performance + this.weights.load * loadFactor + this.weights.completion * completion) / total;
      const healthy = candidate.health === undefined || candidate.health === "healthy";
      const busy = candidate.load.running >= candidate.load.capacity;
      return { agentId: candidate.id, candidate, score, capabilityMatch, performance, loadFactor, completion, predictedCompletionMs: predicted[i]!, available: healthy && !busy, healthy };
    });
    // Free and healthy first, then healthy but busy (the task queues), unhealthy last; by score within each.
    const tier = (c: { available: boolean; healthy: boolean }): number => (c.available ? 0 : c.healthy ? 1 : 2);
    return scored
      .sort((a, b) => tier(a) - tier(b) || b.score - a.score || a.predictedCompletionMs - b.predictedCompletionMs || (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0))
      .map(({ healthy: _healthy, ...rest }) => rest);
  }

  /** The best candidate for `capability`, with its score. */
  select<C extends BalancingCandidate>(capability: string, candidates: readonly C[], options: SelectOptions = {}): CandidateScore & { readonly candidate: C } {
    return this.rank(capability, candidates, options)[0]!;
  }
}

/** Tasks per slot: 0 when idle, 1 when every slot is taken, more when tasks queue. */
function occupancy(load: AgentLoad): number {
  return (load.running + load.queued) / Math.max(1, load.capacity);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
