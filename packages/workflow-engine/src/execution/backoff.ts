import { durationMs, type RetryPolicy } from "../definition/workflow-definition";

export interface BackoffSettings {
  readonly initialMs: number;
  readonly factor: number;
  readonly maxMs: number;
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { initialMs: 200, factor: 2, maxMs: 30_000, jitter: 0.5 };

export function backoffSettings(policy: RetryPolicy | undefined): BackoffSettings {
  const b = policy?.backoff;
  if (b === undefined) return DEFAULT_BACKOFF;
  if (typeof b === "number" || typeof b === "string") return { ...DEFAULT_BACKOFF, initialMs: durationMs(b) };
  return { initialMs: durationMs(b.initial), factor: b.factor, maxMs: durationMs(b.max), jitter: b.jitter };
}

/**
 * The wait before retry number `retry` (1 = the first retry): exponential, capped, with the
 * `jitter` fraction of it randomised so many failing steps do not retry in lockstep.
 */
export function backoffDelay(settings: BackoffSettings, retry: number, random: () => number = Math.random): number {
  const base = Math.min(settings.maxMs, settings.initialMs * settings.factor ** Math.max(0, retry - 1));
  return Math.round(base * (1 - settings.jitter) + base * settings.jitter * random());
}
