/** How the monitor turns an agent's task outcomes into `failing` and back (a circuit breaker per agent). */
export interface FailureTrackerOptions {
  /** This many failures in a row make an agent failing at once (default 3). */
  readonly maxConsecutiveFailures?: number;
  /** Below this success rate over the last `window` outcomes an agent is failing… (default 0.5) */
  readonly minSuccessRate?: number;
  /** …once it has at least this many outcomes there (default 4). */
  readonly minSamples?: number;
  /** Outcomes the success rate looks at (default 20). */
  readonly window?: number;
  /**
   * A failing agent gets a trial task again this long after it was marked (default 30 s): it is
   * healthy on probation; one more failure marks it failing again, a success clears it.
   */
  readonly recoverAfterMs?: number;
}

interface Track {
  outcomes: boolean[];
  consecutiveFailures: number;
  /** When it was last marked failing (undefined while it is not). */
  failingSince: number | undefined;
  probation: boolean;
}

export type FailureVerdict = { readonly failing: false; readonly reason: string | null } | { readonly failing: true; readonly reason: string };

/**
 * Outcomes are counted here, not taken from the agent's metrics, so that forgiving an agent
 * (probation) can start its record afresh: an agent the balancer skips gets no tasks, so its
 * metrics alone would keep it failing for ever.
 */
export class FailureTracker {
  readonly #maxConsecutive: number;
  readonly #minSuccessRate: number;
  readonly #minSamples: number;
  readonly #window: number;
  readonly #recoverAfterMs: number;
  readonly #tracks = new Map<string, Track>();

  constructor(options: FailureTrackerOptions = {}) {
    this.#maxConsecutive = options.maxConsecutiveFailures ?? 3;
    this.#minSuccessRate = options.minSuccessRate ?? 0.5;
    this.#minSamples = options.minSamples ?? 4;
    this.#window = options.window ?? 20;
    this.#recoverAfterMs = options.recoverAfterMs ?? 30_000;
  }

  record(agentId: string, ok: boolean): void {
    const track = this.#track(agentId);
    track.outcomes.push(ok);
    if (track.outcomes.length > this.#window) track.outcomes.shift();
    track.consecutiveFailures = ok ? 0 : track.consecutiveFailures + 1;
    if (ok) track.probation = false;
  }

  /** Whether the agent is failing at `now`; a failing agent whose time is up goes on probation. */
  judge(agentId: string, now: number): FailureVerdict {
    const track = this.#tracks.get(agentId);
    if (!track) return { failing: false, reason: null };
    if (track.failingSince !== undefined && now - track.failingSince >= this.#recoverAfterMs) {
      // Forgiven: a fresh record, and one trial task decides.
      track.failingSince = undefined;
      track.outcomes = [];
      track.consecutiveFailures = 0;
      track.probation = true;
      return { failing: false, reason: null };
    }
    const reason = this.#failure(track);
    if (!reason) {
      track.failingSince = undefined;
      return { failing: false, reason: null };
    }
    track.failingSince ??= now;
    return { failing: true, reason };
  }

  /** True between being forgiven and the next outcome. */
  onProbation(agentId: string): boolean {
    return this.#tracks.get(agentId)?.probation ?? false;
  }

  forget(agentId: string): void {
    this.#tracks.delete(agentId);
  }

  #failure(track: Track): string | null {
    if (track.probation && track.consecutiveFailures > 0) return `failed again on probation (after ${this.#recoverAfterMs} ms out of the pool)`;
    const n = track.outcomes.length;
    if (n >= this.#minSamples) {
      const rate = track.outcomes.filter(Boolean).length / n;
      if (rate < this.#minSuccessRate) return `recent success rate ${Math.round(rate * 100)}% (minimum ${Math.round(this.#minSuccessRate * 100)}%)`;
    }
    if (track.consecutiveFailures >= this.#maxConsecutive) return `${track.consecutiveFailures} failures in a row (limit ${this.#maxConsecutive})`;
    return null;
  }

  #track(agentId: string): Track {
    let track = this.#tracks.get(agentId);
    if (!track) this.#tracks.set(agentId, (track = { outcomes: [], consecutiveFailures: 0, failingSince: undefined, probation: false }));
    return track;
  }
}
