import type { Redis } from "ioredis";

/** What a worker reports every second: who it is, what it can do, how busy it is, how it has done. */
export interface WorkerReport {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly capabilities: readonly string[];
  /** Slots the balancer may fill (the worker's `--concurrency`). */
  readonly concurrency: number;
  /** Jobs running now, from any queue. */
  readonly running: number;
  /**
   * The ids of those jobs: a sender counts a job it sent that the report does not list as still to
   * come (in transit, or waiting in the direct queue), whenever it was sent.
   */
  readonly runningJobs?: readonly string[];
  readonly completed: number;
  readonly failed: number;
  /** Per capability: outcomes, successes and a smoothed handler time. */
  readonly history: Readonly<Record<string, { readonly samples: number; readonly successes: number; readonly ewmaMs: number | null }>>;
  readonly startedAt: number;
  readonly seenAt: number;
  /**
   * The worker's one direct queue, for API instances older than `directQueues`: absent on workers that only pull,
   * and on workers with several slots (their slot queues are read one job at a time: an older sender that put
   * both slots' steps here would serialise them).
   */
  readonly directQueue?: string;
  /** One direct queue per slot (slot 0's is `directQueue`); absent on older workers (one queue for all slots). */
  readonly directQueues?: readonly string[];
  /** Per slot of `directQueues`, the id of the job running there (null: idle). */
  readonly slotJobs?: ReadonlyArray<string | null>;
}

const WORKERS_KEY = "bear:workers";
const aliveKey = (id: string): string => `bear:worker-alive:${id}`;

/** The key whose expiry marks a worker dead (its report interval × 5 after its last report). */
export function workerAliveKey(id: string): string {
  return aliveKey(id);
}

/** Writes a worker's report (and a liveness key that expires when the worker stops reporting). */
export async function publishWorkerReport(redis: Redis, report: WorkerReport, ttlMs: number): Promise<void> {
  await redis.multi().hset(WORKERS_KEY, report.id, JSON.stringify(report)).set(aliveKey(report.id), "1", "PX", ttlMs).exec();
}

export async function removeWorkerReport(redis: Redis, id: string): Promise<void> {
  await redis.multi().hdel(WORKERS_KEY, id).del(aliveKey(id)).exec();
}

/** The reports of live workers (a worker is live while its liveness key has not expired); drops dead ones. */
export async function liveWorkers(redis: Redis): Promise<WorkerReport[]> {
  const all = await redis.hgetall(WORKERS_KEY);
  const ids = Object.keys(all);
  if (ids.length === 0) return [];
  const alive = await redis.mget(...ids.map(aliveKey));
  const reports: WorkerReport[] = [];
  const dead: string[] = [];
  ids.forEach((id, i) => {
    if (alive[i] === null) dead.push(id);
    else {
      try {
        reports.push(JSON.parse(all[id]!) as WorkerReport);
      } catch {
        dead.push(id);
      }
    }
  });
  if (dead.length > 0) await redis.hdel(WORKERS_KEY, ...dead);
  return reports;
}

/** Does `capabilities` (step types, or prefixes such as `legal.*`, or `*`) cover `type`? */
export function covers(capabilities: readonly string[], type: string): boolean {
  return capabilities.some((c) => c === "*" || c === type || (c.endsWith(".*") && type.startsWith(c.slice(0, -1))));
}
