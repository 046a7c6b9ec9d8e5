import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
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
