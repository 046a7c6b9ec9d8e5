// A completed job's result is published to its sender by a script sent right behind BullMQ's
// moveToFinished, on the same connection: only once Redis holds the job as completed, and the
// value published is the one Redis recorded. Real Redis, real BullMQ.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Queue, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { publishWhenRecorded } from "../src/queue/step-replies";
import { startTestRedis, type TestRedis } from "./fixtures/redis-server";

let redis: TestRedis;
const connection = (): { host: string; port: number; password: string; maxRetriesPerRequest: null } => ({ host: "127.0.0.1", port: redis.port, password: redis.password, maxRetriesPerRequest: null });
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.kill();
});

describe("publishWhenRecorded", () => {
  it("publishes the recorded result only once the job is completed: not while it is active, at once when sent behind its moveToFinished", async () => {
    const name = `replies-${randomBytes(4).toString("hex")}`;
    const replyTo = randomBytes(8).toString("hex");
    const queue = new Queue(name, { connection: connection(), prefix: "bear" });
    // a worker without a processor: jobs are taken and completed by hand, as BullMQ's loop would
    const worker = new Worker(name, null, { connection: connection(), prefix: "bear", autorun: false });
    const subscriber = new Redis(connection());
    const heard: unknown[] = [];
    try {
      await subscriber.subscribe(`bear:step-reply:${replyTo}`);
      subscriber.on("message", (_channel: string, message: string) => heard.push(JSON.parse(message)));
      const client = await worker.getBackend().client;
      for (const id of ["first", "second"]) await queue.add("t", { reply: replyTo }, { jobId: id });

      // active, not completed: nothing is published (the script finds no record), and the caller is told so
      const first = (await worker.getNextJob("token-1")) as Job;
      expect(first.id).toBe("first");
      await expect(publishWhenRecorded(client, first, replyTo)).resolves.toBe(false);
      // completed: published right behind BullMQ's moveToFinished, sent in the same turn after it
      const published = publishWhenRecorded(client, first, replyTo);
      await first.moveToCompleted({ output: { sealed: "x" }, n: 1 }, "token-1", false);
      await expect(published).resolves.toBe(true);

      // the value published is the one Redis holds, not what the caller may think it returned
      const second = (await worker.getNextJob("token-2")) as Job;
      await second.moveToCompleted({ n: 2 }, "token-2", false);
      await expect(publishWhenRecorded(client, second, replyTo)).resolves.toBe(true);
      // a reply id of another form is no channel: nothing is sent
      await expect(publishWhenRecorded(client, second, "not-a-reply-id")).resolves.toBe(false);

      await new Promise((r) => setTimeout(r, 200));
      expect(heard).toEqual([
        { jobId: "first", result: { output: { sealed: "x" }, n: 1 } },
        { jobId: "second", result: { n: 2 } },
      ]);
    } finally {
      subscriber.disconnect();
      await worker.close();
      await queue.close();
    }
  });
});
