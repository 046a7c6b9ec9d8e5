import { ClusterError } from "../errors";
import { bullScript, bullVersion, redefineBullCommand } from "./bull-scripts";

/**
 * A finished attempt's mark: `bear:done:<job id>` holds the time its result was recorded. A job id names
 * its run, step and attempt (stepJobId), and a sender adds each attempt once: a job handed out under an id
 * that finished before was re-added in Redis (the finished one removed, the same data added again), and
 * running it would repeat the step's acts (files written in the matter area, audited acts) as its actor.
 */
export const DONE_MARKER_PREFIX = "bear:done:";
/**
 * How long an attempt's mark is kept: as long as a finished job itself (QueueExecutor's
 * keepFinishedSeconds, 7 days by default); a few dozen bytes per step beside the job's own record.
 */
export const DONE_MARKER_TTL_SECONDS = 7 * 24 * 3600;

/** Where BullMQ's scripts hand a job out (prepareJobForProcessing, in moveToActive and in moveToFinished's fetch of the next job). */
const HANDED_OUT = 'return {rcall("HGETALL", jobKey), jobId, 0, 0} -- get job data';
/**
 * The same, with the job's `finishedOn` field set to its attempt's mark when it has one (BullMQ's Job
 * takes the last of a repeated field): the worker reads `job.finishedOn` of a job it is handed, for no
 * command of its own. A job moved back to wait after finishing keeps its own `finishedOn` anyway.
 */
const HANDED_OUT_MARKED = `local bearFields = rcall("HGETALL", jobKey)
  local bearDone = rcall("GET", "${DONE_MARKER_PREFIX}" .. jobId)
  if bearDone then
    table.insert(bearFields, "finishedOn")
    table.insert(bearFields, bearDone)
  end
  return {bearFields, jobId, 0, 0} -- get job data`;

/** `script` (one of BullMQ's) with every job it hands out marked as HANDED_OUT_MARKED says. Throws BULLMQ_UNSUPPORTED when it hands none out where this expects. */
export function markingHandedOutJobs(script: string): string {
  if (!script.includes(HANDED_OUT)) {
    throw new ClusterError("BULLMQ_UNSUPPORTED", "the installed BullMQ hands jobs out differently than this BEAR release expects (prepareJobForProcessing)", { retryable: false });
  }
  return script.split(HANDED_OUT).join(HANDED_OUT_MARKED);
}

/** Lua run after BullMQ recorded a job completed (ARGV[1] its id, ARGV[2] the time): marks its attempt finished. */
export function markDoneLua(): string {
  return `redis.call("SET", "${DONE_MARKER_PREFIX}" .. ARGV[1], ARGV[2], "EX", ${DONE_MARKER_TTL_SECONDS})`;
}

/** The BullMQ this release's scripts are written against (its package.json's range allows later ones, checked at start). */
export const BULLMQ_BUILT_WITH = "6.7.6";

/**
 * Throws BULLMQ_UNSUPPORTED, naming the installed and the expected BullMQ, unless both scripts that hand
 * jobs out (moveToActive-11, moveToFinished-14) are there and hold the text this release marks: a worker
 * must not start where a finished attempt re-added in Redis would silently run again.
 */
export function assertReplayGuardSupported(): void {
  const installed = bullVersion() ?? "unknown";
  try {
    markingHandedOutJobs(bullScript("moveToActive-11.js", "moveToActive", 11));
    markingHandedOutJobs(bullScript("moveToFinished-14.js", "moveToFinished", 14));
  } catch (error) {
    throw new ClusterError("BULLMQ_UNSUPPORTED", `the installed BullMQ ${installed} hands jobs out differently than BullMQ ${BULLMQ_BUILT_WITH}, which this BEAR release's worker guards against replayed jobs: the worker does not start`, {
      hint: `Install bullmq ${BULLMQ_BUILT_WITH} (npm ci installs the locked version).`,
      retryable: false,
      cause: error,
    });
  }
}

/**
 * Makes the BullMQ Worker whose own connection is `client` hand out jobs marked as finished when their
 * attempt was (see HANDED_OUT_MARKED): its moveToActive (`moveToActive:<version>`) is defined again as
 * the marking one. Returns false, changing nothing, when the installed BullMQ's script is not the one
 * this release marks, or not defined on `client`.
 */
export function markHandedOutJobs(client: object): boolean {
  return redefineBullCommand(client, "moveToActive", 11, () => markingHandedOutJobs(bullScript("moveToActive-11.js", "moveToActive", 11)));
}
