import { createHash } from "node:crypto";
import type { AuditSink } from "@bear/core";

/** How long one kind of refusal is counted before its count is written. Default 60 s. */
export const DEFAULT_REFUSAL_WINDOW_MS = 60_000;
/** Kinds (queue × code) counted at once; past it the open windows are written first. */
const MAX_WINDOWS = 1_000;
/** The audit log refuses strings past 128 characters: ids are written at most this long. */
const MAX_ID_CHARS = 120;
/** Distinct job ids counted per window (as 16-character digests: ~1 MB at most per window, whatever the ids' length); past it, `jobs` says "at least". */
const MAX_DISTINCT = 10_000;

/** A job id as counted among a window's distinct ids: 96 bits of its SHA-256. */
function idDigest(id: string): string {
  return createHash("sha256").update(id).digest("base64url").slice(0, 16);
}

/** One refused step job: what it claims, ids and codes only (never parameters). */
export interface Refusal {
  readonly jobId: string;
  readonly queue: string;
  readonly code: string;
  readonly claims: Readonly<Record<string, string | boolean | null>>;
}

interface Window {
  readonly opened: number;
  readonly first: Refusal;
  last: Refusal;
  /** Refusals after the first one, in this window. */
  count: number;
  /** Digests of the distinct job ids refused in this window (idDigest), at most MAX_DISTINCT. */
  readonly jobs: Set<string>;
  timer: NodeJS.Timeout | undefined;
}

/**
 * An id as the audit log keeps it: itself up to 120 characters, else its head, its length and its
 * SHA-256 prefix (a longer string would be refused by the log and withheld, hiding what it names).
 */
export function auditedId(id: string): string {
  if (id.length <= MAX_ID_CHARS) return id;
  const digest = createHash("sha256").update(id).digest("hex").slice(0, 16);
  const tail = `…(${id.length} chars, sha256 ${digest})`;
  return id.slice(0, MAX_ID_CHARS - tail.length) + tail;
}

/**
 * Audits step jobs refused for what Redis holds (`step.refused`) without letting whoever writes to
 * Redis flood the audit log: per kind of refusal (queue and code) and window, the first one is a
 * record of its own (`count: 1`, the job's id and claims) and every further one adds to a single
 * record written when the window closes (or at `flush()`): `count` refusals of `jobs` distinct ids,
 * the last one's id and claims. The records add up to the refusals; a million forged jobs are a few
 * records a minute, not a million.
 */
export class RefusalAudit {
  readonly #windows = new Map<string, Window>();
  readonly #windowMs: number;
  #pending: Promise<unknown> = Promise.resolve();

  /** `onError`: an audit record could not be written (the sink's error). */
  constructor(
    private readonly audit: AuditSink,
    private readonly worker: string,
    windowMs = DEFAULT_REFUSAL_WINDOW_MS,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.#windowMs = windowMs;
  }

  /** Records `refusal`: true when it opened a window (written at once), false when it was counted. Never throws. */
  async refuse(given: Refusal): Promise<boolean> {
    // what is kept is cut to what is written (a Redis writer picks the ids' length): ≤ 120 characters each
    const refusal: Refusal = { jobId: auditedId(given.jobId), queue: auditedId(given.queue), code: given.code.slice(0, 64), claims: shortClaims(given.claims) };
    const distinct = idDigest(given.jobId);
    const now = Date.now();
    const key = `${refusal.queue}\0${refusal.code}`;
    const open = this.#windows.get(key);
    if (open && now - open.opened < this.#windowMs) {
      open.count++;
      open.last = refusal;
      if (open.jobs.size < MAX_DISTINCT) open.jobs.add(distinct);
      open.timer ??= setTimeout(() => void this.#close(key), Math.max(0, open.opened + this.#windowMs - now)).unref();
      return false;
    }
    if (open) await this.#close(key);
    if (this.#windows.size >= MAX_WINDOWS) await this.flush();
    this.#windows.set(key, { opened: now, first: refusal, last: refusal, count: 0, jobs: new Set([distinct]), timer: undefined });
    await this.#write(refusal, { count: 1 });
    return true;
  }

  /** Writes every open window's count (on close). */
  async flush(): Promise<void> {
    await Promise.all([...this.#windows.keys()].map((key) => this.#close(key)));
    await this.#pending;
  }

  async #close(key: string): Promise<void> {
    const w = this.#windows.get(key);
    if (!w) return;
    this.#windows.delete(key);
    if (w.timer) clearTimeout(w.timer);
    // the refusals after the window's first: how many, of how many distinct ids (the first one's included), and the last
    if (w.count > 0) await this.#write(w.last, { count: w.count, jobs: w.jobs.size, firstJob: w.first.jobId, windowMs: this.#windowMs });
  }

  #write(refusal: Refusal, counts: Record<string, string | number>): Promise<void> {
    const done = this.audit
      .record({
        action: "step.refused",
        outcome: "denied",
        actor: "system",
        resource: refusal.jobId,
        details: { code: refusal.code, queue: refusal.queue, worker: this.worker, ...refusal.claims, ...counts },
      })
      .catch((error: unknown) => this.onError(error));
    this.#pending = this.#pending.then(() => done);
    return done;
  }
}

function shortClaims(claims: Refusal["claims"]): Record<string, string | boolean | null> {
  const out: Record<string, string | boolean | null> = {};
  for (const [name, value] of Object.entries(claims)) out[name] = typeof value === "string" ? auditedId(value) : value;
  return out;
}
