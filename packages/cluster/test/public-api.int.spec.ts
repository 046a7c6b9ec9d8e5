import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { InProcessExecutor, StepHandlerRegistry, WorkflowEngine, type StepHandler } from "@bear/workflow-engine";
import { ClusterNode, StepWorker, liveWorkers, type FilePayloads } from "@bear/cluster";
import { contentCipherFromKey } from "@bear/security";
import { startTestRedis, type TestRedis } from "./fixtures/redis-server";
import { tempDir } from "./fixtures/test-cluster";

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.kill();
});

it("an embedder sends a workflow's steps to a worker through the public API only", async () => {
  const shout: StepHandler<{ text: string }> = { type: "shout", execute: async (ctx) => ctx.parameters.text.toUpperCase() };
  const registry = new StepHandlerRegistry([shout as StepHandler<never>]);
  const node = new ClusterNode({ redisUrl: redis.url, payloadDir: tempDir("bear-public-"), keyCipher: contentCipherFromKey });
  const engine = WorkflowEngine.inMemory({ registry, executor: node.decorate(new InProcessExecutor(registry)), coordination: node.runs });
  await node.attach(engine);
  const worker = new StepWorker({ endpoint: node.endpoint, executor: new InProcessExecutor(registry), stepTypes: registry.types(), payloads: node.payloads });
  await worker.start();
  try {
    const reports = await liveWorkers(node.redis);
    expect(reports.map((r) => r.capabilities)).toEqual([["shout"]]);
    const result = await engine.run({ name: "hello", steps: [{ id: "s", type: "shout", parameters: { text: "hello" } }] });
    expect(result.outputs["s"]).toBe("HELLO");
  } finally {
    await engine.dispose();
    await worker.close();
    await node.close();
  }
});

it("closing a node zeroises the cipher of the cluster's payload key it made: nothing is sealed or opened with it after", async () => {
  const node = new ClusterNode({ redisUrl: redis.url, payloadDir: tempDir("bear-public-"), keyCipher: contentCipherFromKey });
  const payloads = node.payloads as FilePayloads;
  const seal = payloads.jobSeal; // made from the key file on first use
  const sealed = seal.seal("a small step payload", "run-1");
  expect(payloads.jobSeal.open(sealed, "run-1")).toBe("a small step payload");
  await node.close();
  expect(() => seal.seal("after close")).toThrow(expect.objectContaining({ code: "DISPOSED" }));
  expect(() => seal.open(sealed, "run-1")).toThrow(expect.objectContaining({ code: "DISPOSED" }));
  expect(() => payloads.jobSeal).toThrow(expect.objectContaining({ code: "DISPOSED" })); // the key file is not read again
});
