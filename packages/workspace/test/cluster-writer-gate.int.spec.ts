// Several machines share one workspace folder in a cluster: the index's host lock (a pid file)
// cannot see a writer on another host, so commits also take a lease in the cluster's Redis.
// "Another machine" is played by a RedisWriterGate in this process or in a child process that is
// SIGKILLed while it holds the lease.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import { RedisWriterGate, parseRedisUrl } from "@bear/cluster";
import { openWorkspace, WorkspaceFolder, type Workspace } from "@bear/workspace";
import { startRedis } from "./support/redis-server";
import { quietConfig, tempDirs } from "./support/workspace-fixture";

const tempDir = tempDirs("bear-ws-gate-");
const CONTRACT = "SUPPLY AGREEMENT\n\n1. Term. This Agreement runs for three years.\n\n2. Governing Law. The laws of the State of Delaware govern this Agreement.\n";

let redis: Awaited<ReturnType<typeof startRedis>>;
let client: Redis;
beforeAll(async () => {
  redis = await startRedis();
  const endpoint = parseRedisUrl(redis.url);
  client = new Redis({ host: endpoint.host, port: endpoint.port, password: endpoint.password!, maxRetriesPerRequest: null });
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

async function clusterWorkspace(waitMs: number): Promise<{ workspace: Workspace; files: string }> {
  const dir = path.join(tempDir(), "ws");
  const files = tempDir();
  fs.writeFileSync(path.join(files, "supply.txt"), CONTRACT);
  const workspace = await openWorkspace({ config: quietConfig(dir), create: true, ingestRoot: files, indexLockWaitMs: waitMs, cluster: { redisUrl: redis.url, role: "worker" } });
  return { workspace, files };
}

const otherMachine = (leaseMs = 15_000): RedisWriterGate => new RedisWriterGate({ redis: client, name: "index", display: "test", leaseMs });

describe("index commits in a cluster", () => {
  it("wait for another machine's commit (the Redis lease), fail with RAG_INDEX_BUSY after the wait, and go ahead once it is released", async () => {
    const { workspace, files } = await clusterWorkspace(1_200);
    try {
      const rag = await workspace.rag();
      const hold = await otherMachine().acquire({ waitMs: 0 });
      const started = Date.now();
      const busy = await rag.ingest([files], { matter: "acme" }).then(
        (report) => report.files.map((f) => f.error?.code ?? f.status),
        (error: { code?: string }) => [error.code],
      );
      expect(busy).toEqual(["RAG_INDEX_BUSY"]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_100);
      expect((await rag.documents()).length).toBe(0);
      await hold.release();
      const report = await rag.ingest([files], { matter: "acme" });
      expect(report.added).toBe(1);
      // unencrypted, the cache's L2 stays on the workspace's disk: no document text reaches Redis unasked
      expect((await workspace.cacheStats()).l2?.backend).toBe("disk");
      // the lease is given back after the commit: another machine can take it at once
      const next = await otherMachine().tryAcquire();
      expect(next).toBeDefined();
      await next!.release();
    } finally {
      await workspace.dispose();
    }
  });

  it("an encrypted cluster workspace keeps its cache's L2 in the cluster's Redis, sealed", async () => {
    const dir = path.join(tempDir(), "ws");
    await WorkspaceFolder.at(dir).create({ passphrase: "correct horse battery", scrypt: { N: 2 ** 14, r: 8, p: 1 } });
    const workspace = await openWorkspace({ config: quietConfig(dir), passphrase: "correct horse battery", cluster: { redisUrl: redis.url, role: "worker" } });
    try {
      expect((await workspace.cacheStats()).l2).toMatchObject({ backend: "redis", sealed: true });
    } finally {
      await workspace.dispose();
    }
  });

  it("a machine killed while it holds the lease delays the next commit by the lease, not for ever", async () => {
    const { workspace, files } = await clusterWorkspace(20_000);
    const rag = await workspace.rag();
    const holder = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { Redis } from "ioredis"; import { RedisWriterGate, parseRedisUrl } from "@bear/cluster";
         const e = parseRedisUrl(process.argv[1]);
         const redis = new Redis({ host: e.host, port: e.port, password: e.password, maxRetriesPerRequest: null });
         await new RedisWriterGate({ redis, name: "index", display: "child", leaseMs: 1500 }).acquire({ waitMs: 0 });
         process.stdout.write("held\\n"); setInterval(() => {}, 1000);`,
        redis.url,
      ],
      { cwd: import.meta.dirname, stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on("data", (d: Buffer) => d.toString().includes("held") && resolve());
        holder.once("exit", (code) => reject(new Error(`holder exited ${code}`)));
      });
      holder.kill("SIGKILL");
      // the dead holder's lease is still there: the ingest has to outlast it
      expect(await client.pttl("bear:writer:index")).toBeGreaterThan(0);
      const started = Date.now();
      const report = await rag.ingest([files], { matter: "acme" });
      expect(report.added).toBe(1);
      // renewed by a live holder it would have lasted; killed, it lapses within its 1.5 s lease
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(await client.get("bear:writer:index")).toBeNull();
    } finally {
      holder.kill("SIGKILL");
      await workspace.dispose();
    }
  });
});
