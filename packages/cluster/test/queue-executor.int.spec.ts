import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import type { AuditEvent } from "@bear/core";
import { dataProcessingHandler, InProcessExecutor, PermanentStepError, type StepHandler } from "@bear/workflow-engine";
import { StepWorker } from "../src/index";
import { Queue } from "bullmq";
import { directQueueName, QUEUE_PREFIX, stepJobId, stepQueueName } from "../src/queue/step-job";
import { startTestRedis, type TestRedis } from "./fixtures/redis-server";
import { inProcessCluster, tempDir, testRegistry } from "./fixtures/test-cluster";
import { chainWorkflow, readLog, sleepRegistry } from "./fixtures/test-steps";
import { until } from "./fixtures/child";
import { PAYLOAD_KEY_FILE } from "../src/payloads/payload-key";
import { Redis } from "ioredis";

const SECRET = "CONFIDENTIAL-CLAUSE-7f3a9";

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.kill();
});

/** A worker of one slot named `who`, serving `capabilities` with the sleep steps (logging as `who`). */
async function startSleeper(cluster: Awaited<ReturnType<typeof inProcessCluster>>, log: string, who: string, capabilities: string[]): Promise<StepWorker> {
  const worker = new StepWorker({ endpoint: cluster.node.endpoint, executor: new InProcessExecutor(sleepRegistry(log, who)), stepTypes: sleepRegistry(log, who).types(), capabilities, concurrency: 1, payloads: cluster.node.payloads, id: who });
  await worker.start();
  return worker;
}

describe("QueueExecutor + StepWorker on a real Redis", () => {
  it("runs a workflow's steps on a worker, and Redis never holds the document text", async () => {
    const executions: string[] = [];
    const upper: StepHandler<{ text: string }> = {
      type: "test.upper",
      execute: async (ctx) => {
        executions.push(ctx.stepId);
        return { text: ctx.parameters.text.toUpperCase(), length: ctx.parameters.text.length };
      },
    };
    const registry = testRegistry([upper as StepHandler<never>, dataProcessingHandler() as StepHandler<never>]);
    const payloadDir = tempDir("bear-payloads-");
    const cluster = await inProcessCluster(redis.url, registry, { payloadDir });
    try {
      const workflow = {
        name: "two-steps",
        inputs: { text: { type: "string" } },
        steps: [
          { id: "a", type: "test.upper", parameters: { text: "{{ inputs.text }}" } },
          { id: "b", type: "test.upper", depends_on: ["a"], parameters: { text: "{{ steps.a.output.text }} again" } },
          { id: "n", type: "data_processing", depends_on: ["b"], parameters: { operation: "pick", input: "{{ steps.b.output }}", fields: ["length"] } },
        ],
      };
      const result = await cluster.engine.run(workflow, { text: `the ${SECRET} text` });
      expect(result.error).toBeUndefined();
      expect(result.status).toBe("completed");
      expect(result.outputs["b"]).toEqual({ text: `THE ${SECRET.toUpperCase()} TEXT AGAIN`, length: `the ${SECRET} text again`.length });
      expect(executions.sort()).toEqual(["a", "b"]);
      const dump = await redis.dumpAll();
      expect(dump).toContain("step.test.upper"); // the dump does read the queues
      expect(dump).not.toContain(SECRET);
      expect(dump.toLowerCase()).not.toContain(SECRET.toLowerCase());
      // these small payloads travelled sealed inside the jobs (with the cluster's payload key, the
      // workspace being unencrypted), so no payload file was written; the key is the folder's only file
      expect(dump).toContain("sealed");
      const files = (): string[] => (fs.readdirSync(payloadDir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(payloadDir, f)).isFile());
      expect(files()).toEqual([PAYLOAD_KEY_FILE]);
      // a long text goes through files, which are removed once the run is done (the shard folders stay)
      const long = await cluster.engine.run(workflow, { text: `the ${SECRET} text ${"and more words ".repeat(400)}` });
      expect(long.status).toBe("completed");
      expect(fs.readdirSync(payloadDir).length).toBeGreaterThan(1); // shard folders: payloads were written here
      expect(await redis.dumpAll()).not.toContain(SECRET);
      await until(() => files().length === 1, 5_000, "the run's payload files to be removed");
    } finally {
      await cluster.close();
    }
  });

  it("a run's matter reaches its steps on the worker (the task carries it into the job)", async () => {
    const seen: Array<string | undefined> = [];
    const where: StepHandler<Record<string, never>> = {
      type: "test.where",
      execute: async (ctx) => {
        seen.push(ctx.matter);
        return { matter: ctx.matter ?? null };
      },
    };
    const cluster = await inProcessCluster(redis.url, testRegistry([where as StepHandler<never>]), { payloadDir: tempDir("bear-payloads-") });
    try {
      const workflow = { name: "where", steps: [{ id: "w", type: "test.where", parameters: {} }] };
      const inAcme = await cluster.engine.run(workflow, {}, { matter: "acme" });
      expect(inAcme.status).toBe("completed");
      expect(inAcme.outputs["w"]).toEqual({ matter: "acme" });
      const without = await cluster.engine.run(workflow, {});
      expect(without.outputs["w"]).toEqual({ matter: null });
      expect(seen).toEqual(["acme", undefined]);
    } finally {
      await cluster.close();
    }
  });

  it("the balancer directs each step to the best-scored free worker, and skips a busy one", async () => {
    const log = path.join(tempDir("bear-balancer-"), "exec.log");
    const registry = sleepRegistry(log, "engine");
    const cluster = await inProcessCluster(redis.url, registry, { payloadDir: tempDir("bear-payloads-"), workers: 0 });
    // 'specialist' serves test.sleep only (the seed's capability match favours it) and has one
    // slot; 'generalist' serves every step type with two slots each.
    const start = async (who: string, capabilities: string[]) => {
      const worker = new StepWorker({
        endpoint: cluster.node.endpoint,
        executor: new InProcessExecutor(sleepRegistry(log, who)),
        stepTypes: registry.types(),
        capabilities,
        concurrency: 1,
        payloads: cluster.node.payloads,
        // reports every second (the default): the directory counts what it sent since the last one
        id: who,
      });
      await worker.start();
      return worker;
    };
    const workers = [await start("specialist", ["test.sleep"]), await start("generalist", ["*"])];
    try {
      // One step at a time: every one goes to the specialist (BullMQ's pull alone would share them out).
      const chain = await cluster.engine.run(chainWorkflow(4, 50));
      expect(chain.status).toBe("completed");
      expect(readLog(log).filter((l) => l.run === chain.runId && l.what === "start").map((l) => l.who)).toEqual(["specialist", "specialist", "specialist", "specialist"]);
      // Two steps at once: the specialist's only slot is taken by the first, so the second goes to the generalist.
      const pair = await cluster.engine.run({
        name: "pair",
        steps: ["a", "b"].map((id) => ({ id, type: "test.sleep", parameters: { ms: 600, label: id } })),
      });
      expect(pair.status).toBe("completed");
      expect(readLog(log).filter((l) => l.run === pair.runId && l.what === "start").map((l) => l.who).sort()).toEqual(["generalist", "specialist"]);
      // the route of each attempt is recorded: a resumed run or another instance joins it there
      const routes = await redis.dumpAll();
      expect(routes).toContain("direct.specialist");
    } finally {
      await Promise.all(workers.map((w) => w.close({ force: true })));
      await cluster.close();
    }
  });

  it.each([
    { runAffinity: true, second: "generalist" },
    { runAffinity: undefined, second: "specialist" },
  ])("with runAffinity $runAffinity, a run's second step goes to the $second (its home worker is free, a better-scored one too)", async ({ runAffinity, second }) => {
    const log = path.join(tempDir("bear-home-"), "exec.log");
    const registry = sleepRegistry(log, "engine");
    const cluster = await inProcessCluster(redis.url, registry, { payloadDir: tempDir("bear-payloads-"), workers: 0, ...(runAffinity === undefined ? {} : { runAffinity }) });
    const start = (who: string, capabilities: string[]) => startSleeper(cluster, log, who, capabilities);
    const workers = [await start("generalist", ["*"])];
    try {
      // the run's first step goes to the only worker; the specialist (better scored) starts meanwhile,
      // and is free and known to the directory when 'b' is sent: with affinity 'b' still goes home;
      // by default (no affinity) it goes to the better-scored free worker
      const handle = cluster.engine.start({
        name: "home",
        steps: [
          { id: "a", type: "test.sleep", parameters: { ms: 2_500, label: "a" } },
          { id: "b", type: "test.sleep", depends_on: ["a"], parameters: { ms: 50, label: "b" } },
        ],
      });
      await until(() => readLog(log).some((l) => l.run === handle.runId && l.what === "start"), 10_000, "'a' to start");
      workers.push(await start("specialist", ["test.sleep"]));
      expect((await handle.result).status).toBe("completed");
      expect(readLog(log).filter((l) => l.run === handle.runId && l.what === "start").map((l) => l.who)).toEqual(["generalist", second]);
      // without a home (another run), the better-scored specialist is chosen
      const other = await cluster.engine.run({ name: "other", steps: [{ id: "c", type: "test.sleep", parameters: { ms: 50, label: "c" } }] });
      expect(readLog(log).find((l) => l.run === other.runId && l.what === "start")?.who).toBe("specialist");
    } finally {
      await Promise.all(workers.map((w) => w.close({ force: true })));
      await cluster.close();
    }
  });

  it("a step that joins its attempt on another worker's queue (a resumed run) frees the chosen worker's slot at once", async () => {
    const log = path.join(tempDir("bear-joined-"), "exec.log");
    const registry = sleepRegistry(log, "engine");
    const cluster = await inProcessCluster(redis.url, registry, { payloadDir: tempDir("bear-payloads-"), workers: 0 });
    const start = (who: string, capabilities: string[]) => startSleeper(cluster, log, who, capabilities);
    const workers = [await start("specialist", ["test.sleep"]), await start("generalist", ["*"])];
    try {
      await until(async () => (await cluster.node.workers.rank("test.sleep")).length === 2, 5_000, "both workers' reports");
      // an earlier sender (the instance that started the run) sent the attempt to the generalist
      const task = { runId: "joined-1", stepId: "s", type: "test.sleep", parameters: { ms: 3_000, label: "s" }, attempt: 1 };
      await cluster.node.redis.set(`bear:route:${stepJobId(task.runId, "s", 1)}`, directQueueName("generalist"));
      const executor = cluster.node.decorate(undefined as never);
      const step = executor.execute(task, { signal: new AbortController().signal, onProgress: () => undefined });
      await until(() => readLog(log).some((l) => l.run === task.runId && l.what === "start"), 5_000, "the step to start");
      expect(readLog(log).find((l) => l.run === task.runId)?.who).toBe("generalist");
      // the balancer chose the (better-scored) specialist, which runs nothing: its one slot is free again once its next report is read
      await until(async () => (await cluster.node.workers.rank("test.sleep")).find((r) => r.agentId === "specialist")?.available === true, 2_500, "the specialist to be free");
      await step;
    } finally {
      await Promise.all(workers.map((w) => w.close({ force: true })));
      await cluster.close();
    }
  });

  it("a step that Redis refuses (READONLY on a replica) fails with REDIS_UNREACHABLE, not as sent", async () => {
    const own = await startTestRedis();
    const log = path.join(tempDir("bear-readonly-"), "exec.log");
    const cluster = await inProcessCluster(own.url, sleepRegistry(log, "w"), { payloadDir: tempDir("bear-payloads-") });
    try {
      const step = () => cluster.node.runStep("test.sleep", { ms: 10, label: "x" }, { matter: null });
      await step(); // the queue is open
      await cluster.node.redis.call("REPLICAOF", "127.0.0.1", "1"); // a replica of nothing: read-only
      await expect(step()).rejects.toMatchObject({ code: "REDIS_UNREACHABLE", message: expect.stringMatching(/READONLY/) });
      await cluster.node.redis.call("REPLICAOF", "NO", "ONE");
    } finally {
      await cluster.close();
      await own.kill();
    }
  });

  it("a job of the previous wire format (v2) fails at once, permanently, naming the version mismatch", async () => {
    const log = path.join(tempDir("bear-v1-"), "exec.log");
    const cluster = await inProcessCluster(redis.url, sleepRegistry(log, "w"), { payloadDir: tempDir("bear-payloads-") });
    const queue = new Queue(stepQueueName("test.sleep"), { connection: { host: "127.0.0.1", port: cluster.node.endpoint.port, password: redis.password }, prefix: QUEUE_PREFIX });
    try {
      const data = { v: 2, runId: "old-1", stepId: "s", key: "s", type: "test.sleep", attempt: 1, matter: null, payload: { inline: { parameters: { ms: 10, label: "x" } } }, queuedAt: Date.now() };
      const job = await queue.add("test.sleep", data, { jobId: "old-1|s|1", attempts: 1 });
      await until(async () => (await job.getState()) === "failed", 5_000, "the v1 job to fail");
      const failed = (await queue.getJob(job.id!))!;
      expect(failed.failedReason).toMatch(/version 2 step job, but this worker reads version 6: all cluster processes must run the same BEAR version/);
      expect(readLog(log)).toEqual([]);
    } finally {
      await queue.close();
      await cluster.close();
    }
  });

  it("a run's actor reaches the worker's handler (job format 6); an older or newer version is refused, naming the mismatch", async () => {
    const seen: Array<{ runId: string; actor: string | null }> = [];
    const who: StepHandler = { type: "test.who", execute: async (ctx) => (seen.push({ runId: ctx.runId, actor: ctx.actor ?? null }), { actor: ctx.actor ?? null }) };
    const registry = testRegistry([who as StepHandler<never>]);
    const cluster = await inProcessCluster(redis.url, registry, { payloadDir: tempDir("bear-payloads-") });
    const connection = { host: "127.0.0.1", port: cluster.node.endpoint.port, password: redis.password };
    const queue = new Queue(stepQueueName("test.who"), { connection, prefix: QUEUE_PREFIX });
    // the balancer directs the run's steps to the worker's direct queue (or the capability queue when it is busy)
    const slots = [new Queue(directQueueName(cluster.workers[0]!.id), { connection, prefix: QUEUE_PREFIX }), queue];
    const sentJob = async (runId: string) => (await Promise.all(slots.map((q) => q.getJob(stepJobId(runId, "a", 1))))).find((j) => j !== undefined)!;
    try {
      const result = await cluster.engine.run({ name: "who", steps: [{ id: "a", type: "test.who", parameters: {} }] }, {}, { runId: "by-alice", actor: "alice" });
      expect(result.outputs["a"]).toEqual({ actor: "alice" });
      const sent = await sentJob("by-alice");
      expect(sent.data).toMatchObject({ v: 6, actor: "alice" });
      await cluster.engine.run({ name: "who", steps: [{ id: "a", type: "test.who", parameters: {} }] }, {}, { runId: "unnamed" });
      expect((await sentJob("unnamed")).data).toMatchObject({ v: 6, actor: null });
      // jobs as another version's sender writes them (the reply channel is no one's: the job's state is read)
      const { v: _v, actor: _actor, ...common } = sent.data as Record<string, unknown>;
      const add = (runId: string, data: Record<string, unknown>) => queue.add("test.who", { ...common, runId, ...data }, { jobId: stepJobId(runId, "a", 1), attempts: 1 });
      const failure = async (job: Awaited<ReturnType<typeof add>>) => {
        await until(async () => (await job.getState()) === "failed", 10_000, `job ${job.id} to fail`);
        return JSON.parse((await queue.getJob(job.id!))!.failedReason) as { code: string; message: string; retryable: boolean };
      };
      // version 5: its payload is not bound to the actor it names
      expect(await failure(await add("old-5", { v: 5, actor: "bob" }))).toMatchObject({ code: "STEP_PAYLOAD_INVALID", retryable: false, message: expect.stringContaining("is a version 5 step job, but this worker reads version 6") });
      expect(await failure(await add("new-7", { v: 7, actor: "alice" }))).toMatchObject({ code: "STEP_PAYLOAD_INVALID", retryable: false, message: expect.stringContaining("is a version 7 step job, newer than this worker reads (6)") });
      // a forged actor (a log line's worth of characters) is no step job
      expect(await failure(await add("forged", { v: 6, actor: "alice\nforged" }))).toMatchObject({ message: expect.stringContaining("not a BEAR step job") });
      expect(seen).toEqual([
        { runId: "by-alice", actor: "alice" },
        { runId: "unnamed", actor: null },
      ]);
    } finally {
      await Promise.all(slots.map((q) => q.close()));
      await cluster.close();
    }
  });

  it("a step job re-attributed in Redis (another actor, type, agent or act) or re-added under another id is refused and audited, and its handler never runs", async () => {
    const seen: Array<{ type: string; actor: string | null; agent: string | null }> = [];
    const handler = (type: string): StepHandler => ({ type, execute: async (ctx) => (seen.push({ type, actor: ctx.actor ?? null, agent: ctx.agent ?? null }), { ok: true }) });
    const registry = testRegistry([handler("test.who") as StepHandler<never>, handler("test.other") as StepHandler<never>]);
    const audited: AuditEvent[] = [];
    const cluster = await inProcessCluster(redis.url, registry, { payloadDir: tempDir("bear-payloads-"), audit: { record: async (event) => void audited.push(event) } });
    const connection = { host: "127.0.0.1", port: cluster.node.endpoint.port, password: redis.password };
    const queues = [directQueueName(cluster.workers[0]!.id), stepQueueName("test.who"), stepQueueName("test.other")].map((name) => new Queue(name, { connection, prefix: QUEUE_PREFIX }));
    const attemptId = stepJobId("genuine", "a", 1);
    try {
      const result = await cluster.engine.run({ name: "who", steps: [{ id: "a", type: "test.who", parameters: { note: "kept" } }] }, {}, { runId: "genuine", actor: "alice" });
      expect(result.status).toBe("completed");
      expect(seen).toEqual([{ type: "test.who", actor: "alice", agent: null }]);
      const original = (await Promise.all(queues.map((q) => q.getJob(attemptId)))).find((j) => j !== undefined)!.data as Record<string, unknown>;
      expect(Object.keys(original.payload as object)).toEqual(["sealed"]);
      /** The attempt's job as a Redis client can rewrite it: the finished one removed, the data re-added with `changes` under `jobId`. */
      const forge = async (changes: Record<string, unknown>, jobId = attemptId) => {
        for (const q of queues) await q.remove(jobId);
        const data = { ...original, ...changes };
        const queue = queues.find((q) => q.name === stepQueueName(data.type as string))!;
        const job = await queue.add(data.type as string, data, { jobId, attempts: 1 });
        await until(async () => ["failed", "completed"].includes(await job.getState()), 10_000, `the job re-added with ${JSON.stringify(changes)} to finish`);
        const done = (await queue.getJob(jobId))!;
        return done.failedReason ? (JSON.parse(done.failedReason) as { code: string; message: string }).code : "completed";
      };
      // the finished attempt re-added as it was sent: refused, its acts not repeated as alice
      expect(await forge({})).toBe("STEP_JOB_REPLAYED");
      expect(seen).toHaveLength(1);
      // what refuses it is the attempt's mark, set when its result was recorded, kept a week (as the job's own record)
      const marker = new Redis({ host: "127.0.0.1", port: redis.port, password: redis.password });
      const mark = `bear:done:${attemptId}`;
      try {
        expect(Number(await marker.get(mark))).toBeGreaterThan(Date.now() - 60_000);
        expect(await marker.ttl(mark)).toBeGreaterThan(6 * 24 * 3600);
        await marker.del(mark); // as once the week is over: the binding still refuses what was altered
      } finally {
        marker.disconnect();
      }
      const outcomes = {
        actor: await forge({ actor: "admin" }),
        unnamed: await forge({ actor: null }),
        type: await forge({ type: "test.other" }),
        agent: await forge({ agent: "coordinator" }),
        act: await forge({ act: true }),
        otherId: await forge({}, "elsewhere|a|1"),
        otherStep: await forge({ stepId: "b" }),
      };
      expect(outcomes).toEqual({ actor: "DECRYPTION_FAILED", unnamed: "DECRYPTION_FAILED", type: "DECRYPTION_FAILED", agent: "DECRYPTION_FAILED", act: "DECRYPTION_FAILED", otherId: "STEP_JOB_FORGED", otherStep: "STEP_JOB_FORGED" });
      // none ran; without its mark the same job re-added as it was sent runs again (the forgeries above were refused for what they changed)
      expect(seen).toHaveLength(1);
      expect(await forge({})).toBe("completed");
      expect(seen).toEqual([{ type: "test.who", actor: "alice", agent: null }, { type: "test.who", actor: "alice", agent: null }]);
      // each kind of refusal (queue, code) opens one audit record at once: denied, by the system, with the job's id and claims, never its parameters
      const firsts = [
        ["step.refused", "denied", "system", "STEP_JOB_REPLAYED", 1],
        ["step.refused", "denied", "system", "DECRYPTION_FAILED", 1],
        ["step.refused", "denied", "system", "DECRYPTION_FAILED", 1], // the test.other queue's
        ["step.refused", "denied", "system", "STEP_JOB_FORGED", 1],
      ];
      expect(audited.map((e) => [e.action, e.outcome, e.actor, e.details?.["code"], e.details?.["count"]])).toEqual(firsts);
      expect(audited[0]).toMatchObject({ resource: attemptId, details: { claimedActor: "alice", run: "genuine" } });
      expect(audited[1]).toMatchObject({ resource: attemptId, details: { claimedActor: "admin", type: "test.who", run: "genuine", worker: cluster.workers[0]!.id } });
      expect(audited[3]).toMatchObject({ resource: "elsewhere|a|1" });
      // the rest are counted, written when their window closes (here: the worker's close)
      await cluster.workers[0]!.close();
      expect(audited.slice(firsts.length).map((e) => [e.details?.["code"], e.details?.["queue"], e.details?.["count"], e.details?.["jobs"]])).toEqual([
        ["DECRYPTION_FAILED", stepQueueName("test.who"), 3, 1],
        ["STEP_JOB_FORGED", stepQueueName("test.who"), 1, 2],
      ]);
      expect(JSON.stringify(audited)).not.toContain("kept");
    } finally {
      await Promise.all(queues.map((q) => q.close()));
      await cluster.close();
    }
  });

  it("a finished attempt re-added behind another job on a slot's queue (handed out by that job's finish, not by moveToActive) is refused too", async () => {
    const seen: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const quick: StepHandler = { type: "test.quick", execute: async () => (seen.push("quick"), { ok: true }) };
    const slow: StepHandler = { type: "test.slow", execute: async () => (seen.push("slow"), await held, { ok: true }) };
    const audited: AuditEvent[] = [];
    const cluster = await inProcessCluster(redis.url, testRegistry([quick as StepHandler<never>, slow as StepHandler<never>]), { payloadDir: tempDir("bear-payloads-"), audit: { record: async (event) => void audited.push(event) } });
    const worker = cluster.workers[0]!;
    const connection = { host: "127.0.0.1", port: cluster.node.endpoint.port, password: redis.password };
    const slot = new Queue(directQueueName(worker.id), { connection, prefix: QUEUE_PREFIX });
    const capability = new Queue(stepQueueName("test.quick"), { connection, prefix: QUEUE_PREFIX });
    const attemptId = stepJobId("first", "a", 1);
    try {
      expect((await cluster.engine.run({ name: "q", steps: [{ id: "a", type: "test.quick" }] }, {}, { runId: "first", actor: "alice" })).status).toBe("completed");
      const original = ((await slot.getJob(attemptId)) ?? (await capability.getJob(attemptId)))!;
      const data = original.data as Record<string, unknown>;
      await original.remove();
      // the slot's one Worker runs a slow step; the finished attempt is re-added behind it on the same queue
      const running = cluster.engine.run({ name: "s", steps: [{ id: "b", type: "test.slow" }] }, {}, { runId: "second", actor: "alice" });
      await until(async () => seen.includes("slow"), 10_000, "the slow step to start");
      expect(worker.report().slotJobs?.[0]).toBe(stepJobId("second", "b", 1)); // slot 0: the queue added to below
      const replay = await slot.add(data.type as string, data, { jobId: attemptId, attempts: 1 });
      release();
      expect((await running).status).toBe("completed");
      await until(async () => (await replay.getState()) === "failed", 10_000, "the replay to be refused");
      expect(JSON.parse((await slot.getJob(attemptId))!.failedReason).code).toBe("STEP_JOB_REPLAYED");
      expect(seen).toEqual(["quick", "slow"]);
      expect(audited.map((e) => [e.action, e.resource, e.details?.["code"]])).toEqual([["step.refused", attemptId, "STEP_JOB_REPLAYED"]]);
    } finally {
      release();
      await Promise.all([slot.close(), capability.close()]);
      await cluster.close();
    }
  });

  it("asking again for an attempt that already ran joins it: the handler runs once", async () => {
    let runs = 0;
    const count: StepHandler = { type: "test.count", execute: async () => ({ n: ++runs }) };
    const registry = testRegistry([count as StepHandler<never>]);
    const cluster = await inProcessCluster(redis.url, registry, { payloadDir: tempDir("bear-payloads-") });
    try {
      const executor = cluster.node.decorate(undefined as never);
      const task = { runId: "join-1", stepId: "s", type: "test.count", parameters: {}, attempt: 1 };
      const options = { signal: new AbortController().signal, onProgress: () => undefined };
      const first = await executor.execute(task, options);
      const again = await executor.execute(task, options);
      expect(first).toEqual({ n: 1 });
      expect(again).toEqual({ n: 1 });
      expect(runs).toBe(1);
      const next = await executor.execute({ ...task, attempt: 2 }, options);
      expect(next).toEqual({ n: 2 });
    } finally {
      await cluster.close();
    }
  });

  it("a worker's error reaches the engine with its code, and a permanent one is not retried", async () => {
    let attempts = 0;
    const flaky: StepHandler = {
      type: "test.flaky",
      execute: async (ctx) => {
        attempts++;
        if (ctx.attempt === 1) throw Object.assign(new Error("temporary"), { code: "TEMP" });
        return { attempt: ctx.attempt };
      },
    };
    const broken: StepHandler = {
      type: "test.broken",
      execute: async () => {
        throw new PermanentStepError("p", "bad input for this step");
      },
    };
    const registry = testRegistry([flaky as StepHandler<never>, broken as StepHandler<never>]);
    const cluster = await inProcessCluster(redis.url, registry, { payloadDir: tempDir("bear-payloads-") });
    try {
      const ok = await cluster.engine.run({ name: "retry", steps: [{ id: "f", type: "test.flaky", retry: { attempts: 3, backoff: "10ms" }, parameters: {} }] });
      expect(ok.status).toBe("completed");
      expect(ok.outputs["f"]).toEqual({ attempt: 2 });
      expect(attempts).toBe(2);
      const failed = await cluster.engine.run({ name: "permanent", steps: [{ id: "p", type: "test.broken", retry: { attempts: 3, backoff: "10ms" }, parameters: {} }] });
      expect(failed.status).toBe("failed");
      expect(failed.error?.message).toContain("bad input for this step");
      const steps = cluster.engine.getRun(failed.runId).steps;
      expect(steps.find((s) => s.stepId === "p")?.attempt).toBe(1);
    } finally {
      await cluster.close();
    }
  });

  it("cancelling a run aborts its step on the worker", async () => {
    let aborted = false;
    let started = false;
    const slow: StepHandler = {
      type: "test.slow",
      execute: (ctx) =>
        new Promise((_, reject) => {
          started = true;
          ctx.signal.addEventListener("abort", () => {
            aborted = true;
            reject(new Error("aborted"));
          });
        }),
    };
    const registry = testRegistry([slow as StepHandler<never>]);
    const cluster = await inProcessCluster(redis.url, registry, { payloadDir: tempDir("bear-payloads-") });
    try {
      const handle = cluster.engine.start({ name: "slow", steps: [{ id: "s", type: "test.slow", parameters: {} }] });
      for (let i = 0; i < 400 && !started; i++) await new Promise((r) => setTimeout(r, 50));
      expect(started).toBe(true);
      cluster.engine.cancel(handle.runId);
      const result = await handle.result;
      expect(result.status).toBe("cancelled");
      for (let i = 0; i < 200 && !aborted; i++) await new Promise((r) => setTimeout(r, 50));
      expect(aborted).toBe(true);
    } finally {
      await cluster.close();
    }
  });

  it("a step's outcome and progress come back on the sender's reply channel: no stream read by the API, one PUBLISH per step and report, no command for the route record", async () => {
    const reporter: StepHandler<{ n: number }> = {
      type: "test.progress",
      execute: async (ctx) => {
        for (let i = 1; i <= ctx.parameters.n; i++) ctx.progress({ fraction: i / ctx.parameters.n, message: `piece ${i}` });
        return { n: ctx.parameters.n };
      },
    };
    const cluster = await inProcessCluster(redis.url, testRegistry([reporter as StepHandler<never>]), { payloadDir: tempDir("bear-payloads-") });
    // monitor() opens a second connection: both are closed in the finally, or jest never exits
    const monitored = new Redis({ host: "127.0.0.1", port: redis.port, password: redis.password });
    const monitor = await monitored.monitor();
    try {
      const executor = cluster.node.decorate(undefined as never);
      const seen: string[] = [];
      /** PUBLISHes run inside Lua scripts (MONITOR's source "lua"). */
      const fromScripts: string[] = [];
      const routeCommands: string[] = [];
      monitor.on("monitor", (_time: string, args: string[], source: string) => {
        seen.push(String(args[0]).toLowerCase());
        if (source === "lua" && String(args[0]).toLowerCase() === "publish") fromScripts.push(String(args[2]));
        // the attempt's route record: written inside the add's script, never read by the worker
        if (source !== "lua" && String(args[1]).startsWith("bear:route:")) routeCommands.push(String(args[0]).toLowerCase());
      });
      await new Promise((r) => setTimeout(r, 100));
      const progress: unknown[] = [];
      for (let i = 0; i < 5; i++) {
        const task = { runId: `reply-${i}`, stepId: "s", type: "test.progress", parameters: { n: 2 }, attempt: 1 };
        await expect(executor.execute(task, { signal: new AbortController().signal, onProgress: (p) => progress.push(p) })).resolves.toEqual({ n: 2 });
      }
      await new Promise((r) => setTimeout(r, 100));
      // two progress reports and the result per step, in order, each a PUBLISH on the reply channel
      expect(progress).toEqual(Array.from({ length: 5 }, () => [{ fraction: 0.5, message: "piece 1" }, { fraction: 1, message: "piece 2" }]).flat());
      expect(seen.filter((c) => c === "publish")).toHaveLength(15);
      // each result by the worker's script right behind BullMQ's moveToFinished (no round trip of the worker's first)
      expect(fromScripts.map((m) => JSON.parse(m) as { jobId: string; result?: unknown })).toEqual(Array.from({ length: 5 }, (_, i) => ({ jobId: stepJobId(`reply-${i}`, "s", 1), result: expect.anything() })));
      expect(seen.filter((c) => c === "xread")).toEqual([]);
      // no command of its own for the route record: the SET runs in the add's script (job version 5 on), the worker sends no GET
      expect(routeCommands).toEqual([]);
    } finally {
      monitor.disconnect();
      monitored.disconnect();
      await cluster.close();
    }
  });

  it("a worker with two slots has a direct queue per slot: steps sent one after another wake only the slot that runs them", async () => {
    const noop: StepHandler<Record<string, never>> = { type: "test.noop", execute: async () => ({ ok: true }) };
    const cluster = await inProcessCluster(redis.url, testRegistry([noop as StepHandler<never>]), { payloadDir: tempDir("bear-payloads-"), concurrency: 2 });
    // monitor() opens a second connection: both are closed in the finally, or jest never exits
    const monitored = new Redis({ host: "127.0.0.1", port: redis.port, password: redis.password });
    const monitor = await monitored.monitor();
    try {
      expect(cluster.workers[0]!.directQueues).toEqual([directQueueName("test-worker-0"), directQueueName("test-worker-0", 1)]);
      const executor = cluster.node.decorate(undefined as never);
      const run = (i: number): Promise<unknown> => executor.execute({ runId: `slots-${i}`, stepId: "s", type: "test.noop", parameters: {}, attempt: 1 }, { signal: new AbortController().signal, onProgress: () => undefined });
      await run(0);
      /** Per connection, the waits (BZPOPMIN) on a direct queue's wake-up marker. */
      const waits = new Map<string, number>();
      monitor.on("monitor", (_time: string, args: string[], source: string) => {
        if (String(args[0]).toLowerCase() === "bzpopmin" && String(args[1]).includes(":direct.")) waits.set(source, (waits.get(source) ?? 0) + 1);
      });
      await new Promise((r) => setTimeout(r, 100));
      for (let i = 1; i <= 6; i++) await expect(run(i)).resolves.toEqual({ ok: true });
      await new Promise((r) => setTimeout(r, 300));
      // BullMQ re-adds a queue's wake-up marker as it hands out a job: with both slots on one queue, the
      // idle one woke on every step (6 waits each); now only the running slot's connection waits again,
      // after each of its jobs (the idle one at most once, if its 10 s wait happened to end meanwhile)
      const counts = [...waits.values()].sort((a, b) => b - a);
      expect(counts[0]).toBeGreaterThanOrEqual(5);
      expect(counts.slice(1).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1);
    } finally {
      monitor.disconnect();
      monitored.disconnect();
      await cluster.close();
    }
  });

  it("a queue's event stream, which nothing reads, keeps its last ~100 events, not BullMQ's default 10,000", async () => {
    const noop: StepHandler<Record<string, never>> = { type: "test.noop", execute: async () => ({ ok: true }) };
    const cluster = await inProcessCluster(redis.url, testRegistry([noop as StepHandler<never>]), { payloadDir: tempDir("bear-payloads-"), concurrency: 1 });
    const admin = new Redis({ host: "127.0.0.1", port: redis.port, password: redis.password });
    try {
      const executor = cluster.node.decorate(undefined as never);
      for (let i = 0; i < 150; i++) await executor.execute({ runId: `events-${i}`, stepId: "s", type: "test.noop", parameters: {}, attempt: 1 }, { signal: new AbortController().signal, onProgress: () => undefined });
      const stream = `bear:${directQueueName("test-worker-0")}:events`;
      // 150 steps wrote ~600 events (waiting, active, completed, drained): Redis kept the last node or two of 100
      const kept = await admin.xlen(stream);
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThanOrEqual(200);
      expect(await admin.hget(`bear:${directQueueName("test-worker-0")}:meta`, "opts.maxLenEvents")).toBe("100");
    } finally {
      admin.disconnect();
      await cluster.close();
    }
  });

  it("an outstanding step's check is O(1): ZSCOREs on the finished sets, never getState's scan of the waiting and active lists (LPOS)", async () => {
    const log = path.join(tempDir("bear-check-cost-"), "exec.log");
    const cluster = await inProcessCluster(redis.url, sleepRegistry(log, "w"), { payloadDir: tempDir("bear-payloads-"), concurrency: 1 });
    // monitor() opens a second connection: both are closed in the finally, or jest never exits
    const monitored = new Redis({ host: "127.0.0.1", port: redis.port, password: redis.password });
    const monitor = await monitored.monitor();
    const getJobState = jest.spyOn(Queue.prototype, "getJobState");
    try {
      await cluster.node.runStep("test.sleep", { ms: 10, label: "warm" }, { matter: null });
      const seen: string[] = [];
      monitor.on("monitor", (_time: string, args: string[]) => seen.push(String(args[0]).toLowerCase()));
      // four steps outstanding for over two checks (one runs, three wait in the queue); getState would LPOS the wait and active lists (BullMQ's getStateV2)
      const steps = Array.from({ length: 4 }, (_, i) => cluster.node.runStep("test.sleep", { ms: 700, label: `s${i}` }, { matter: null }));
      await expect(Promise.all(steps)).resolves.toHaveLength(4);
      expect(getJobState).not.toHaveBeenCalled();
      expect(seen.filter((c) => c === "lpos")).toEqual([]);
      expect(seen.filter((c) => c === "zscore").length).toBeGreaterThan(0); // the checks ran, as ZSCOREs
    } finally {
      getJobState.mockRestore();
      monitor.disconnect();
      monitored.disconnect();
      await cluster.close();
    }
  });

  it("outstanding steps share one check timer (none set per step), and each is still checked", async () => {
    const log = path.join(tempDir("bear-one-timer-"), "exec.log");
    const cluster = await inProcessCluster(redis.url, sleepRegistry(log, "w"), { payloadDir: tempDir("bear-payloads-"), concurrency: 2 });
    const monitored = new Redis({ host: "127.0.0.1", port: redis.port, password: redis.password });
    const monitor = await monitored.monitor();
    const setTimer = globalThis.setInterval;
    const executorTimers: number[] = [];
    const spy = jest.spyOn(globalThis, "setInterval").mockImplementation(((handler: () => void, ms?: number) => {
      if ((new Error().stack ?? "").includes("queue-executor")) executorTimers.push(ms ?? 0);
      return setTimer(handler, ms);
    }) as typeof setInterval);
    try {
      const seen: string[] = [];
      monitor.on("monitor", (_time: string, args: string[]) => seen.push(String(args[0]).toLowerCase()));
      // ten steps one after another, then four outstanding together for over a check period
      for (let i = 0; i < 10; i++) await cluster.node.runStep("test.sleep", { ms: 1, label: `quick${i}` }, { matter: null });
      await expect(Promise.all(Array.from({ length: 4 }, (_, i) => cluster.node.runStep("test.sleep", { ms: 1_400, label: `s${i}` }, { matter: null })))).resolves.toHaveLength(4);
      // one timer while steps are out, stopped at a tick that finds none (a gap between the quick steps may
      // restart it once or twice); a timer per step made 14
      expect(executorTimers.length).toBeLessThanOrEqual(3);
      expect(seen.filter((c) => c === "zscore").length).toBeGreaterThan(0); // the checks ran
    } finally {
      spy.mockRestore();
      monitor.disconnect();
      monitored.disconnect();
      await cluster.close();
    }
  });

  it("a reply that never arrives (the channel unsubscribed meanwhile) is made up for by reading the job's state", async () => {
    const log = path.join(tempDir("bear-lost-reply-"), "exec.log");
    const cluster = await inProcessCluster(redis.url, sleepRegistry(log, "w"), { payloadDir: tempDir("bear-payloads-") });
    try {
      await cluster.node.runStep("test.sleep", { ms: 10, label: "warm" }, { matter: null }); // the reply channel is subscribed
      const channels = (await cluster.node.redis.call("PUBSUB", "CHANNELS", "bear:step-reply:*")) as string[];
      expect(channels).toHaveLength(1);
      const step = cluster.node.runStep("test.sleep", { ms: 300, label: "lost" }, { matter: null });
      await until(() => readLog(log).some((l) => l.what === "start" && l.run.startsWith("act-") && readLog(log).filter((m) => m.what === "start").length === 2), 5_000, "the step to start");
      await cluster.node.subscriber.unsubscribe(channels[0]!);
      const started = Date.now();
      await expect(step).resolves.toMatchObject({ label: "lost" });
      // settled by a state check (every second), not by the reply
      expect(Date.now() - started).toBeLessThan(2_500);
    } finally {
      await cluster.close();
    }
  });
});
