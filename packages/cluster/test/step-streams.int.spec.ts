// Streamed text (a generation's tokens) from workers to the instance waiting for it: one pattern
// subscription per instance for all its calls, on real Redis.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import type { ContentCipher } from "@bear/core";
import { contentCipherFromKey as keyCipher } from "@bear/security";
import { ClusterNode } from "../src/cluster-node";
import { workspaceCipher } from "../src/payloads/workspace-cipher";
import { StepStreams, type StepStreamReader } from "../src/queue/step-streams";
import { startTestRedis, type TestRedis } from "./fixtures/redis-server";
import { tempDir } from "./fixtures/test-cluster";

let redis: TestRedis;
const clients: Redis[] = [];
const connect = (): Redis => {
  const c = new Redis({ port: redis.port, host: "127.0.0.1", password: redis.password });
  clients.push(c);
  return c;
};
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await redis.kill();
});

/** Everything a reader yields until it ends. */
async function drain(reader: StepStreamReader): Promise<string> {
  let text = "";
  for (let piece = await reader.next(); piece !== undefined; piece = await reader.next()) text += piece;
  return text;
}

const tick = (ms = 50): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("StepStreams", () => {
  it("two concurrent streams of one instance share one pattern subscription, and each reads only its own text, in order", async () => {
    const admin = connect();
    const instance = new StepStreams(connect(), connect(), undefined);
    const worker = new StepStreams(connect(), connect(), undefined); // another process's publisher
    const [a, b] = [await instance.open(), await instance.open()];
    expect(a.id).not.toBe(b.id);
    // one PSUBSCRIBE for the instance, no channel subscribed per call
    expect(await admin.call("PUBSUB", "NUMPAT")).toBe(1);
    expect(await admin.call("PUBSUB", "CHANNELS", "bear:step-stream:*")).toEqual([]);
    const wa = worker.writer(a.id);
    const wb = worker.writer(b.id);
    const words = Array.from({ length: 40 }, (_, i) => `w${i} `);
    for (const w of words) {
      wa.write(`a:${w}`);
      wb.write(`b:${w}`);
      if (Number(w.slice(1, -1)) % 7 === 0) await tick(5);
    }
    await Promise.all([wa.flush(), wb.flush()]);
    await tick();
    a.end();
    b.end();
    const [ta, tb] = await Promise.all([drain(a), drain(b)]);
    expect(ta).toBe(words.map((w) => `a:${w}`).join(""));
    expect(tb).toBe(words.map((w) => `b:${w}`).join(""));
    a.close();
    b.close();
    // a third call needs no new subscription either
    const c = await instance.open();
    expect(await admin.call("PUBSUB", "NUMPAT")).toBe(1);
    c.close();
  });

  it("a stream closed mid-way (an abort) stops at once; the other goes on, and a late message for it is dropped", async () => {
    const instance = new StepStreams(connect(), connect(), undefined);
    const worker = new StepStreams(connect(), connect(), undefined);
    const [a, b] = [await instance.open(), await instance.open()];
    const wa = worker.writer(a.id);
    const wb = worker.writer(b.id);
    wa.write("first ");
    wb.write("one ");
    await Promise.all([wa.flush(), wb.flush()]);
    expect(await a.next()).toBe("first ");
    const waiting = a.next(); // the reader waits for the next piece when it is aborted
    a.close();
    await expect(waiting).resolves.toBeUndefined();
    wa.write("after the abort");
    wb.write("two");
    await Promise.all([wa.flush(), wb.flush()]);
    await tick();
    expect(await a.next()).toBeUndefined();
    b.end();
    expect(await drain(b)).toBe("one two");
    b.close();
  });

  it("two instances subscribe to their own streams only; sealed text opens only on the stream it was sealed for", async () => {
    const admin = connect();
    const before = Number(await admin.call("PUBSUB", "NUMPAT"));
    const cipher: ContentCipher = keyCipher(randomBytes(32));
    const one = new StepStreams(connect(), connect(), () => cipher);
    const two = new StepStreams(connect(), connect(), () => cipher);
    const a = await one.open();
    const b = await two.open();
    expect(Number(await admin.call("PUBSUB", "NUMPAT"))).toBe(before + 2);
    expect(a.id.split(".")[0]).not.toBe(b.id.split(".")[0]);
    // what passes through Redis, seen by a stranger subscribed to every stream
    const spy = connect();
    const seen: string[] = [];
    spy.on("pmessage", (_p: string, _c: string, m: string) => seen.push(m));
    await spy.psubscribe("bear:step-stream:*");
    const worker = new StepStreams(connect(), connect(), () => cipher);
    const w = worker.writer(a.id);
    w.write("Alpha Widgets LLC shall indemnify");
    await w.flush();
    await tick();
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toContain("Alpha");
    // the same sealed message replayed onto another stream's channel is dropped there
    await spy.unsubscribe();
    await connect().publish(`bear:step-stream:${b.id}`, seen[0]!);
    await tick();
    b.end();
    expect(await drain(b)).toBe("");
    a.end();
    expect(await drain(a)).toBe("Alpha Widgets LLC shall indemnify");
    a.close();
    b.close();
  });

  it("an encrypted workspace whose cipher is not bound yet sends nothing, in the clear or otherwise", async () => {
    const instance = new StepStreams(connect(), connect(), undefined);
    const a = await instance.open();
    const spy = connect();
    const seen: string[] = [];
    spy.on("pmessage", (_p: string, _c: string, m: string) => seen.push(m));
    await spy.psubscribe("bear:step-stream:*");
    const unbound = new StepStreams(connect(), connect(), workspaceCipher(() => undefined));
    const w = unbound.writer(a.id);
    w.write("Alpha Widgets LLC");
    await expect(w.flush()).rejects.toMatchObject({ code: "WORKSPACE_CIPHER_MISSING" });
    await tick();
    expect(seen).toEqual([]);
    a.close();
  });

  it("on an unencrypted cluster the streamed tokens are sealed with the cluster's payload key: a listener on Redis sees no text in the clear", async () => {
    const payloadDir = tempDir("bear-streams-");
    const api = new ClusterNode({ redisUrl: redis.url, payloadDir, keyCipher });
    const worker = new ClusterNode({ redisUrl: redis.url, payloadDir, keyCipher });
    try {
      const spy = connect();
      const seen: string[] = [];
      spy.on("pmessage", (_p: string, _c: string, m: string) => seen.push(m));
      await spy.psubscribe("bear:step-stream:*");
      const a = await api.streams.open();
      const w = worker.streams.writer(a.id);
      w.write("Alpha Widgets LLC shall indemnify");
      await w.flush();
      await tick();
      expect(seen.length).toBeGreaterThan(0);
      for (const m of seen) expect(m).not.toContain("Alpha");
      a.end();
      expect(await drain(a)).toBe("Alpha Widgets LLC shall indemnify");
      a.close();
    } finally {
      await worker.close();
      await api.close();
    }
  });
});
