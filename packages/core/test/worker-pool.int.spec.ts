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

  it("a value returned as transferred(buffer, [buffer]) arrives as the buffer itself; a transfer postMessage refuses fails that task alone", async () => {
    await using pool = new WorkerPool({ url, size: 1 });
    const moved = await pool.run<unknown>({ kind: "pack", bytes: [7, 8, 9] } as never);
    expect(moved).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(moved as ArrayBuffer)]).toEqual([7, 8, 9]);
    // the same buffer listed twice: postMessage throws (DataCloneError), the task fails with it, the worker lives on
    await expect(pool.run({ kind: "pack", bytes: [1], twice: true } as never)).rejects.toMatchObject({ name: "DataCloneError" });
    expect(await pool.run({ kind: "echo", text: "alive" } as never)).toEqual({ text: "alive" });
    expect(pool.stats().workers).toBe(1);
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

describe("WorkerPool handing tasks ahead (handAhead)", () => {
  /** Shared memory for the fixture's gate (slot 0), signal (slot 1) and counter (slot 2). */
  const sharedSlots = (): { shared: SharedArrayBuffer; slots: Int32Array } => {
    const shared = new SharedArrayBuffer(12);
    return { shared, slots: new Int32Array(shared) };
  };

  it("a busy worker is handed its next task: it starts when the one before ends, while this thread is blocked", async () => {
    for (const handAhead of [1, 0]) {
      await using pool = new WorkerPool({ url, size: 1, handAhead });
      const { shared, slots } = sharedSlots();
      const gated = pool.run({ kind: "gate", shared } as never);
      const signalled = pool.run({ kind: "signal", shared } as never);
      expect(pool.stats()).toMatchObject({ busy: 1, queued: 1 - handAhead, handedAhead: handAhead });
      Atomics.store(slots, 0, 1);
      Atomics.notify(slots, 0);
      // this thread never turns its event loop here: only a task already in the worker can send the signal
      const waited = Atomics.wait(slots, 1, 0, handAhead === 1 ? 20_000 : 1_500);
      expect([handAhead, waited]).toEqual([handAhead, handAhead === 1 ? "ok" : "timed-out"]);
      expect(await Promise.all([gated, signalled])).toEqual(["opened", "signalled"]);
    }
  }, 60_000);

  it("a cancelled task that was handed ahead is taken back before it starts: it never runs, its worker lives on", async () => {
    await using pool = new WorkerPool({ url, size: 1, handAhead: 1 });
    const { shared, slots } = sharedSlots();
    expect(await pool.run({ kind: "count", shared } as never)).toBe(1); // the worker is up
    const gated = pool.run({ kind: "gate", shared } as never);
    const stop = new AbortController();
    const counted = pool.run({ kind: "count", shared } as never, { signal: stop.signal });
    expect(pool.stats().handedAhead).toBe(1);
    stop.abort(new Error("not wanted"));
    await expect(counted).rejects.toThrow("not wanted");
    Atomics.store(slots, 0, 1);
    Atomics.notify(slots, 0);
    expect(await gated).toBe("opened");
    expect(await pool.run({ kind: "count", shared } as never)).toBe(2); // the cancelled one never counted
    expect(pool.stats()).toMatchObject({ workers: 1, cancelled: 1, handedAhead: 0 });
  }, 60_000);

  it("a cancelled task handed ahead that has started ends its worker; the next task gets a fresh one", async () => {
    await using pool = new WorkerPool({ url, size: 1, handAhead: 1 });
    const stop = new AbortController();
    const first = pool.run({ kind: "echo", text: "first" } as never);
    const spinning = pool.run({ kind: "spin" }, { signal: stop.signal });
    expect(await first).toEqual({ text: "first" });
    setTimeout(() => stop.abort(new Error("client went away")), 200);
    await expect(spinning).rejects.toThrow("client went away");
    expect(await pool.run({ kind: "echo", text: "after" } as never)).toEqual({ text: "after" });
  }, 60_000);

  it("the tasks handed ahead to a worker that dies run on its replacement; only the running one fails", async () => {
    await using pool = new WorkerPool({ url, size: 1, handAhead: 2, memoryMb: 64 });
    const outcomes = await Promise.allSettled([pool.run({ kind: "hog" }), pool.run({ kind: "echo", text: "a" } as never), pool.run({ kind: "echo", text: "b" } as never)]);
    expect(outcomes).toMatchObject([
      { status: "rejected", reason: { code: "WORKER_OUT_OF_MEMORY" } },
      { status: "fulfilled", value: { text: "a" } },
      { status: "fulfilled", value: { text: "b" } },
    ]);
  }, 60_000);

  it("a worker left idle takes back a task handed ahead to a busy one that has not started it", async () => {
    await using pool = new WorkerPool({ url, size: 2, handAhead: 1 });
    // the answers by task (the two workers start in either order, so their calls come in either order)
    const release = new Map<string, (v: string) => void>();
    const held = (text: string): Promise<unknown> =>
      pool.run({ kind: "ask", text } as never, { onCall: (p) => new Promise<string>((r) => release.set((p as { question: string }).question, r)) });
    const first = held("first"); // worker 1, waiting for this thread's answer (its event loop free)
    const second = held("second"); // worker 2
    const handed = pool.run({ kind: "echo", text: "handed" } as never); // ahead to worker 1 (both busy)
    expect(pool.stats()).toMatchObject({ busy: 2, handedAhead: 1 });
    while (release.size < 2) await new Promise((r) => setTimeout(r, 10));
    release.get("second")?.("go"); // worker 2 ends and is idle: it should take the handed task back from worker 1
    expect(await second).toBe("second:go");
    expect(await handed).toEqual({ text: "handed" }); // while worker 1 still waits
    release.get("first")?.("go");
    expect(await first).toBe("first:go");
  }, 60_000);

  it("dispose fails the tasks handed ahead too", async () => {
    const pool = new WorkerPool({ url, size: 1, handAhead: 1 });
    const outcomes = Promise.allSettled([pool.run({ kind: "spin" }), pool.run({ kind: "echo", text: "x" } as never), pool.run({ kind: "echo", text: "y" } as never)]);
    expect(pool.stats()).toMatchObject({ busy: 1, handedAhead: 1, queued: 1 });
    await pool.dispose();
    for (const o of await outcomes) expect(o).toMatchObject({ status: "rejected", reason: expect.any(DisposedError) });
  }, 30_000);
});

describe("WorkerPool handing tasks ahead, under random cancellations (fast-check)", () => {
  it("every task settles once, with its own value or its own signal's reason, and the pool ends empty", async () => {
    const fc = (await import("fast-check")).default;
    await using pool = new WorkerPool({ url, size: 2, handAhead: 1 });
    const op = fc.record({
      kind: fc.constantFrom("busy", "nap", "echo"),
      ms: fc.integer({ min: 0, max: 15 }),
      cancelAfterMs: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        const runs = ops.map((o, i) => {
          const text = `t${i}`;
          const stop = o.cancelAfterMs === undefined ? undefined : new AbortController();
          const reason = new Error(`cancelled ${text}`);
          if (stop) setTimeout(() => stop.abort(reason), o.cancelAfterMs);
          const settled = pool.run<unknown>({ kind: o.kind, ms: o.ms, text } as never, stop ? { signal: stop.signal } : {}).then(
            (value) => ({ ok: true as const, value }),
            (error: unknown) => ({ ok: false as const, error }),
          );
          return { text, kind: o.kind, reason, cancellable: stop !== undefined, settled };
        });
        for (const r of runs) {
          const outcome = await r.settled;
          if (outcome.ok) expect(outcome.value).toEqual(r.kind === "echo" ? { text: r.text } : r.text);
          else {
            expect(r.cancellable).toBe(true); // nothing fails but by its own signal
            expect(outcome.error).toBe(r.reason);
          }
        }
        // a cancelled task handed ahead is rejected at once, and leaves its worker's books when the worker answers
        for (const until = Date.now() + 10_000; pool.stats().busy > 0 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 5));
        expect(pool.stats()).toMatchObject({ busy: 0, queued: 0, handedAhead: 0 });
      }),
      { numRuns: 25 },
    );
    expect(await pool.run({ kind: "echo", text: "after" } as never)).toEqual({ text: "after" });
  }, 240_000);
});
