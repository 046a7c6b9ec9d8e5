import type { Redis } from "ioredis";
import { QUEUE_PREFIX } from "./step-job";

/**
 * Which queue an attempt was sent to (`bear:route:<job>`, kept as long as its job): written by the
 * first sender (SET NX), followed by every later one, and read by the worker before it runs a job.
 */
export function routeKey(jobId: string): string {
  return `${QUEUE_PREFIX}:route:${jobId}`;
}

/**
 * Whether the attempt's record names `queue`, the one a worker took the job from: the record is the
 * arbiter when two senders put the same attempt on two queues (an instance that stalled past its
 * lease and the one that took its run over): only the job on the recorded queue runs. No record
 * (lost with Redis's data, or expired) is no objection.
 */
export async function routeHolds(redis: Redis, queue: string, jobId: string): Promise<boolean> {
  const recorded = await redis.get(routeKey(jobId));
  return recorded === null || recorded === queue;
}
