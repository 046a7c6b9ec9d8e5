import { WindowedCounts, type AuditSink } from "@bear/core";

const MAX_WINDOWS = 10_000;

export interface FailedAuthAuditOptions {
  readonly audit: AuditSink;
  /** One window per source: its first failure is recorded at once, the rest as one count at its end. Default 10 s. */
  readonly windowMs?: number;
}

interface FailedAuth {
  readonly reason: string;
  readonly route: string;
}

/**
 * Audits failed authentication without letting a flood flood the audit trail: per source address,
 * reason and window, the first failure is one record (`count: 1`), and every further one in that
 * window adds to a single `count: n` record (with the last one's route) written when the window
 * closes (or at `flush()`), so the records still add up to the number of failed requests. The
 * address itself is never written (it is personal data); windows are kept in memory only.
 */
export class FailedAuthAudit {
  readonly #counts: WindowedCounts<FailedAuth>;

  constructor(private readonly options: FailedAuthAuditOptions) {
    this.#counts = new WindowedCounts<FailedAuth>({
      windowMs: options.windowMs ?? 10_000,
      maxWindows: MAX_WINDOWS, // many sources at once: count them now rather than grow
      writeFirst: (failure) => this.#write(failure, 1),
      writeRest: ({ last, count }) => this.#write(last, count),
    });
  }

  async deny(source: string, reason: string, route: string): Promise<void> {
    await this.#counts.add(`${source}\0${reason}`, { reason, route });
  }

  /** Writes every open window's count (on shutdown). */
  flush(): Promise<void> {
    return this.#counts.flush();
  }

  #write({ reason, route }: FailedAuth, count: number): Promise<void> {
    return this.options.audit
      .record({ action: "login", outcome: "denied", actor: "anonymous", details: { reason, route: route.slice(0, 120), count } })
      .catch(() => undefined);
  }
}
