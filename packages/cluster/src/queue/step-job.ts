import { RUN_ACTOR, type JsonObject, type JsonValue, type StepTask } from "@bear/workflow-engine";
import { z } from "zod";
import { ClusterError } from "../errors";
import type { PayloadRef } from "../payloads/payload-store";
import { checkedStepJob, checkedStepResult } from "./step-job-check";
import { STEP_REPLY_ID } from "./step-replies";

/**
 * The step job's wire format: 6 since a job's payloads are bound to its step type, agent, actor and
 * act too, and a worker runs a job only under its attempt's id (a job forged or re-attributed in
 * Redis opens nothing, see PayloadBinding); 5: a job is added only on the queue its attempt's route
 * record names (routed-jobs.ts: the worker runs it without reading the record); 4: a job names who
 * started its run (`actor`); 3: the channel its outcome is sent back on, `reply`; 2: payloads sealed
 * as `b1.` with their binding as authenticated data, step streams with instance-scoped ids. A worker
 * reads this version only (an older job's payload is not bound to what version 6 checks); it refuses
 * an older one, and a newer one with word to upgrade itself (every API instance and worker should run
 * the same BEAR version; see the README's upgrade note).
 */
export const STEP_JOB_VERSION = 6;

/** What a step job carries: ids and a reference to its parameters (no document text unless allowed inline). */
export interface StepJobData {
  readonly v: typeof STEP_JOB_VERSION;
  readonly runId: string;
  readonly stepId: string;
  /** `step` or `step[i]` for an item of a for_each step. */
  readonly key: string;
  readonly type: string;
  readonly agent?: string;
  readonly attempt: number;
  readonly index?: number;
  /** The run's matter: the worker checks the payload was written for it. */
  readonly matter: string | null;
  /** Who started the run (StartRunOptions.actor; RUN_ACTOR), null when nobody was named: the step acts as them. */
  readonly actor: string | null;
  readonly payload: PayloadRef;
  /** The sender's reply channel id (StepReplies): the worker sends the job's outcome there. */
  readonly reply: string;
  /** When the job was queued (ms since epoch), for the queue-overhead figures. */
  readonly queuedAt: number;
  /** Set only by an API instance's act executor (OneOffSteps): the step is one of its acts, not a run's. */
  readonly act?: true;
}

/** What a finished step job returns: a reference to its output. */
export interface StepJobResult {
  readonly output: PayloadRef;
  readonly workerId: string;
  /** Handler time on the worker (ms). */
  readonly handlerMs: number;
  readonly startedAt: number;
}

/** The parameters of a step as the payload store keeps them. */
export interface StepInput {
  readonly parameters: JsonObject;
  readonly item?: JsonValue;
}

const payloadRef = z.union([z.strictObject({ inline: z.custom<JsonValue>(() => true) }), z.strictObject({ file: z.string().min(1).max(500) }), z.strictObject({ sealed: z.string().min(1).max(16_000_000) })]);

export const stepJobDataSchema = z.strictObject({
  v: z.literal(STEP_JOB_VERSION),
  actor: z.string().regex(RUN_ACTOR).nullable(),
  runId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/),
  stepId: z.string().min(1).max(200),
  key: z.string().min(1).max(240),
  type: z.string().min(1).max(200),
  agent: z.string().max(200).optional(),
  attempt: z.number().int().min(1),
  index: z.number().int().min(0).optional(),
  matter: z.string().min(1).max(200).nullable(),
  payload: payloadRef,
  reply: z.string().regex(STEP_REPLY_ID),
  queuedAt: z.number(),
  act: z.literal(true).optional(),
});

/**
 * A job's data as this version reads it. Throws ClusterError STEP_PAYLOAD_INVALID (not retryable)
 * for a job of another version — a newer one says to upgrade this worker — or one that is not a
 * BEAR step job.
 */
export function readStepJob(jobId: string | undefined, data: unknown): StepJobData {
  const version = (data as { v?: unknown } | undefined)?.v;
  if (typeof version === "number" && version > STEP_JOB_VERSION) {
    throw new ClusterError("STEP_PAYLOAD_INVALID", `job '${jobId}' is a version ${version} step job, newer than this worker reads (${STEP_JOB_VERSION}): it was sent by a newer BEAR`, {
      hint: "Upgrade this worker to the BEAR version of the API instances (see the cluster README's upgrade note); the engine retries the step elsewhere.",
      retryable: false,
    });
  }
  if (version !== STEP_JOB_VERSION) {
    throw new ClusterError("STEP_PAYLOAD_INVALID", `job '${jobId}' is a version ${String(version).slice(0, 20)} step job, but this worker reads version ${STEP_JOB_VERSION}: all cluster processes must run the same BEAR version`, {
      hint: "Stop every API instance and worker, upgrade them all, then start them again (see the cluster README's upgrade note).",
      retryable: false,
    });
  }
  // the hand-written check first (what this release's senders write); the schema judges anything else
  const checked = checkedStepJob<StepJobData>(data, STEP_JOB_VERSION);
  if (checked !== undefined) return checked;
  const parsed = stepJobDataSchema.safeParse(data);
  if (!parsed.success) throw new ClusterError("STEP_PAYLOAD_INVALID", `job '${jobId}' is not a BEAR step job (${parsed.error.issues[0]?.message ?? "invalid"})`, { retryable: false });
  return parsed.data as StepJobData;
}

export const stepJobResultSchema = z.strictObject({
  output: payloadRef,
  workerId: z.string(),
  handlerMs: z.number(),
  startedAt: z.number(),
});

/** A finished job's value as a step result: stepJobResultSchema's safeParse, the hand-written check first (see step-job-check.ts). */
export function readStepResult(value: unknown): { success: true; data: StepJobResult } | { success: false; error: z.ZodError } {
  const checked = checkedStepResult<StepJobResult>(value);
  return checked === undefined ? stepJobResultSchema.safeParse(value) : { success: true, data: checked };
}

/** `step` or `step[i]`. */
export function unitKey(task: Pick<StepTask, "stepId" | "index">): string {
  return task.index === undefined ? task.stepId : `${task.stepId}[${task.index}]`;
}

/**
 * The job id of one attempt of one step of one run: adding it twice is a no-op in BullMQ, which
 * makes the job the idempotent record of that attempt (BullMQ ids may not contain ':').
 */
export function stepJobId(runId: string, key: string, attempt: number): string {
  return `${runId}|${key}|${attempt}`.replaceAll(":", "%3A");
}

/** BullMQ queue of one capability (a step type); names may not contain ':'. */
export function stepQueueName(capability: string): string {
  return `step.${capability.replaceAll(":", "_")}`;
}

/**
 * BullMQ queue of one slot of one worker: jobs the balancer directed to it. Only that worker takes
 * from it; if it dies, the executor waiting for the job moves it to the capability queue (see
 * QueueExecutor). Slot 0's is `direct.<worker>`, slot n's `direct.<worker>#n` ('#' never occurs
 * in the worker part, so no worker's queue is another's slot).
 */
export function directQueueName(workerId: string, slot = 0): string {
  const queue = `${DIRECT_QUEUE}${workerId.replaceAll(/[:#]/g, "_")}`;
  return slot === 0 ? queue : `${queue}#${slot}`;
}

const DIRECT_QUEUE = "direct.";

/** Whether `queue` is a worker slot's direct queue (not a capability queue). */
export function isDirectQueue(queue: string): boolean {
  return queue.startsWith(DIRECT_QUEUE);
}

/** Redis key prefix of every BullMQ structure BEAR makes. */
export const QUEUE_PREFIX = "bear";
