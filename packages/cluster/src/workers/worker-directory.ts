import type { Redis } from "ioredis";
import { AdaptiveLoadBalancer, type BalancingCandidate, type CandidateScore } from "@bear/agents";
import { ClusterError } from "../errors";
import { covers, liveWorkers, type WorkerReport } from "./worker-presence";

/** A live worker as the agents package's AdaptiveLoadBalancer sees it (capability, load, history). */
export class RemoteWorkerCandidate implements BalancingCandidate {
  constructor(
    readonly report: WorkerReport,
    private readonly capability: string,
  ) {}
  get id(): string {
    return this.report.id;
  }
  get capabilities(): readonly string[] {
    return covers(this.report.capabilities, this.capability) ? [this.capability] : [];
  }
  get load() {
    return { running: this.report.running, queued: 0, capacity: this.report.concurrency };
  }
  stats(capability: string) {
    const h = this.report.history[capability];
    return { samples: h?.samples ?? 0, successRate: h && h.samples > 0 ? h.successes / h.samples : 1, expectedLatencyMs: h?.ewmaMs ?? undefined };
  }
}

/**
 * The live workers, read from their reports (cached for `refreshMs`), and the balancer's view of
 * who is best placed for a step type. BullMQ hands each job to a free worker of its queue; the
 * balancer decides whether a capable worker exists at all (a step waits up to `waitForWorkerMs`
 * for one, then fails with NO_CAPABLE_WORKER) and predicts the completion time that the logs and
 * `bear doctor` show.
 */
export class WorkerDirectory {
  readonly #balancer = new AdaptiveLoadBalancer();
  #cache: { at: number; reports: WorkerReport[] } | undefined;
  constructor(
    private readonly redis: Redis,
    private readonly options: { readonly refreshMs?: number; readonly waitForWorkerMs?: number } = {},
  ) {}

  async live(): Promise<WorkerReport[]> {
    const now = Date.now();
    if (this.#cache && now - this.#cache.at < (this.options.refreshMs ?? 1_000)) return this.#cache.reports;
    const reports = await liveWorkers(this.redis);
    this.#cache = { at: now, reports };
    return reports;
  }

  /** The balancer's ranking of live workers for `capability` (best first), or [] when none can do it. */
  async rank(capability: string): Promise<CandidateScore[]> {
    const candidates = (await this.live()).map((r) => new RemoteWorkerCandidate(r, capability)).filter((c) => c.capabilities.length > 0);
    if (candidates.length === 0) return [];
    return this.#balancer.rank(capability, candidates).map(({ candidate: _c, ...score }) => score);
  }

  /** Resolves with the ranking once a live worker can do `capability`; NO_CAPABLE_WORKER after the wait. */
  async requireCapable(capability: string, signal?: AbortSignal): Promise<CandidateScore[]> {
    const deadline = Date.now() + (this.options.waitForWorkerMs ?? 30_000);
    for (;;) {
      const ranked = await this.rank(capability);
      if (ranked.length > 0) return ranked;
      if (Date.now() >= deadline || signal?.aborted) {
        const known = [...new Set((await this.live()).flatMap((r) => r.capabilities))];
        throw new ClusterError("NO_CAPABLE_WORKER", `no live worker can run step type '${capability}' (live workers offer: ${known.length ? known.join(", ") : "none"})`, {
          hint: "Start one: bear worker --redis URL --capabilities " + capability,
        });
      }
      this.#cache = undefined;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
