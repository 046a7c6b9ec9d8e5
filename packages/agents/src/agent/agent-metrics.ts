import type { AgentMetrics, CapabilityStats, LatencySummary } from "./agent";

/** Nearest-rank percentile of an ascending list (0 for an empty one); `p` in 0..100. */
export function percentile(sortedAscending: readonly number[], p: number): number {
  if (sortedAscending.length === 0) return 0;
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sortedAscending.length);
  return sortedAscending[Math.max(0, rank - 1)]!;
}

/** Latency percentiles of a list of durations. */
export function summarizeLatencies(durations: readonly number[]): LatencySummary {
  const sorted = [...durations].sort((a, b) => a - b);
  const round = (n: number): number => Math.round(n * 1000) / 1000;
  return {
    count: sorted.length,
    meanMs: round(sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0),
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.length ? sorted[sorted.length - 1]! : 0),
  };
}

/** A fixed-size ring of the latest values. */
class Ring<T> {
  readonly #items: T[] = [];
  #next = 0;
  constructor(readonly capacity: number) {}
  push(value: T): void {
    if (this.#items.length < this.capacity) this.#items.push(value);
    else this.#items[this.#next] = value;
    this.#next = (this.#next + 1) % this.capacity;
  }
  values(): readonly T[] {
    return this.#items;
  }
}

export interface AgentMetricsOptions {
  /** Durations kept for percentiles (default 256). */
  readonly latencyWindow?: number;
  /** Outcomes the success rate looks at (default 20): a failing agent shows up quickly. */
  readonly recentWindow?: number;
  /** Weight of the newest duration in the smoothed latency (default 0.3). */
  readonly smoothing?: number;
}

interface CapabilityRecord {
  readonly outcomes: Ring<boolean>;
  latencyMs: number | undefined;
}

/** Task counts, recent success rate and latency percentiles of one agent, overall and per capability. */
export class AgentMetricsRecorder {
  readonly #latencies: Ring<number>;
  readonly #outcomes: Ring<boolean>;
  readonly #byCapability = new Map<string, CapabilityRecord>();
  readonly #recentWindow: number;
  readonly #smoothing: number;
  #completed = 0;
  #failed = 0;
  #cancelled = 0;
  #refused = 0;

  constructor(options: AgentMetricsOptions = {}) {
    this.#latencies = new Ring(options.latencyWindow ?? 256);
    this.#recentWindow = options.recentWindow ?? 20;
    this.#outcomes = new Ring(this.#recentWindow);
    this.#smoothing = options.smoothing ?? 0.3;
  }

  record(capability: string, outcome: "completed" | "failed" | "cancelled" | "refused", durationMs: number): void {
    // neither is the agent's doing: counted, never in its success rate or latency
    if (outcome === "cancelled") {
      this.#cancelled++;
      return;
    }
    if (outcome === "refused") {
      this.#refused++;
      return;
    }
    const ok = outcome === "completed";
    if (ok) this.#completed++;
    else this.#failed++;
    this.#outcomes.push(ok);
    this.#latencies.push(durationMs);
    let record = this.#byCapability.get(capability);
    if (!record) {
      record = { outcomes: new Ring(this.#recentWindow), latencyMs: undefined };
      this.#byCapability.set(capability, record);
    }
    record.outcomes.push(ok);
    if (ok) record.latencyMs = record.latencyMs === undefined ? durationMs : record.latencyMs + this.#smoothing * (durationMs - record.latencyMs);
  }

  stats(capability: string): CapabilityStats {
    const record = this.#byCapability.get(capability);
    const outcomes = record?.outcomes.values() ?? [];
    return { samples: outcomes.length, successRate: rate(outcomes), expectedLatencyMs: record?.latencyMs };
  }

  snapshot(): Required<AgentMetrics> {
    return {
      tasksCompleted: this.#completed,
      tasksFailed: this.#failed,
      tasksCancelled: this.#cancelled,
      tasksRefused: this.#refused,
      successRate: rate(this.#outcomes.values()),
      latency: summarizeLatencies(this.#latencies.values()),
    };
  }

  /** Outcomes the overall success rate is based on. */
  get recentSamples(): number {
    return this.#outcomes.values().length;
  }
}

function rate(outcomes: readonly boolean[]): number {
  if (outcomes.length === 0) return 1;
  return outcomes.filter(Boolean).length / outcomes.length;
}
