// A workspace run as an API instance of a cluster (`bear serve --redis`) sends its own acts'
// CPU work to the workers: a redaction's scan (`redact`) and an ingest's preparation of each new
// file (`ingest.prepare`: extract, scrub, chunk, embed), while the policy, the vault and the index
// commits stay with the instance. Real Redis, real worker processes, real CUAD contracts; each
// result is compared with the same act done in-process.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { openWorkspace, type Workspace } from "@bear/workspace";
import { indexSnapshot, ranBy, reportOf, startWorker, stopWorker as stop, type WorkerChild as Child } from "./support/cluster-workers";
import { startRedis } from "./support/redis-server";
import { quietConfig, tempDirs } from "./support/workspace-fixture";

const tempDir = tempDirs("bear-ws-steps-");
const packageDir = path.resolve(import.meta.dirname, "..");
const cuad = path.resolve(packageDir, "../../../shared/data/cuad_train/full_contract_txt");

/** A few CUAD contracts, picked by a hash of their names (not by content), under 40 KB so the test stays quick. */
function contracts(n: number): Array<{ name: string; text: string }> {
  const names = fs
    .readdirSync(cuad)
    .filter((f) => f.endsWith(".txt"))
    .sort((a, b) => createHash("sha1").update(a).digest("hex").localeCompare(createHash("sha1").update(b).digest("hex")));
  const picked: Array<{ name: string; text: string }> = [];
  for (const name of names) {
    const text = fs.readFileSync(path.join(cuad, name), "utf8");
    if (text.length > 5_000 && text.length < 40_000) picked.push({ name: `contract-${picked.length + 1}.txt`, text });
    if (picked.length === n) break;
  }
  return picked;
}

let redis: Awaited<ReturnType<typeof startRedis>>;
let dataDir: string;
let legalOnly: Child | undefined;
let pluginWorker: Child | undefined;
let redactor: Child | undefined;
let reviewer: Child | undefined;
beforeAll(async () => {
  redis = await startRedis();
  dataDir = path.join(tempDir(), "ws");
  await (await openWorkspace({ config: quietConfig(dataDir), create: true })).dispose();
  // a worker without the capability: it must never be picked for a redaction or an ingest
  legalOnly = await startWorker(dataDir, redis.url, "legal-only", "legal.*");
}, 120_000);
afterAll(async () => {
  await stop(legalOnly);
  await stop(redactor);
  await stop(reviewer);
  await stop(pluginWorker);
  await redis.stop();
});

const instance = (options: { ingestRoot?: string; waitForWorkerMs?: number } = {}): Promise<Workspace> =>
  openWorkspace({
    config: quietConfig(dataDir),
    cluster: { redisUrl: redis.url, role: "instance", waitForWorkerMs: options.waitForWorkerMs ?? 20_000 },
    offload: { workers: 0 },
    ...(options.ingestRoot ? { ingestRoot: options.ingestRoot } : {}),
  });

describe("an API instance's redaction and ingest work on the cluster's workers", () => {
  it("the acts' step types exist in a cluster and in-process alike (a cluster's unfinished run resumes standalone)", async () => {
    const acts = ["redact", "review", "ingest.prepare", "llm.generate", "llm.tokens"];
    const local = await openWorkspace({ config: quietConfig(dataDir), offload: { workers: 0 } });
    try {
      await local.workflows();
      expect(acts.filter((t) => local.workflowRegistry().types().includes(t))).toEqual(acts);
      expect(local.workflowRegistry().types()).toContain("legal.classify_clauses"); // the workspace's own step types are there
    } finally {
      await local.dispose();
    }
    const clustered = await instance();
    try {
      await clustered.workflows();
      expect(acts.filter((t) => clustered.workflowRegistry().types().includes(t))).toEqual(acts);
    } finally {
      await clustered.dispose();
    }
  });

  it("with no worker able to redact, a redaction fails with NO_CAPABLE_WORKER (the legal.* worker is not picked)", async () => {
    const workspace = await instance({ waitForWorkerMs: 1_500 });
    try {
      await expect(workspace.redact("Call John Smith at 555-123-4567.", { actor: "alice" })).rejects.toMatchObject({ code: "NO_CAPABLE_WORKER" });
      expect(await ranBy(workspace, "legal-only")).toEqual({});
    } finally {
      await workspace.dispose();
    }
  });

  it("redacts CUAD contracts on the worker with the redact capability, exactly as in-process", async () => {
    redactor = await startWorker(dataDir, redis.url, "redactor", "redact,ingest.*");
    const texts = contracts(4);
    const policies = ["default", "mask-numbers", "default", "redact"];
    const clustered = await instance();
    const remote: unknown[] = [];
    try {
      for (const [i, { text, name }] of texts.entries()) {
        const { result } = await clustered.redact(text, { actor: "alice", policy: policies[i]!, documentId: name });
        remote.push(result);
      }
      // also through a matter's placeholder table, which stays with the instance
      remote.push((await clustered.redact(texts[0]!.text, { actor: "alice", matterId: "acme" })).result);
      expect(await ranBy(clustered, "redactor", { redact: 5 })).toEqual({ redact: 5 });
      expect(await ranBy(clustered, "legal-only")).toEqual({});
    } finally {
      await clustered.dispose();
    }
    fs.rmSync(path.join(dataDir, "state", "matters"), { recursive: true, force: true }); // the matter's table starts afresh in-process too
    const local = await openWorkspace({ config: quietConfig(dataDir), offload: { workers: 0 } });
    try {
      const expected: unknown[] = [];
      for (const [i, { text, name }] of texts.entries()) expected.push((await local.redact(text, { actor: "alice", policy: policies[i]!, documentId: name })).result);
      expected.push((await local.redact(texts[0]!.text, { actor: "alice", matterId: "acme" })).result);
      expect(remote).toHaveLength(expected.length);
      // the redacted text, what was found and where each replacement went (toOriginalSpan is a function of these)
      const plain = (r: unknown): unknown => {
        const { text, policy, findings, replacements } = r as Record<string, unknown>;
        return { text, policy, findings, replacements };
      };
      for (const [i, result] of remote.entries()) {
        expect(plain(result)).toEqual(plain(expected[i]));
        expect((result as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
      }
    } finally {
      await local.dispose();
    }
  }, 180_000);

  it("ingests files and an upload with their CPU work on the worker; the instance commits, and the index equals an in-process ingest's", async () => {
    redactor ??= await startWorker(dataDir, redis.url, "redactor", "redact,ingest.*");
    const texts = contracts(5);
    const files = tempDir();
    for (const { name, text } of texts.slice(0, 4)) fs.writeFileSync(path.join(files, name), text);
    const upload = texts[4]!;

    const clustered = await instance({ ingestRoot: files });
    let remote: unknown[];
    try {
      const report = await (await clustered.rag()).ingest([files], { matter: "acme", actor: "alice" });
      expect(report.added).toBe(4);
      // the instance reads its own commits at once
      expect((await clustered.search("agreement", { k: 3, filter: { matters: ["acme"] } }, "alice")).length).toBeGreaterThan(0);
    } finally {
      await clustered.dispose();
    }
    // an upload (as `bear serve --redis` takes one): the worker reads it from the shared uploads folder
    const server = await instance();
    try {
      const uploaded = await server.upload({ matter: "acme", fileName: upload.name, body: Readable.from([Buffer.from(upload.text)]), actor: "alice" });
      expect(uploaded.status).toBe("added");
      expect(await ranBy(server, "redactor", { redact: 5, "ingest.prepare": 5 })).toEqual({ redact: 5, "ingest.prepare": 5 });
      expect(await ranBy(server, "legal-only")).toEqual({});
      remote = await indexSnapshot(server, "acme", "termination notice");
    } finally {
      await server.dispose();
    }
    // the same files and upload, ingested in-process into another matter of the same workspace
    const local = await openWorkspace({ config: quietConfig(dataDir), offload: { workers: 0 }, ingestRoot: files });
    try {
      expect((await (await local.rag()).ingest([files], { matter: "local", actor: "alice" })).added).toBe(4);
    } finally {
      await local.dispose();
    }
    const localServer = await openWorkspace({ config: quietConfig(dataDir), offload: { workers: 0 } });
    try {
      await localServer.upload({ matter: "local", fileName: upload.name, body: Readable.from([Buffer.from(upload.text)]), actor: "alice" });
      const expected = await indexSnapshot(localServer, "local", "termination notice");
      expect(remote).toHaveLength(5);
      expect(remote).toEqual(expected);
    } finally {
      await localServer.dispose();
    }
  }, 180_000);

  it("a step-type plugin installed while a worker runs: the worker serves it from its next report on", async () => {
    pluginWorker = await startWorker(dataDir, redis.url, "plugin-worker", "redact,healthy.*");
    const workspace = await instance({ waitForWorkerMs: 20_000 });
    try {
      expect((await reportOf(workspace, "plugin-worker")).capabilities).toEqual(["redact"]);
      fs.cpSync(path.resolve(packageDir, "../plugins/test/fixtures/hostile/healthy"), path.join(dataDir, "plugins", "healthy"), { recursive: true });
      const output = await workspace.cluster!.runStep("healthy.echo", { n: 7 }, { matter: null });
      expect(output).toMatchObject({ echo: { n: 7 } });
      expect((await reportOf(workspace, "plugin-worker")).capabilities).toEqual(["redact", "healthy.echo"]);
      expect(await ranBy(workspace, "plugin-worker", { "healthy.echo": 1 })).toEqual({ "healthy.echo": 1 });
    } finally {
      await workspace.dispose();
      fs.rmSync(path.join(dataDir, "plugins", "healthy"), { recursive: true, force: true });
    }
  }, 120_000);

  it("reviews contracts on the worker with the review capability, the same report as in-process; a cached report is not sent again", async () => {
    const texts = contracts(2);
    const noReviewer = await instance({ waitForWorkerMs: 1_500 });
    try {
      await expect(noReviewer.review(texts[0]!.text, { actor: "alice", resource: "r0" })).rejects.toMatchObject({ code: "NO_CAPABLE_WORKER" });
    } finally {
      await noReviewer.dispose();
    }
    reviewer = await startWorker(dataDir, redis.url, "reviewer", "review");
    const clustered = await instance();
    const remote: unknown[] = [];
    try {
      for (const [i, { text, name }] of texts.entries()) remote.push(await clustered.review(text, { actor: "alice", resource: `r${i}`, documentName: name }));
      // the second time the instance's cache answers: no step is sent
      await clustered.review(texts[0]!.text, { actor: "alice", resource: "r0", documentName: texts[0]!.name });
      expect(await ranBy(clustered, "reviewer", { review: 2 })).toEqual({ review: 2 });
      expect(await ranBy(clustered, "legal-only")).toEqual({});
    } finally {
      await clustered.dispose();
    }
    const local = await openWorkspace({ config: quietConfig(dataDir), offload: { workers: 0 } });
    try {
      const timeless = (r: unknown): unknown => ({ ...(r as Record<string, unknown>), generatedAt: undefined });
      for (const [i, { text, name }] of texts.entries()) {
        const expected = await local.computeReview(text, { documentName: name });
        expect(expected.clauses.length).toBeGreaterThan(0);
        expect(timeless(remote[i])).toEqual(timeless(expected));
      }
    } finally {
      await local.dispose();
    }
  }, 180_000);
});
