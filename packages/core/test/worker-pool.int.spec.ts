// The worker-thread pool every package uses to keep heavy work off the event loop, with real worker threads.
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "@jest/globals";
import { disableOfflineGuard, DisposedError, enforceOffline, WorkerPool, WorkerPoolError, WorkerTaskError } from "@bear/core";

const url = new URL("./fixtures/pool-worker.mjs", import.meta.url);

/** How long the event loop of this thread takes to answer, at most, while `work` runs. */
async function worstLagDuring(work: Promise<unknown>): Promise<number> {
  let worst = 0;
  let done = false;
  void work.finally(() => (done = true)).catch(() => undefined);
  while (!done) {
    const t = performance.now();
    await new Promise((r) => setTimeout(r, 5));
    worst = Math.max(worst, performance.now() - t - 5);
  }
  return worst;
}

describe("WorkerPool", () => {
  it("runs tasks on worker threads, keeps a worker's typed error code, answers a worker's call", async () => {
    await using pool = new WorkerPool({ url, size: 2, name: "the test pool" });
    expect(await Promise.all(["a", "b", "c"].map((text) => pool.run({ kind: "echo", text } as never)))).toEqual([{ text: "a" }, { text: "b" }, { text: "c" }]);
    await expect(pool.run({ kind: "refuse" })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(pool.run({ kind: "refuse" })).rejects.toBeInstanceOf(WorkerTaskError);
    expect(await pool.run({ kind: "ask", text: "q" } as never, { onCall: async (p) => (p as { question: string }).question.toUpperCase() })).toBe("q:Q");
    expect(pool.stats()).toMatchObject({ completed: 6, busy: 0, queued: 0 });
  }, 30_000);

  it("stops a task that never ends when its signal aborts (the worker is terminated), and the event loop stays free meanwhile", async () => {
    await using pool = new WorkerPool({ url, size: 1 });
    const controller = new AbortController();
    const spinning = pool.run({ kind: "spin" }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("client went away")), 300);
    const lag = await worstLagDuring(spinning);
    await expect(spinning).rejects.toThrow("client went away");
    expect(lag).toBeLessThan(250); // the spin never ran on this thread
    expect(await pool.run({ kind: "echo", text: "after" } as never)).toEqual({ text: "after" }); // a fresh worker
    expect(pool.stats().cancelled).toBe(1);
  }, 30_000);

  it("refuses a task beyond the queue bound with WORKER_POOL_BUSY and drops a queued task that is cancelled", async () => {
    await using pool = new WorkerPool({ url, size: 1, maxQueued: 1 });
    const stop = new AbortController();
    const running = pool.run({ kind: "spin" }, { signal: stop.signal });
    const queuedStop = new AbortController();
    const queued = pool.run({ kind: "echo", text: "q" } as never, { signal: queuedStop.signal });
    const refused = pool.run({ kind: "echo", text: "r" } as never);
    await expect(refused).rejects.toMatchObject({ code: "WORKER_POOL_BUSY" });
    await expect(refused).rejects.toBeInstanceOf(WorkerPoolError);
    queuedStop.abort(new Error("dropped"));
    await expect(queued).rejects.toThrow("dropped");
    stop.abort(new Error("stopped"));
    await expect(running).rejects.toThrow("stopped");
  }, 30_000);

  it("fails only the task that runs out of its heap (WORKER_OUT_OF_MEMORY) and runs the next one", async () => {
    await using pool = new WorkerPool({ url, size: 1, memoryMb: 64 });
    await expect(pool.run({ kind: "hog" })).rejects.toMatchObject({ code: "WORKER_OUT_OF_MEMORY" });
    expect(await pool.run({ kind: "echo", text: "alive" } as never)).toEqual({ text: "alive" });
  }, 60_000);

  it("a worker started while the offline guard is on guards itself, refusing even loopback (heavy work needs no socket)", async () => {
    enforceOffline();
    try {
      await using pool = new WorkerPool({ url, size: 1 });
      expect(await pool.run({ kind: "connect" })).toBe("OFFLINE_VIOLATION");
    } finally {
      disableOfflineGuard();
    }
    await using open = new WorkerPool({ url, size: 1 });
    expect(await open.run({ kind: "connect" })).toBe("ECONNREFUSED"); // without the guard the attempt reaches the kernel
  }, 30_000);

  it("fails queued and running tasks with DisposedError on dispose, and refuses new ones", async () => {
    const pool = new WorkerPool({ url, size: 1 });
    const running = pool.run({ kind: "spin" });
    const queued = pool.run({ kind: "echo", text: "x" } as never);
    const outcomes = Promise.allSettled([running, queued]);
    await pool.dispose();
    for (const o of await outcomes) expect(o).toMatchObject({ status: "rejected", reason: expect.any(DisposedError) });
    await expect(pool.run({ kind: "echo" })).rejects.toBeInstanceOf(DisposedError);
  }, 30_000);
});
