import { spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { bear, removeTempDirs, spawnBear, tempDir } from "./harness";
import { startRedis } from "./redis-harness";

afterAll(removeTempDirs);

/**
 * Contracts reviewed: 10 in the suite (it stays near a minute on the shared 2-core machine, most of
 * it starting four processes); BEAR_CLUSTER_CONTRACTS=50 runs the full version (see @bear/cluster's README).
 */
const CONTRACTS = Number(process.env.BEAR_CLUSTER_CONTRACTS ?? 10);
const cuad = path.resolve(import.meta.dirname, "../../../../shared/data/cuad_train/full_contract_txt");
const REVIEW_STEPS = ["extract", "classify", "assess", "comply", "validate", "report"];

interface Proc {
  readonly child: ChildProcess;
  readonly first: Record<string, unknown>;
  stderr(): string;
}

/** Starts `bear --json <args>` with the cluster's Redis in its environment; resolves with its first JSON document. */
function start(ws: string, args: string[], redisUrl: string): Promise<Proc> {
  const child = spawnBear(["--data-dir", ws, "--json", ...args], { env: { BEAR_REDIS_URL: redisUrl } });
  let stdout = "";
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill("SIGKILL"), reject(new Error(`bear ${args[0]} did not start: ${stderr}`))), 60_000);
    child.stdout!.setEncoding("utf8").on("data", (c: string) => {
      stdout += c;
      try {
        const first = JSON.parse(stdout) as Record<string, unknown>;
        clearTimeout(timer);
        resolve({ child, first, stderr: () => stderr });
      } catch {
        // not complete yet
      }
    });
    child.once("exit", (code) => (clearTimeout(timer), reject(new Error(`bear ${args[0]} exited ${code}: ${stderr}`))));
  });
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

async function api<T>(base: string, key: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}${route}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as T;
  if (!response.ok) throw new Error(`${route}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * Completed BullMQ jobs as `queue run|step|attempt` ids (read with redis-cli), from the capability
 * queues and the workers' direct queues (where the balancer's choices go).
 */
function completedJobs(port: number, password: string): string[] {
  const cli = (...args: string[]): string[] =>
    spawnSync("redis-cli", ["-p", String(port), "-a", password, "--no-auth-warning", ...args], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
  return cli("--scan", "--pattern", "bear:*:completed").flatMap((key) => cli("ZRANGE", key, "0", "-1").map((id) => `${key} ${id}`));
}

describe("a cluster: 2 API instances + 2 workers + Redis", () => {
  it(`reviews ${CONTRACTS} CUAD contracts with one worker and one instance SIGKILLed mid-way: every step completed exactly once, nothing lost`, async () => {
    const { CONTRACT_REVIEW_WORKFLOW_YAML } = await import("@bear/workspace");
    const redis = await startRedis();
    const ws = tempDir("cluster");
    expect(bear(["--data-dir", ws, "init"]).status).toBe(0);
    const procs: ChildProcess[] = [];
    try {
      const a = await start(ws, ["serve", "--port", "0"], redis.url);
      procs.push(a.child);
      const key = String(a.first["adminKey"]);
      const b = await start(ws, ["serve", "--port", "0"], redis.url);
      procs.push(b.child);
      const w1 = await start(ws, ["worker", "--concurrency", "2", "--lock-ms", "3000"], redis.url);
      procs.push(w1.child);
      const w2 = await start(ws, ["worker", "--concurrency", "2", "--lock-ms", "3000"], redis.url);
      procs.push(w2.child);
      expect(w1.first["capabilities"]).toEqual(expect.arrayContaining(["legal.extract_terms", "legal.report"]));

      const files = fs.readdirSync(cuad).filter((f) => f.endsWith(".txt")).sort();
      const texts = files.map((f) => fs.readFileSync(path.join(cuad, f), "utf8")).filter((t) => Buffer.byteLength(t) < 600_000).slice(0, CONTRACTS);
      const started = Date.now();
      const runIds: string[] = [];
      for (const [i, text] of texts.entries()) {
        const base = String((i % 2 === 0 ? a : b).first["url"]);
        const { runId } = await api<{ runId: string }>(base, key, "/api/v1/workflows", { workflow: CONTRACT_REVIEW_WORKFLOW_YAML, inputs: { text, format: "json" }, matter: "default" });
        runIds.push(runId);
      }
      const bUrl = String(b.first["url"]);
      const completed = async (): Promise<number> => (await api<{ runs: Array<{ status: string }> }>(bUrl, key, "/api/v1/workflows?status=completed&limit=500")).runs.length;
      // mid-way: one worker and the instance that started half the runs die without a word
      while ((await completed()) < Math.ceil(texts.length / 3)) await new Promise((r) => setTimeout(r, 200));
      await killHard(w1.child);
      await killHard(a.child);
      const deadline = Date.now() + 240_000;
      while ((await completed()) < texts.length) {
        if (Date.now() > deadline) throw new Error(`only ${await completed()} of ${texts.length} runs completed; instance B: ${b.stderr().slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      const seconds = (Date.now() - started) / 1000;
      process.stdout.write(`cluster review: ${texts.length} contracts in ${seconds.toFixed(1)} s (${(texts.length / seconds).toFixed(2)} contracts/s) with a worker and an instance killed\n`);

      for (const runId of runIds) {
        const run = await api<{ status: string; steps: Array<{ key: string; status: string; index: number | null }> }>(bUrl, key, `/api/v1/workflows/${runId}`);
        expect(run.status).toBe("completed");
        const top = run.steps.filter((s) => s.index === null);
        expect(top.map((s) => s.key).sort()).toEqual([...REVIEW_STEPS].sort());
        expect(top.every((s) => s.status === "completed")).toBe(true);
      }
      // jobs carry ids: no contract text ever reached Redis (its append-only file holds every write)
      const aof = redis.aof();
      expect(aof).toContain("legal.report");
      for (const text of texts.slice(0, 10)) {
        const snippet = text.slice(Math.floor(text.length / 2), Math.floor(text.length / 2) + 60);
        expect(aof.includes(snippet)).toBe(false);
      }
      // BullMQ's own record: exactly one completed job per run and step, whichever attempt it was
      const jobs = completedJobs(redis.port, redis.password);
      for (const runId of runIds) {
        for (const step of REVIEW_STEPS) expect(jobs.filter((j) => j.split(" ")[1]!.startsWith(`${runId}|${step}|`))).toHaveLength(1);
      }
    } finally {
      for (const child of procs) await killHard(child);
      await redis.stop();
    }
  }, 400_000);
});

describe("bear redact, review and ingest --redis", () => {
  it("scan, review and prepare on a `bear worker --capabilities redact,review,ingest.*` (never on a legal.* one), with the results of the in-process commands", async () => {
    const redis = await startRedis();
    const ws = tempDir("cluster-acts");
    expect(bear(["--data-dir", ws, "init"]).status).toBe(0);
    const files = tempDir("cluster-acts-files");
    const outputs = tempDir("cluster-acts-out");
    const names = fs.readdirSync(cuad).filter((f) => f.endsWith(".txt")).sort();
    const texts = names.map((f) => fs.readFileSync(path.join(cuad, f), "utf8")).filter((t) => t.length > 5_000 && t.length < 30_000).slice(0, 3);
    texts.forEach((t, i) => fs.writeFileSync(path.join(files, `contract-${i + 1}.txt`), t));
    const procs: ChildProcess[] = [];
    try {
      const acts = await start(ws, ["worker", "--capabilities", "redact,review,ingest.*"], redis.url);
      procs.push(acts.child);
      const legal = await start(ws, ["worker", "--capabilities", "legal.*"], redis.url);
      procs.push(legal.child);
      expect(acts.first["capabilities"]).toEqual(["redact", "review", "ingest.prepare"]);
      const cli = (args: string[]): Record<string, unknown> => {
        const run = bear(["--data-dir", ws, "--json", ...args]);
        if (run.status !== 0) throw new Error(`bear ${args[0]} failed (${run.status}): ${run.stderr}`);
        return JSON.parse(run.stdout) as Record<string, unknown>;
      };
      const contract = path.join(files, "contract-1.txt");
      const remote = cli(["redact", contract, "--redis", redis.url, "-o", path.join(outputs, "remote.txt")]);
      const local = cli(["redact", contract, "-o", path.join(outputs, "local.txt")]);
      expect(Number(remote["removed"])).toBeGreaterThan(0);
      expect({ ...remote, output: "" }).toEqual({ ...local, output: "" });
      expect(fs.readFileSync(path.join(outputs, "remote.txt"), "utf8")).toBe(fs.readFileSync(path.join(outputs, "local.txt"), "utf8"));

      // reviewed on the worker first; the in-process review then reads the report this workspace cached
      const reviewedRemote = cli(["review", contract, "--redis", redis.url]);
      const reviewedLocal = cli(["review", contract]);
      expect((reviewedRemote["clauses"] as unknown[]).length).toBeGreaterThan(0);
      expect({ ...reviewedRemote, generatedAt: "" }).toEqual({ ...reviewedLocal, generatedAt: "" });

      const ingested = cli(["ingest", files, "--matter", "acme", "--redis", redis.url, "--no-progress"]);
      const inProcess = cli(["ingest", files, "--matter", "local", "--no-progress"]);
      expect(ingested["added"]).toBe(3);
      const perFile = (r: Record<string, unknown>): unknown => (r["files"] as Array<{ file: string; status: string; chunks: number }>).map((f) => [path.basename(f.file), f.status, f.chunks]);
      expect(perFile(ingested)).toEqual(perFile(inProcess));
      expect(ingested["chunksWritten"]).toBe(inProcess["chunksWritten"]);

      // what each worker reports having run (redis-cli: the reports are JSON in the bear:workers hash, at most a second old)
      const ran = (id: unknown): Record<string, number> => {
        const reports = spawnSync("redis-cli", ["-p", String(redis.port), "-a", redis.password, "--no-auth-warning", "HVALS", "bear:workers"], { encoding: "utf8" })
          .stdout.split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line) as { id: string; history: Record<string, { successes: number }> });
        return Object.fromEntries(Object.entries(reports.find((r) => r.id === id)?.history ?? {}).map(([t, h]) => [t, h.successes]));
      };
      for (let i = 0; i < 50 && JSON.stringify(ran(acts.first["worker"])) !== JSON.stringify({ redact: 1, review: 1, "ingest.prepare": 3 }); i++) await new Promise((r) => setTimeout(r, 100));
      expect(ran(acts.first["worker"])).toEqual({ redact: 1, review: 1, "ingest.prepare": 3 });
      expect(ran(legal.first["worker"])).toEqual({});
    } finally {
      for (const child of procs) await killHard(child);
      await redis.stop();
    }
  }, 180_000);
});
