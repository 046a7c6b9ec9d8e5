import { createHash } from "node:crypto";
import { WindowedCounts, type AuditSink } from "@bear/core";

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

/** A refusal as counted: written cut to the log's bounds, told apart by the digest of its whole job id. */
interface CountedRefusal {
  readonly refusal: Refusal;
  readonly distinct: string;
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
  readonly #counts: WindowedCounts<CountedRefusal, Set<string>>;

  /** `onError`: an audit record could not be written (the sink's error). */
  constructor(
    private readonly audit: AuditSink,
    private readonly worker: string,
    windowMs = DEFAULT_REFUSAL_WINDOW_MS,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.#counts = new WindowedCounts<CountedRefusal, Set<string>>({
      windowMs,
      maxWindows: MAX_WINDOWS,
      writeFirst: ({ refusal }) => this.#write(refusal, { count: 1 }),
      // the refusals after the window's first: how many, of how many distinct ids (the first one's included), and the last
      writeRest: ({ first, last, count, gathered }) => this.#write(last.refusal, { count, jobs: gathered.size, firstJob: first.refusal.jobId, windowMs }),
      gather: {
        start: ({ distinct }) => new Set([distinct]),
        add: (jobs, { distinct }) => {
          if (jobs.size < MAX_DISTINCT) jobs.add(distinct);
        },
      },
    });
  }

  /** Records `refusal`: true when it opened a window (written at once), false when it was counted. Never throws. */
  refuse(given: Refusal): Promise<boolean> {
    // what is kept is cut to what is written (a Redis writer picks the ids' length): ≤ 120 characters each
    const refusal: Refusal = { jobId: auditedId(given.jobId), queue: auditedId(given.queue), code: given.code.slice(0, 64), claims: shortClaims(given.claims) };
    return this.#counts.add(`${refusal.queue}\0${refusal.code}`, { refusal, distinct: idDigest(given.jobId) });
  }

  /** Writes every open window's count (on close). */
  flush(): Promise<void> {
    return this.#counts.flush();
  }

  #write(refusal: Refusal, counts: Record<string, string | number>): Promise<void> {
    return this.audit
      .record({
        action: "step.refused",
        outcome: "denied",
        actor: "system",
        resource: refusal.jobId,
        details: { code: refusal.code, queue: refusal.queue, worker: this.worker, ...refusal.claims, ...counts },
      })
      .catch((error: unknown) => this.onError(error));
  }
}

function shortClaims(claims: Refusal["claims"]): Record<string, string | boolean | null> {
  const out: Record<string, string | boolean | null> = {};
  for (const [name, value] of Object.entries(claims)) out[name] = typeof value === "string" ? auditedId(value) : value;
  return out;
}
