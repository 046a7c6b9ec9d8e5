import { InvalidArgumentError } from "@bear/core";
import { RateLimitedError } from "../errors";

export interface RateLimiterOptions {
  /** Bucket size: requests allowed in a burst. */
  readonly capacity: number;
  /** Tokens added per second. */
  readonly refillPerSecond: number;
  readonly now?: () => number;
  /** Buckets idle this long are forgotten (default 10 minutes). */
  readonly idleMs?: number;
}

/** A token bucket per principal. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly now: () => number;

  constructor(private readonly options: RateLimiterOptions) {
    if (!(options.capacity >= 1)) throw new InvalidArgumentError("capacity", options.capacity, "at least 1");
    if (!(options.refillPerSecond > 0)) throw new InvalidArgumentError("refillPerSecond", options.refillPerSecond, "a positive number");
    this.now = options.now ?? (() => performance.now());
  }

  /** Takes `cost` tokens if available; returns whether it did. */
  tryTake(principal: string, cost = 1): boolean {
    return this.take(principal, cost) === 0;
  }

  /** Takes `cost` tokens or throws RateLimitedError with the wait in ms. */
  consume(principal: string, cost = 1): void {
    const wait = this.take(principal, cost);
    if (wait > 0) throw new RateLimitedError(principal, wait);
  }

  private take(principal: string, cost: number): number {
    const t = this.now();
    this.sweep(t);
    const b = this.buckets.get(principal) ?? { tokens: this.options.capacity, at: t };
    b.tokens = Math.min(this.options.capacity, b.tokens + ((t - b.at) / 1000) * this.options.refillPerSecond);
    b.at = t;
    this.buckets.set(principal, b);
    if (b.tokens >= cost) {
      b.tokens -= cost;
      return 0;
    }
    return Math.ceil(((cost - b.tokens) / this.options.refillPerSecond) * 1000);
  }

  private sweep(t: number): void {
    if (this.buckets.size < 10_000) return;
    const idle = this.options.idleMs ?? 600_000;
    for (const [k, b] of this.buckets) if (t - b.at > idle) this.buckets.delete(k);
  }
}
