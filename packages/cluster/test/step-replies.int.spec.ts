// A completed job's result is published to its sender by BullMQ's own moveToFinished, wrapped
// (replyOnFinish): only once Redis records the job as completed, the value Redis recorded, on the
// channel its data names at its end; a failed move, a failed job or a job without a reply id
// publishes nothing. Real Redis, real BullMQ.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Queue, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { repliesOnFinish, replyOnFinish } from "../src/queue/step-replies";
import { startTestRedis, type TestRedis } from "./fixtures/redis-server";

let redis: TestRedis;
const connection = (): { host: string; port: number; password: string; maxRetriesPerRequest: null } => ({ host: "127.0.0.1", port: redis.port, password: redis.password, maxRetriesPerRequest: null });
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.kill();
});

/** A job's data as QueueExecutor writes it: its reply id and time last (an act's mark after them). */
const stepData = (reply: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ v: 5, type: "t", ...extra, reply, queuedAt: Date.now() });

describe("replyOnFinish", () => {
  it("publishes the recorded result from inside BullMQ's moveToFinished, on the channel at the data's end, and nothing for a refused move or a failure", async () => {
    const name = `replies-${randomBytes(4).toString("hex")}`;
    const replyTo = randomBytes(8).toString("hex");
    const decoy = randomBytes(8).toString("hex");
    const queue = new Queue(name, { connection: connection(), prefix: "bear" });
    // a worker without a processor: jobs are taken and finished by hand, as BullMQ's loop would
    const worker = new Worker(name, null, { connection: connection(), prefix: "bear", autorun: false });
    const subscriber = new Redis(connection());
    const admin = new Redis(connection());
    const heard: Array<{ channel: string; message: unknown }> = [];
    /** Calls of each command Redis has run so far (INFO commandstats: the commands scripts run counted too). */
    const calls = async (): Promise<Record<string, number>> =>
      Object.fromEntries([...(await admin.info("commandstats")).matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
    try {
      await subscriber.psubscribe("bear:step-reply:*");
      subscriber.on("pmessage", (_pattern: string, channel: string, message: string) => heard.push({ channel, message: JSON.parse(message) }));
      const client = await worker.getBackend().client;
      expect(replyOnFinish(client)).toBe(true);
      // a parameter naming a reply of its own (an inline payload) comes before the job's own id
      await queue.add("t", stepData(replyTo, { payload: { inline: { note: `"reply":"${decoy}","queuedAt":1` } } }), { jobId: "first" });
      await queue.add("t", stepData(replyTo, { act: true }), { jobId: "second" });
      await queue.add("t", stepData(replyTo), { jobId: "third" });
      await queue.add("t", { v: 5, type: "t" }, { jobId: "fourth" });

      // active, not completed: nothing published; completed: the value Redis recorded, by the move itself
      const first = (await worker.getNextJob("token-1")) as Job;
      expect(first.id).toBe("first");
      await new Promise((r) => setTimeout(r, 100));
      expect(heard).toEqual([]);
      const before = await calls();
      await first.moveToCompleted({ output: { sealed: "x" }, n: 1 }, "token-1", false);
      const second = (await worker.getNextJob("token-2")) as Job;
      await second.moveToCompleted({ n: 2 }, "token-2", false);
      // a move BullMQ refuses (the lock is not this worker's) records nothing and publishes nothing
      const third = (await worker.getNextJob("token-3")) as Job;
      await expect(third.moveToCompleted({ n: 3 }, "another-token", false)).rejects.toThrow();
      // a failure is not a result
      await third.moveToFailed(new Error("boom"), "token-3", false);
      // a job with no reply id: completed, nothing published
      const fourth = (await worker.getNextJob("token-4")) as Job;
      await fourth.moveToCompleted({ n: 4 }, "token-4", false);
      const after = await calls();

      await new Promise((r) => setTimeout(r, 200));
      expect(heard).toEqual([
        { channel: `bear:step-reply:${replyTo}`, message: { jobId: "first", result: { output: { sealed: "x" }, n: 1 } } },
        { channel: `bear:step-reply:${replyTo}`, message: { jobId: "second", result: { n: 2 } } },
      ]);
      // the publications are the moves' own: five moves and three takes are all the scripts run, each PUBLISH one of theirs
      const ran = (command: string): number => (after[command] ?? 0) - (before[command] ?? 0);
      expect(ran("evalsha") + ran("eval")).toBe(8);
      expect(ran("publish")).toBe(2);
      expect(await queue.getJobState("first")).toBe("completed");
      expect(await queue.getJobState("third")).toBe("failed");
    } finally {
      admin.disconnect();
      subscriber.disconnect();
      await worker.close();
      await queue.close();
    }
  });

  it("leaves no wake-up marker behind a finished job when nothing waits: a Worker asks Redis once for each job it is sent", async () => {
    const name = `marker-${randomBytes(4).toString("hex")}`;
    const queue = new Queue(name, { connection: connection(), prefix: "bear" });
    // a slot's Worker: concurrency 1, started once its connection finishes jobs through the wrapped script. Its
    // timers are set past the test (rev12 #7a): a wait times out only after DRAIN_DELAY_S, the stalled-jobs check and
    // the lock renewal (BullMQ scripts of their own) never fall inside it, so the counts below are exact on any load
    const DRAIN_DELAY_S = 60;
    const worker = new Worker(name, async (job) => ({ n: (job.data as { n: number }).n }), {
      connection: connection(),
      prefix: "bear",
      concurrency: 1,
      autorun: false,
      drainDelay: DRAIN_DELAY_S,
      stalledInterval: 3_600_000,
      lockDuration: 3_600_000,
    });
    const admin = new Redis(connection());
    const calls = async (): Promise<Record<string, number>> =>
      Object.fromEntries([...(await admin.info("commandstats")).matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
    const completed = new Map<string, () => void>();
    worker.on("completed", (job) => completed.get(job.id!)?.());
    /** One job sent, run and recorded, then a pause in which the Worker waits on its queue again. */
    const send = async (n: number): Promise<number> => {
      const done = new Promise<void>((resolve) => completed.set(`j${n}`, resolve));
      const at = Date.now();
      await queue.add("t", { n }, { jobId: `j${n}` });
      await done;
      const ms = Date.now() - at;
      await new Promise((r) => setTimeout(r, 40));
      return ms;
    };
    try {
      expect(replyOnFinish(await worker.getBackend().client)).toBe(true);
      void worker.run();
      await worker.waitUntilReady();
      await send(0);
      const before = await calls();
      const jobs = 20;
      const times: number[] = [];
      for (let n = 1; n <= jobs; n++) times.push(await send(n));
      const after = await calls();
      const ran = (command: string): number => (after[command] ?? 0) - (before[command] ?? 0);
      // per job: one wait that a job ends, its add, its take (moveToActive) and its move to completed. A marker left
      // behind (BullMQ adds one with every job it hands out) woke the Worker at once from its next wait, for a take
      // that found nothing: two waits and two takes per job
      // (no housekeeping script and no timed-out wait can fall in the window: the Worker's timers are past the test)
      expect(ran("bzpopmin")).toBe(jobs);
      expect(ran("evalsha")).toBe(3 * jobs);
      expect(await admin.zrange(`bear:${name}:marker`, 0, -1)).toEqual([]);
      // the next add puts the marker back: a job sent to the idle Worker is still taken at once, not after its wait's
      // timeout (DRAIN_DELAY_S: half of it is far beyond any load's delay, and far below a job left to the timeout)
      expect(Math.max(...times)).toBeLessThan((DRAIN_DELAY_S * 1000) / 2);
      expect(await queue.getJobState(`j${jobs}`)).toBe("completed");
    } finally {
      admin.disconnect();
      await worker.close();
      await queue.close();
    }
  });

  it("tells which jobs' data have their reply id where the script reads it", () => {
    const reply = "0123456789abcdef";
    expect(repliesOnFinish({ v: 5, payload: { inline: { reply: "fedcba9876543210" } }, reply, queuedAt: 1 })).toBe(true);
    expect(repliesOnFinish({ v: 5, reply, queuedAt: 1, act: true })).toBe(true);
    // not last, not followed by its time, not an id, not a number, an act's mark of another value
    expect(repliesOnFinish({ reply, queuedAt: 1, other: 1 })).toBe(false);
    expect(repliesOnFinish({ queuedAt: 1, reply })).toBe(false);
    expect(repliesOnFinish({ reply: "not-an-id", queuedAt: 1 })).toBe(false);
    expect(repliesOnFinish({ reply, queuedAt: "1" })).toBe(false);
    expect(repliesOnFinish({ reply, queuedAt: 1, act: false })).toBe(false);
    expect(repliesOnFinish(null)).toBe(false);
  });
});
