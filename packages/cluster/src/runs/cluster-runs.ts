import os from "node:os";
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { silentLogger, type Logger } from "@bear/core";
import { isRunActor, type RunCoordination, type WorkflowEngine } from "@bear/workflow-engine";

const RUN_CANCEL_CHANNEL = "bear:run-cancel";
const ownerKey = (runId: string): string => `bear:run-owner:${runId}`;

/**
 * Every lease of a scan in one script: KEYS the runs' owner keys; ARGV[1] this instance, ARGV[2] the lease (ms),
 * ARGV[2 + i] "r" to renew KEYS[i] if this instance holds it (1, else 0), "t" to take it (a run started here: 1).
 */
const RENEW_ALL = `local out = {}
for i, key in ipairs(KEYS) do
  if ARGV[2 + i] == 't' then
    redis.call('set', key, ARGV[1], 'PX', ARGV[2])
    out[i] = 1
  elseif redis.call('get', key) == ARGV[1] then
    out[i] = redis.call('pexpire', key, ARGV[2])
  else
    out[i] = 0
  end
end
return out`;
/** Releases the lease if this instance holds it. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface ClusterRunsOptions {
  /** A plain client (commands) and one for subscriptions. */
  readonly redis: Redis;
  readonly subscriber: Redis;
  readonly instanceId?: string;
  /** A run whose owner stops renewing for this long is taken over (ms, default 10 s). */
  readonly leaseMs?: number;
  /** How often leases are renewed and orphaned runs looked for (ms, default 1 s). */
  readonly scanMs?: number;
  readonly logger?: Logger;
}

/**
 * Several API instances on one workspace: each run is executed by the instance holding its lease
 * in Redis (`bear:run-owner:<run>`, renewed every second). Run state is in the workspace's shared
 * workflow database, so any instance reports any run; cancelling a run another instance executes
 * is passed on over pub/sub; and when an instance dies its leases expire and another instance
 * resumes its runs (completed steps are kept; steps in flight are joined, not re-run, through the
 * queue executor).
 */
export class ClusterRuns implements RunCoordination {
  readonly instanceId: string;
  readonly #options: ClusterRunsOptions;
  readonly #logger: Logger;
  readonly #leaseMs: number;
  #engine: WorkflowEngine | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #scanning = false;
  #closed = false;
  /** Runs whose lease this instance has taken (and renews). */
  readonly #held = new Set<string>();
  /** Runs this instance resumed after another instance stopped (for logs and tests). */
  readonly takenOver: string[] = [];

  constructor(options: ClusterRunsOptions) {
    this.#options = options;
    this.instanceId = options.instanceId ?? `${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.#leaseMs = options.leaseMs ?? 10_000;
    this.#logger = (options.logger ?? silentLogger).child({ name: "cluster:ClusterRuns" });
  }

  /** Starts renewing leases and watching for orphaned runs on `engine` (opened with resumeOnOpen false). */
  async attach(engine: WorkflowEngine): Promise<void> {
    this.#engine = engine;
    // A run started here is claimed at the next scan (within scanMs, well inside the lease period
    // other instances give a new run): a run shorter than that never touches Redis for its lease.
    engine.events.subscribe((event) => {
      if (event.type === "run.completed" && this.#held.delete(event.runId)) void this.#release(event.runId);
    });
    await this.#options.subscriber.subscribe(RUN_CANCEL_CHANNEL);
    this.#options.subscriber.on("message", (channel: string, message: string) => {
      if (channel === RUN_CANCEL_CHANNEL) this.#onCancel(message);
    });
    this.#timer = setInterval(() => void this.#tick(), this.#options.scanMs ?? 1_000);
    await this.#tick();
  }

  /** Sent to the instance executing the run (RunCoordination). */
  cancelledElsewhere(runId: string, reason: string | undefined, actor?: string): void {
    const message = { runId, reason: (reason ?? "cancelled from another instance").slice(0, 200), from: this.instanceId, ...(actor === undefined ? {} : { actor }) };
    void this.#options.redis.publish(RUN_CANCEL_CHANNEL, JSON.stringify(message)).catch(() => undefined);
  }

  /** Which instance executes a run, if any holds its lease. */
  owner(runId: string): Promise<string | null> {
    return this.#options.redis.get(ownerKey(runId));
  }

  /** Takes the lease of a run nobody holds (a lapsed lease, an orphan). */
  async #claim(runId: string): Promise<boolean> {
    return (await this.#options.redis.set(ownerKey(runId), this.instanceId, "PX", this.#leaseMs, "NX")) === "OK";
  }

  async #release(runId: string): Promise<void> {
    await this.#options.redis.eval(RELEASE, 1, ownerKey(runId), this.instanceId).catch(() => undefined);
  }

  async #tick(): Promise<void> {
    const engine = this.#engine;
    if (!engine || this.#scanning || this.#closed) return;
    this.#scanning = true;
    try {
      const active = new Set(engine.activeRuns);
      if (active.size > 0) {
        // renew the leases held and take those of runs started (or resumed by hand) here since the last scan, in one
        // script: a command a scan, not one per run (8 runs in flight were 8 scripts a second, ~7 a reviewed contract)
        const runs = [...active];
        const modes = runs.map((runId) => (this.#held.has(runId) ? "r" : "t"));
        const results = (await this.#options.redis.eval(RENEW_ALL, runs.length, ...runs.map(ownerKey), this.instanceId, String(this.#leaseMs), ...modes)) as number[];
        runs.forEach((runId, i) => {
          if (!this.#held.has(runId)) {
            if (results[i] === 1 && engine.activeRuns.includes(runId)) this.#held.add(runId);
            else if (results[i] === 1) void this.#release(runId); // it finished during the scan
          } else if (results[i] === 0) {
            void this.#claim(runId); // lease lapsed (Redis restarted, or we stalled): take it back if free
          }
        });
      }
      await this.#adoptOrphans(engine, active);
    } catch (error) {
      this.#logger.warn({ reason: (error as Error).message?.slice(0, 120) }, "run lease scan failed; retrying");
    } finally {
      this.#scanning = false;
    }
  }

  /** Runs left pending or running in the shared database that no live instance holds: resume them here. */
  async #adoptOrphans(engine: WorkflowEngine, active: ReadonlySet<string>): Promise<void> {
    const now = Date.now();
    const candidates = engine
      .listRuns({ status: ["pending", "running"], limit: 1000 })
      // a run another instance is starting this instant has no lease yet: give it one lease period
      .filter((r) => !active.has(r.id) && now - r.createdAt > this.#leaseMs);
    if (candidates.length === 0) return;
    const owners = await this.#options.redis.mget(...candidates.map((r) => ownerKey(r.id)));
    for (const [i, run] of candidates.entries()) {
      if (owners[i] !== null || this.#closed) continue;
      if (!(await this.#claim(run.id))) continue;
      this.#held.add(run.id);
      try {
        engine.resume(run.id);
        this.takenOver.push(run.id);
        this.#logger.warn({ runId: run.id, instance: this.instanceId }, "resumed a run whose instance stopped");
      } catch (error) {
        this.#held.delete(run.id);
        await this.#release(run.id);
        this.#logger.debug({ runId: run.id, code: (error as { code?: string }).code }, "could not resume an orphaned run");
      }
    }
  }

  #onCancel(message: string): void {
    try {
      const { runId, reason, from, actor } = JSON.parse(message) as { runId?: unknown; reason?: unknown; from?: unknown; actor?: unknown };
      if (typeof runId !== "string" || from === this.instanceId || !this.#engine?.activeRuns.includes(runId)) return;
      // Who asked, when the message names a well-formed actor; a malformed one is not trusted into the audit log.
      const by = isRunActor(actor) ? { actor } : {};
      this.#engine.cancel(runId, typeof reason === "string" ? reason : undefined, by);
    } catch {
      // not ours
    }
  }

  /** Stops renewing; with `release` the leases are given up at once so another instance resumes the runs now. */
  async close(options: { readonly release?: boolean } = {}): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    if (options.release && this.#engine) for (const runId of this.#engine.activeRuns) await this.#release(runId);
  }
}
