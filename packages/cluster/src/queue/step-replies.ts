import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";

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
