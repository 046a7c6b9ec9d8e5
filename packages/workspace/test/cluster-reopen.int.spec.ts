import fs from "node:fs";
// A run started by an API instance of a cluster (`bear serve --redis`) and left unfinished (the
// instance stopped while its step waited for a worker) is resumed by a standalone workspace opened
// on the same folder afterwards (`bear serve` without --redis): its steps (the audited pii_scrubbing
// and contract_review capabilities; a run never names BEAR's own step types, which only an act may
// send) run in-process, with the same handlers the workers run. Real Redis,
// real workflows.db. While the instances are live, a standalone opener is refused (and the reverse):
// both would resume the same runs.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { cancelRun, diagnoseWorkspace, openWorkspace, runStatus, type Workspace } from "@bear/workspace";
import { RunStoreInUseError } from "@bear/workflow-engine";
import { startRedis } from "./support/redis-server";
import { quietConfig, tempDirs } from "./support/workspace-fixture";

const tempDir = tempDirs("bear-ws-reopen-");
const TEXT = "This Agreement is made between Acme Corp and John Smith (phone 555-123-4567). Either party may terminate this Agreement on thirty days' notice.";
const WORKFLOW = {
  name: "scan-and-review",
  steps: [
    { id: "scan", type: "agent.task", parameters: { capability: "pii_scrubbing", input: { text: TEXT } } },
    { id: "review", type: "agent.task", parameters: { capability: "contract_review", input: { text: TEXT } } },
  ],
};

let redis: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => {
  redis = await startRedis();
}, 60_000);
afterAll(async () => {
  await redis.stop();
});

/** Resolves once the run's first step has started. */
function stepStarted(handle: { events: { subscribe(fn: (e: { type: string }) => void): { unsubscribe(): void } } }): Promise<void> {
  return new Promise<void>((resolve) => {
    const sub = handle.events.subscribe((e) => {
      if (e.type === "step.started") {
        sub.unsubscribe();
        resolve();
      }
    });
  });
}

/** Opening `workspace`'s engine is refused, as this process holds the database in `holderMode`; disposes it. */
async function refusedWorkflows(workspace: Workspace, holderMode: "shared" | "exclusive"): Promise<RunStoreInUseError> {
  try {
    const refused = await workspace.workflows().then(() => undefined, (e: unknown) => e);
    expect(refused).toBeInstanceOf(RunStoreInUseError);
    expect(refused).toMatchObject({ code: "STORE_IN_USE", holders: [{ pid: process.pid, mode: holderMode }] });
    return refused as RunStoreInUseError;
  } finally {
    await workspace.dispose();
  }
}

/** Polls the run until it finishes (completed, failed or cancelled). */
async function finished(workspace: Workspace, runId: string, timeoutMs = 60_000): Promise<Awaited<ReturnType<typeof runStatus>>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await runStatus(workspace, runId);
    if (status.status === "completed" || status.status === "failed" || status.status === "cancelled") return status;
    if (Date.now() > deadline) throw new Error(`run '${runId}' still ${status.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("a cluster's unfinished run, reopened by a standalone workspace", () => {
  it("resumes in-process: its pii_scrubbing and contract_review steps run locally, with the workers' handlers", async () => {
    const dataDir = path.join(tempDir(), "ws");
    await (await openWorkspace({ config: quietConfig(dataDir), create: true })).dispose();
    // an API instance with no worker: its steps wait in the queues until it stops
    const instance = await openWorkspace({ config: quietConfig(dataDir), cluster: { redisUrl: redis.url, role: "instance", waitForWorkerMs: 120_000 }, offload: { workers: 0 } });
    let runId: string;
    try {
      const engine = await instance.workflows();
      const handle = engine.start(WORKFLOW, {}, { runId: "cluster-run-1" });
      runId = handle.runId;
      await stepStarted(handle);
      expect(engine.store.getRun(runId)?.status).toBe("running");
      // a standalone server opened meanwhile would resume the same run: refused, naming the live instance
      const refused = await refusedWorkflows(await openWorkspace({ config: quietConfig(dataDir), offload: { workers: 0 } }), "shared");
      expect(refused.hint).toContain("--redis");
      expect(engine.store.getRun(runId)?.status).toBe("running");
      // `bear doctor` names the live instance
      const checks = await diagnoseWorkspace({ config: quietConfig(dataDir), canUnseal: false, withWorkspace: () => Promise.reject(new Error("not opened here")) });
      expect(checks.filter((c) => c.area === "processes")).toEqual([expect.objectContaining({ details: expect.objectContaining({ pid: process.pid }) as unknown })]);
    } finally {
      await instance.dispose();
    }
    const local = await openWorkspace({ config: quietConfig(dataDir), offload: { workers: 0 } });
    try {
      await local.workflows(); // opens the engine, which resumes the interrupted run
      const status = await finished(local, runId);
      expect(status).toMatchObject({ status: "completed" });
      const engine = await local.workflows();
      const steps = new Map(engine.store.getSteps(runId).map((s) => [s.stepId, s]));
      const scan = steps.get("scan")?.output as { text: string; replacements: Array<{ type: string; start: number; end: number }> };
      // the scrubbed text (replacements are spans of it): the phone number and the name are gone
      expect(scan.replacements.length).toBeGreaterThan(0);
      expect(scan.text).not.toContain("555-123-4567");
      expect(scan.text).not.toContain("John Smith");
      expect(steps.get("review")?.output).toMatchObject({ clauses: expect.any(Number), findings: expect.any(Array) });
    } finally {
      await local.dispose();
    }
  }, 180_000);

  it("an API instance is refused while a standalone server holds the workspace, and joins once it stopped", async () => {
    const dataDir = path.join(tempDir(), "ws");
    const standalone = await openWorkspace({ config: quietConfig(dataDir), create: true, offload: { workers: 0 } });
    const open = () => openWorkspace({ config: quietConfig(dataDir), cluster: { redisUrl: redis.url, role: "instance", waitForWorkerMs: 120_000 }, offload: { workers: 0 } });
    try {
      await standalone.workflows();
      expect((await refusedWorkflows(await open(), "exclusive")).message).toContain("standalone");
    } finally {
      await standalone.dispose();
    }
    const instance = await open();
    try {
      await instance.workflows();
    } finally {
      await instance.dispose();
    }
  }, 120_000);

  it("two API instances on one workspace: the one not running a run reports it and cancels it, and the one running it stops", async () => {
    const dataDir = path.join(tempDir(), "ws");
    await (await openWorkspace({ config: quietConfig(dataDir), create: true })).dispose();
    const open = () => openWorkspace({ config: quietConfig(dataDir), cluster: { redisUrl: redis.url, role: "instance", waitForWorkerMs: 120_000 }, offload: { workers: 0 } });
    const [a, b] = [await open(), await open()];
    try {
      const handle = (await a.workflows()).start(WORKFLOW, {}, { runId: "cluster-run-2" });
      await stepStarted(handle);
      expect(await runStatus(b, handle.runId)).toMatchObject({ status: "running" });
      expect(await cancelRun(b, handle.runId, "stopped from b", "paula")).toMatchObject({ cancelled: true });
      let timer: NodeJS.Timeout | undefined;
      const result = await Promise.race([handle.result, new Promise((resolve) => (timer = setTimeout(() => resolve("still running"), 20_000)))]).finally(() => clearTimeout(timer));
      expect(result).toMatchObject({ status: "cancelled" });
      expect((await a.workflows()).activeRuns).not.toContain(handle.runId);
      expect(await runStatus(a, handle.runId)).toMatchObject({ status: "cancelled" });
    } finally {
      await Promise.all([a.dispose(), b.dispose()]);
    }
    // b recorded the cancel, and a (which stopped the run on b's word) names the same person, never `system`
    const cancels = fs.readFileSync(path.join(a.folder.paths.audit, "audit.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { action: string; actor?: string; resource?: string }).filter((r) => r.action === "workflow.run.cancel" && r.resource === "cluster-run-2");
    expect(cancels.length).toBeGreaterThanOrEqual(1);
    expect(cancels.map((r) => r.actor)).toEqual(cancels.map(() => "paula"));
  }, 120_000);
});
