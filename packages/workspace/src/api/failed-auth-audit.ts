import type { AuditSink } from "@bear/core";

const MAX_WINDOWS = 10_000;

export interface FailedAuthAuditOptions {
  readonly audit: AuditSink;
  /** One window per source: its first failure is recorded at once, the rest as one count at its end. Default 10 s. */
  readonly windowMs?: number;
}

interface Window {
  readonly opened: number;
  readonly reason: string;
  count: number;
  route: string;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Audits failed authentication without letting a flood flood the audit trail: per source address,
 * reason and window, the first failure is one record (`count: 1`), and every further one in that
 * window adds to a single `count: n` record written when the window closes (or at `flush()`), so
 * the records still add up to the number of failed requests. The address itself is never written
 * (it is personal data); windows are kept in memory only.
 */
export class FailedAuthAudit {
  readonly #windows = new Map<string, Window>();
  readonly #windowMs: number;
  #pending: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: FailedAuthAuditOptions) {
    this.#windowMs = options.windowMs ?? 10_000;
  }

  async deny(source: string, reason: string, route: string): Promise<void> {
    const now = Date.now();
    const key = `${source}\0${reason}`;
    const open = this.#windows.get(key);
    if (open && now - open.opened < this.#windowMs) {
      open.count++;
      open.route = route;
      open.timer ??= setTimeout(() => void this.#close(key), Math.max(0, open.opened + this.#windowMs - now)).unref();
      return;
    }
    if (open) await this.#close(key);
    if (this.#windows.size >= MAX_WINDOWS) await this.flush(); // many sources at once: count them now rather than grow
    this.#windows.set(key, { opened: now, reason, count: 0, route, timer: undefined });
    await this.#write(reason, route, 1);
  }

  /** Writes every open window's count (on shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.#windows.keys()].map((key) => this.#close(key)));
    await this.#pending;
  }

  async #close(key: string): Promise<void> {
    const w = this.#windows.get(key);
    if (!w) return;
    this.#windows.delete(key);
    if (w.timer) clearTimeout(w.timer);
    if (w.count > 0) await this.#write(w.reason, w.route, w.count);
  }

  #write(reason: string, route: string, count: number): Promise<void> {
    const done = this.options.audit
      .record({ action: "login", outcome: "denied", actor: "anonymous", details: { reason, route: route.slice(0, 120), count } })
      .catch(() => undefined);
    this.#pending = this.#pending.then(() => done);
    return done;
  }
}
