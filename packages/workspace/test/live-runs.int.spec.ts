import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import type { WorkflowEngine } from "@bear/workflow-engine";
import { LiveRuns } from "../src/runs/live-runs";

const publisher = path.join(import.meta.dirname, "fixtures/live-runs-publisher.ts");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-live-runs-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function publish(runId: string, times: number, steps: number): Promise<number | null> {
  const child = spawn(process.execPath, ["--import", "tsx", publisher, dir, runId, String(times), String(steps)], { stdio: "ignore" });
  return new Promise((resolve) => child.on("close", resolve));
}

describe("live runs published by two processes at once", () => {
  it("never shows a reader a torn status, and leaves no temporary file (each write has its own)", async () => {
    // Before, both wrote `<run>.json.tmp`: one truncated and refilled the file the other had just renamed into place.
    const live = new LiveRuns(dir);
    const steps = 1_000;
    const writers = Promise.all([publish("run-1", 400, steps), publish("run-1", 400, steps)]);
    let finished = false;
    void writers.then(() => (finished = true));
    let reads = 0;
    let torn = 0;
    const file = path.join(dir, "run-1.json");
    while (!finished) {
      // Bursts of reads, then a turn of the event loop to notice the writers' end.
      for (let i = 0; i < 20 && fs.existsSync(file); i++) {
        reads++;
        if (live.read("run-1")?.steps.length !== steps) torn++;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await writers).toEqual([0, 0]);
    expect(reads).toBeGreaterThan(20);
    expect(torn).toBe(0);
    expect(live.read("run-1")?.steps).toHaveLength(steps);
    expect(fs.readdirSync(dir)).toEqual(["run-1.json"]);
  }, 120_000);
});

describe("a cancel asked of the process running a run", () => {
  // The registry reads only getRun and cancel of the engine: a run that stays running, and the cancels it is asked for.
  function recordingEngine(): { engine: WorkflowEngine; cancels: unknown[][] } {
    const cancels: unknown[][] = [];
    const details = { workflow: "review", status: "running", progress: { done: 0, total: 1 }, steps: [] };
    const engine = { getRun: () => ({ ...details, status: cancels.length > 0 ? "cancelled" : "running" }), cancel: (...args: unknown[]) => void cancels.push(args) } as unknown as WorkflowEngine;
    return { engine, cancels };
  }

  it("names who asked (for the running process's audit record); a malformed actor is refused before anything is written", async () => {
    const live = new LiveRuns(path.join(dir, "asked"));
    const { engine, cancels } = recordingEngine();
    const tracker = live.track(engine, "run-2");
    tracker.publish();
    try {
      await expect(live.requestCancel("run-2", "paula\nforged")).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
      expect(cancels).toEqual([]);
      const asked = live.requestCancel("run-2", "paula", 5_000);
      // the owner polls every 100 ms and publishes after the cancel, as after each event
      while (cancels.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      tracker.publish();
      expect(await asked).toBe(true);
      expect(cancels).toEqual([["run-2", "cancelled from another process", { actor: "paula" }]]);
    } finally {
      tracker.stop();
    }
  }, 30_000);

  it("reads an older process's request (the bare pid) or a link planted in the request's place as a request by nobody", async () => {
    const registry = path.join(dir, "planted");
    const live = new LiveRuns(registry);
    for (const [runId, plant] of [
      ["run-3", (file: string) => fs.writeFileSync(file, "4242")],
      ["run-4", (file: string) => (fs.writeFileSync(path.join(registry, "elsewhere"), JSON.stringify({ pid: 1, actor: "mallory" })), fs.symlinkSync(path.join(registry, "elsewhere"), file))],
    ] as const) {
      const { engine, cancels } = recordingEngine();
      const tracker = live.track(engine, runId);
      try {
        plant(path.join(registry, `${runId}.cancel`));
        while (cancels.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
        expect(cancels).toEqual([[runId, "cancelled from another process", {}]]);
        expect(fs.existsSync(path.join(registry, `${runId}.cancel`))).toBe(false);
      } finally {
        tracker.stop();
      }
    }
  }, 30_000);
});
