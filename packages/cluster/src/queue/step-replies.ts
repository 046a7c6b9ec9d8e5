import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { cork } from "../connection/redis-connection";

const CHANNEL_PREFIX = "bear:step-reply:";
/** A reply channel's id (in each job's data): 16 hex digits. */
export const STEP_REPLY_ID = /^[0-9a-f]{16}$/;

/**
 * What a worker sends the instance waiting for a job, once BullMQ has recorded it: the job's
 * result when it completed; `settled` when it failed (the instance reads the failure from the job);
 * a progress report while it runs.
 */
export type StepReply = { readonly jobId: string } & ({ readonly result: unknown } | { readonly settled: true } | { readonly progress: unknown });

/**
 * How a job's outcome reaches the instance waiting for it: the worker publishes it on the
 * instance's reply channel (`bear:step-reply:<id>`, the id in the job's data) after BullMQ has
 * recorded it, and the instance subscribes once. A BullMQ QueueEvents reader instead woke the
 * instance for each of the job's events (waiting, active, completed: three stream reads and a new
 * blocking XREAD after each, ~0.25 ms of the API's CPU per step). Pub/sub keeps nothing: a reply
 * lost to a reconnect is made up for by reading the job's state (at once after a reconnect, and
 * every check while the job is outstanding; see QueueExecutor), and the job stays the record.
 */
export class StepReplies {
  readonly id = randomBytes(8).toString("hex");
  readonly #channel = CHANNEL_PREFIX + this.id;
  #subscribed: Promise<unknown> | undefined;
  readonly #onMessage = (channel: string, message: string): void => {
    if (channel === this.#channel) this.#receive(message);
  };
  readonly #onReady = (): void => this.onReconnect();

  /** `onReconnect`: replies published while the subscriber was away are lost (read the jobs' states). */
  constructor(
    private readonly subscriber: Redis,
    private readonly onReply: (reply: StepReply) => void,
    private readonly onReconnect: () => void,
  ) {
    subscriber.on("message", this.#onMessage);
    subscriber.on("ready", this.#onReady);
  }

  /** Resolves once the channel is subscribed (a failed subscription is tried again by the next call). */
  ready(): Promise<unknown> {
    return (this.#subscribed ??= this.subscriber.subscribe(this.#channel).catch((error: unknown) => {
      this.#subscribed = undefined;
      throw error;
    }));
  }

  #receive(message: string): void {
    let reply: StepReply;
    try {
      reply = JSON.parse(message) as StepReply;
    } catch {
      return; // not ours
    }
    if (typeof reply === "object" && reply !== null && typeof reply.jobId === "string") this.onReply(reply);
  }

  close(): void {
    this.subscriber.off("message", this.#onMessage);
    this.subscriber.off("ready", this.#onReady);
    if (this.#subscribed) void this.subscriber.unsubscribe(this.#channel).catch(() => undefined);
  }
}

/** Publishes `reply` on the channel a job's data names (a worker's end; an id of another form is ignored). */
export function sendStepReply(redis: Redis, replyTo: unknown, reply: StepReply): void {
  if (typeof replyTo !== "string" || !STEP_REPLY_ID.test(replyTo)) return;
  void redis.publish(CHANNEL_PREFIX + replyTo, JSON.stringify(reply)).catch(() => undefined);
}

/**
 * Publishes a job's recorded result on its sender's channel, but only once BullMQ has recorded the
 * job as completed (in its completed set, with its return value): the script runs on the Redis
 * connection BullMQ completes the job on, right behind BullMQ's moveToFinished, and publishes the
 * return value Redis holds. KEYS: the queue's completed set, the job's hash; ARGV: job id, channel,
 * the reply's JSON up to its result.
 */
const PUBLISH_IF_COMPLETED = `if redis.call("ZSCORE", KEYS[1], ARGV[1]) then
  local result = redis.call("HGET", KEYS[2], "returnvalue")
  if result then
    redis.call("PUBLISH", ARGV[2], ARGV[3] .. result .. "}")
    return 1
  end
end
return 0`;

/** The client BullMQ completes a worker's jobs on (ioredis, possibly behind BullMQ's proxy). */
interface ReplyClient {
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
}

const COMMAND = "bearPublishIfCompleted";
const defined = new WeakSet<object>();

/**
 * Sends a completed job's result to the instance waiting for it without a round trip of the
 * worker's: called as the handler returns `result` to BullMQ, it sends PUBLISH_IF_COMPLETED on
 * `client` right after BullMQ's moveToFinished, in the same write (the socket is corked until the
 * next turn of the event loop, by which BullMQ has sent moveToFinished: its continuation after
 * the handler only awaits promises already settled). Redis runs the two in order, so the sender
 * hears of the result as soon as it is recorded; the worker sent its PUBLISH only once
 * moveToFinished's reply was back (one more wake-up of the worker and write on each step's path).
 * Resolves true when the script published; false when it found the job not completed (BullMQ had
 * not sent moveToFinished yet, e.g. its connection was down, or the job's lock was lost): the
 * caller then replies the usual way once BullMQ reports the job completed.
 */
export function publishWhenRecorded(client: object, job: { readonly id?: string | undefined; readonly queueQualifiedName: string }, replyTo: unknown): Promise<boolean> {
  const jobId = job.id;
  if (typeof replyTo !== "string" || !STEP_REPLY_ID.test(replyTo) || jobId === undefined) return Promise.resolve(false);
  const redis = client as ReplyClient & { [COMMAND]?: (...args: string[]) => Promise<unknown> };
  if (!defined.has(client)) {
    redis.defineCommand(COMMAND, { numberOfKeys: 2, lua: PUBLISH_IF_COMPLETED });
    defined.add(client);
  }
  const args = [`${job.queueQualifiedName}:completed`, `${job.queueQualifiedName}:${jobId}`, jobId, CHANNEL_PREFIX + replyTo, `{"jobId":${JSON.stringify(jobId)},"result":`];
  const uncork = cork(client);
  return new Promise<boolean>((resolve) => {
    setImmediate(() => {
      try {
        const publish = redis[COMMAND];
        if (!publish) return resolve(false);
        publish(...args).then(
          (n) => resolve(n === 1),
          () => resolve(false),
        );
      } catch {
        resolve(false);
      } finally {
        uncork();
      }
    });
  });
}
