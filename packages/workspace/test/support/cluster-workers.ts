// Worker processes for the workspace's cluster tests: `bear worker` as a child process on the built
// package (cluster-worker-child.mjs), and what a worker reports having run.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { liveWorkers, type WorkerReport } from "@bear/cluster";
import type { Workspace } from "@bear/workspace";

const packageDir = path.resolve(import.meta.dirname, "../..");

export interface WorkerChild {
  readonly proc: ChildProcess;
  readonly id: string;
}

/** A worker process serving `capabilities`; `models`: the config's models (e.g. the LLM it serves); `passphrase`: an encrypted workspace's. */
export function startWorker(dataDir: string, redisUrl: string, id: string, capabilities: string, models?: Record<string, unknown>, passphrase?: string): Promise<WorkerChild> {
  const args = [path.join(packageDir, "test/support/cluster-worker-child.mjs"), dataDir, redisUrl, id, capabilities, ...(models ? [JSON.stringify(models)] : [])];
  const env = { ...process.env, ...(passphrase ? { BEAR_TEST_PASSPHRASE: passphrase } : {}) };
  const proc = spawn(process.execPath, args, { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"], env });
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = "";
    proc.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("ready\n")) resolve({ proc, id });
    });
    proc.once("exit", (code) => reject(new Error(`worker ${id} exited (${code}) before it was ready: ${stderr.slice(-2000)}`)));
  });
}

/** SIGKILL, and wait for the exit. */
export function stopWorker(child: WorkerChild | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.proc.exitCode !== null || child.proc.signalCode !== null) return resolve();
    child.proc.once("exit", () => resolve());
    child.proc.kill("SIGKILL");
  });
}

/** The worker's latest report (at most a second old). */
export async function reportOf(workspace: Workspace, id: string): Promise<WorkerReport> {
  const report = (await liveWorkers(workspace.cluster!.redis)).find((r: WorkerReport) => r.id === id);
  if (!report) throw new Error(`worker ${id} does not report`);
  return report;
}

/** The steps of each type a worker reports having run (its report is at most a second old: wait for `expected`). */
export async function ranBy(workspace: Workspace, id: string, expected?: Record<string, number>): Promise<Record<string, number>> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const report = await reportOf(workspace, id);
    const ran = Object.fromEntries(Object.entries(report.history).map(([type, h]) => [type, h.successes]));
    if (!expected || JSON.stringify(ran) === JSON.stringify(expected) || Date.now() > deadline) return ran;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * What an ingest left in the index for a matter, to compare a worker's ingest with an in-process
 * one: each document's record (source as a file name), its text, and its best hits for `query`
 * (vector hits with their scores; lexical scores are left out, as BM25 statistics differ slightly
 * with how the documents were batched into commits).
 */
export async function indexSnapshot(workspace: Workspace, matter: string, query: string, mode?: "vector"): Promise<unknown[]> {
  const rag = await workspace.rag();
  await rag.refresh();
  const docs = rag.documents({ matter }).sort((a, b) => a.source.localeCompare(b.source));
  return Promise.all(
    docs.map(async (d) => {
      const { id, ingestedAt: _ingestedAt, matter: _matter, ...record } = d;
      const hits = await rag.search(query, { k: 3, ...(mode ? { mode } : {}), filter: { documentIds: [id] } });
      return {
        record: { ...record, source: path.basename(record.source) },
        text: await rag.documentText(id),
        hits: hits.map((h) => ({ start: h.start, end: h.end, text: h.text, page: h.page, sectionPath: h.sectionPath, ...(mode === "vector" ? { score: Math.round(h.score * 1e4) } : {}) })),
      };
    }),
  );
}
