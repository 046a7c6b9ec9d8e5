import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { bullScript, redefineBullCommand } from "./bull-scripts";
import { markDoneLua, markingHandedOutJobs } from "./replay-guard";

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
 * BullMQ's moveToFinished (the script its Worker completes and fails jobs with), wrapped in a
 * function, with the result's publication after it: when it has recorded the job as completed (its
 * answer is no error code), it PUBLISHes the return value it recorded on the sender's reply channel,
 * in the same script. The channel's id is the job data's `reply`, read from the end of the data's
 * JSON, where the sender puts it (`…,"reply":"<id>","queuedAt":<ms>[,"act":true]}`; see
 * repliesOnFinish): the last match in the last 160 characters, so a value inside the step's
 * parameters (an inline payload) naming a `reply` of its own is never taken for it.
 * And when the move hands out no next job and nothing waits (the wait list and the prioritized set
 * empty), it takes the queue's base wake-up marker off (`ZREM <marker> 0`). BullMQ adds that marker
 * whenever it hands out a job (prepareJobForProcessing, for other Workers of the queue), so a Worker
 * that finished its job with nothing left woke at once from its next wait, for an empty
 * moveToActive: a BZPOPMIN and a moveToActive per step on a slot's queue for nothing, the worker's
 * socket writes and Redis's scripts on the 2 cores while the sender reads the result (step-trace:
 * 1.66 of each per no-op step). A marker says jobs wait; with none waiting it wakes nobody for
 * anything, and the next add (or a stalled job put back) adds it again in the same script.
 * And a completed job's attempt is marked finished (`bear:done:<id>`, replay-guard.ts), and the next job
 * it hands out, if any, carries its own attempt's mark as `finishedOn` (a worker refuses to run it again).
 * KEYS and ARGV: BullMQ's (KEYS[1] the wait list, KEYS[3] the prioritized set, KEYS[12] the job's
 * hash, KEYS[14] the marker, ARGV[1] its id, ARGV[4] the value recorded, ARGV[5] completed or
 * failed); the answer: BullMQ's (0: recorded, no next job).
 */
function finishAndReplyLua(): string {
  return `local function bullFinish()
${markingHandedOutJobs(bullScript("moveToFinished-14.js", "moveToFinished", 14))}
end
local reply
if ARGV[5] == "completed" then
  local data = redis.call("HGET", KEYS[12], "data")
  if data then reply = string.match(string.sub(data, -160), '.*"reply":"(%x+)","queuedAt":') end
end
local result = bullFinish()
if result == 0 and redis.call("LLEN", KEYS[1]) == 0 and redis.call("ZCARD", KEYS[3]) == 0 then redis.call("ZREM", KEYS[14], "0") end
if ARGV[5] == "completed" and (type(result) ~= "number" or result >= 0) then ${markDoneLua()} end
if reply and #reply == 16 and (type(result) ~= "number" or result >= 0) then
  redis.call("PUBLISH", "${CHANNEL_PREFIX}" .. reply, '{"jobId":' .. cjson.encode(ARGV[1]) .. ',"result":' .. ARGV[4] .. '}')
end
return result`;
}

/**
 * Makes the BullMQ Worker whose own connection is `client` publish each job's result to its sender
 * from inside its moveToFinished (finishAndReplyLua): the script BullMQ defined on the connection
 * under its versioned name (`moveToFinished:<version>`, the command its Worker calls) is defined
 * again as the wrapped one. The sender hears of the result the moment Redis records it, with no
 * command of the worker's own: before, a second script sent right behind moveToFinished (its socket
 * corked for a turn of the event loop so both left in one write) published it once it found the job
 * in the completed set. Returns false, changing nothing, when the installed BullMQ's script is not
 * the one wrapped, or not defined on `client`: the worker then replies once BullMQ's `completed`
 * event has followed the move (one round trip later). Each job's reply is published at most once:
 * a caller replying itself must skip the jobs repliesOnFinish accepts.
 */
export function replyOnFinish(client: object): boolean {
  return redefineBullCommand(client, "moveToFinished", 14, finishAndReplyLua);
}

/**
 * Whether a job's data has its reply id where finishAndReplyLua reads it: a well-formed id as the
 * data's last field but its time (`queuedAt`, a number) and an act's mark (as QueueExecutor writes a
 * job's data, and every sender since version 3). A worker whose connection replies on finish
 * replies itself only to the jobs for which this is false.
 */
export function repliesOnFinish(data: unknown): boolean {
  if (typeof data !== "object" || data === null) return false;
  const { reply, queuedAt, act } = data as { reply?: unknown; queuedAt?: unknown; act?: unknown };
  if (typeof reply !== "string" || !STEP_REPLY_ID.test(reply) || typeof queuedAt !== "number" || !Number.isFinite(queuedAt) || (act !== undefined && act !== true)) return false;
  const keys = Object.keys(data);
  const at = keys.length - (act === undefined ? 2 : 3);
  return keys[at] === "reply" && keys[at + 1] === "queuedAt" && (act === undefined || keys[at + 2] === "act");
}
