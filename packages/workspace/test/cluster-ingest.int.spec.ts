// An API instance's ingest prepared on worker processes (`ingest.prepare`) in an encrypted
// workspace with an embedding model: the index equals an in-process ingest's, Redis never holds the
// text, and a worker SIGKILLed mid-ingest loses nothing: its steps are run again by the other
// worker and each document is committed once. Real Redis, real worker processes, real CUAD
// contracts, the real model2vec GGUF embedder.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import type { BearConfig } from "@bear/core";
import { openWorkspace, WorkspaceFolder, type Workspace } from "@bear/workspace";
import { indexSnapshot, ranBy, reportOf, startWorker, stopWorker, type WorkerChild } from "./support/cluster-workers";
import { startRedis } from "./support/redis-server";
import { quietConfig, tempDirs } from "./support/workspace-fixture";

const tempDir = tempDirs("bear-ws-ingest-");
const cuad = path.resolve(import.meta.dirname, "../../../../shared/data/cuad_train/full_contract_txt");
const EMBEDDER = "model2vec-vq128-bge-base";
const models = { dirs: [path.resolve(import.meta.dirname, "../../../../shared/models", EMBEDDER)], embedder: EMBEDDER, threads: 1 };
const PASSPHRASE = "correct horse battery";

/** CUAD contracts picked by a hash of their names (not by content), 5-40 KB, `skip` first ones left out. */
function contracts(n: number, skip = 0): Array<{ name: string; text: string }> {
  const names = fs
    .readdirSync(cuad)
    .filter((f) => f.endsWith(".txt"))
    .sort((a, b) => createHash("sha1").update(`ingest:${a}`).digest("hex").localeCompare(createHash("sha1").update(`ingest:${b}`).digest("hex")));
  const picked: Array<{ name: string; text: string }> = [];
  for (const name of names) {
    const text = fs.readFileSync(path.join(cuad, name), "utf8");
    if (text.length > 5_000 && text.length < 40_000) picked.push({ name: `contract-${picked.length + 1}.txt`, text });
    if (picked.length === n + skip) break;
  }
  return picked.slice(skip);
}

let redis: Awaited<ReturnType<typeof startRedis>>;
let dataDir: string;
let workerA: WorkerChild | undefined;
let workerB: WorkerChild | undefined;

const config = (): BearConfig => {
  const base = quietConfig(dataDir);
  return { ...base, models: { ...base.models, ...models } };
};
const instance = (ingestRoot: string): Promise<Workspace> =>
  openWorkspace({ config: config(), passphrase: PASSPHRASE, ingestRoot, cluster: { redisUrl: redis.url, role: "instance", waitForWorkerMs: 20_000 }, offload: { workers: 0 } });
const inProcess = (ingestRoot: string): Promise<Workspace> => openWorkspace({ config: config(), passphrase: PASSPHRASE, ingestRoot, offload: { workers: 0 } });

/** The `ingest` audit records of a matter (one per ingest run: added, chunks…). */
function ingestAudits(matter: string): Array<Record<string, unknown>> {
  const lines = fs.readFileSync(path.join(dataDir, "audit", "audit.jsonl"), "utf8").split("\n").filter(Boolean);
  return lines
    .map((line) => JSON.parse(line) as { action: string; matter?: string; details?: Record<string, unknown> })
    .filter((r) => r.action === "ingest" && r.matter === matter)
    .map((r) => r.details ?? {});
}

function folderWith(files: Array<{ name: string; text: string }>): string {
  const dir = tempDir();
  for (const { name, text } of files) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

beforeAll(async () => {
  redis = await startRedis();
  dataDir = path.join(tempDir(), "ws");
  await WorkspaceFolder.at(dataDir).create({ passphrase: PASSPHRASE, scrypt: { N: 2 ** 14, r: 8, p: 1 } });
  workerA = await startWorker(dataDir, redis.url, "prep-a", "ingest.*", models, PASSPHRASE);
}, 120_000);
afterAll(async () => {
  await stopWorker(workerA);
  await stopWorker(workerB);
  await redis.stop();
});

describe("ingest on the cluster's workers, encrypted, with an embedding model", () => {
  it("prepares and embeds on the worker: the same index as in-process, and no document text in Redis", async () => {
    const texts = contracts(3);
    const files = folderWith(texts);
    const clustered = await instance(files);
    let remote: unknown[];
    try {
      const report = await (await clustered.rag()).ingest([files], { matter: "acme", actor: "alice" });
      expect(report.added).toBe(3);
      expect(await ranBy(clustered, "prep-a", { "ingest.prepare": 3 })).toEqual({ "ingest.prepare": 3 });
      remote = await indexSnapshot(clustered, "acme", "termination for convenience on written notice", "vector");
    } finally {
      await clustered.dispose();
    }
    const local = await inProcess(files);
    try {
      expect((await (await local.rag()).ingest([files], { matter: "local", actor: "alice" })).added).toBe(3);
      const expected = await indexSnapshot(local, "local", "termination for convenience on written notice", "vector");
      expect(remote).toHaveLength(3);
      expect(remote).toEqual(expected);
      expect((expected[0] as { hits: unknown[] }).hits.length).toBeGreaterThan(0);
    } finally {
      await local.dispose();
    }
    // every key and value in Redis: ids and sealed payload names only
    const client = new Redis(redis.url);
    try {
      const words = texts.map((t) => t.text.split(/\s+/).filter((w) => w.length > 12)[0]!).filter(Boolean);
      const keys = await client.keys("*");
      expect(keys.length).toBeGreaterThan(0);
      const dump = (await Promise.all(keys.map(async (k) => `${k} ${JSON.stringify(await client.dump(k))}`))).join("\n");
      for (const word of words) expect(dump.includes(word)).toBe(false);
    } finally {
      client.disconnect();
    }
  }, 180_000);

  it("a worker SIGKILLed mid-ingest: its steps run again on the other worker, every document is committed once", async () => {
    workerB = await startWorker(dataDir, redis.url, "prep-b", "ingest.*", models, PASSPHRASE);
    const texts = contracts(12, 3);
    const files = folderWith(texts);
    const clustered = await instance(files);
    let remote: unknown[];
    let beforeKill: number;
    let chunks: number;
    try {
      const startA = (await ranBy(clustered, "prep-a"))["ingest.prepare"] ?? 0;
      const ingest = (await clustered.rag()).ingest([files], { matter: "kill", actor: "alice" });
      // kill prep-a while it runs a step
      for (;;) {
        const report = await reportOf(clustered, "prep-a");
        if (report.running > 0) {
          beforeKill = (report.history["ingest.prepare"]?.successes ?? 0) - startA;
          break;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      await stopWorker(workerA);
      const report = await ingest;
      expect(report.added).toBe(12);
      expect(report.failed).toBe(0);
      chunks = report.chunksWritten;
      // prep-b took over: it prepared files (prep-a's report is up to a second old, and a quick
      // prep-a finishes several files in that second, so how many it left is not known exactly;
      // what must hold is below: every document committed once and the index an in-process one)
      const byB = (await ranBy(clustered, "prep-b"))["ingest.prepare"] ?? 0;
      expect(byB).toBeGreaterThan(0);
      expect(beforeKill).toBeLessThan(12);
      remote = await indexSnapshot(clustered, "kill", "termination for convenience on written notice", "vector");
    } finally {
      await clustered.dispose();
    }
    // one ingest, audited once: 12 documents and their chunks, committed once each
    expect(ingestAudits("kill")).toEqual([expect.objectContaining({ added: 12, failed: 0, chunks })]);
    const local = await inProcess(files);
    try {
      const expected = await (await local.rag()).ingest([files], { matter: "kill-local", actor: "alice" });
      expect(expected.added).toBe(12);
      expect(chunks).toBe(expected.chunksWritten);
      expect(remote).toEqual(await indexSnapshot(local, "kill-local", "termination for convenience on written notice", "vector"));
    } finally {
      await local.dispose();
    }
  }, 240_000);
});
