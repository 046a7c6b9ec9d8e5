// The readers' deadline clock on real child processes: one spinning, one asleep.
import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "@jest/globals";
import { processCpuMs, wallBackstopMs, watchJobDeadline, WALL_BACKSTOP_FACTOR, WALL_ONLY_FACTOR, type DeadlineClock, type StallCheck } from "./job-deadline";

const children: ChildProcess[] = [];
function child(code: string): ChildProcess {
  const started = spawn(process.execPath, ["-e", code], { stdio: "ignore" });
  children.push(started);
  return started;
}
afterEach(() => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
});

/** Resolves with the clock and the wall time when the deadline fires. */
function expiry(pid: number | undefined, budgetMs: number, stall?: StallCheck): Promise<{ clock: DeadlineClock; limitMs: number; wallMs: number }> {
  const started = performance.now();
  return new Promise((resolve) => watchJobDeadline(pid, budgetMs, (clock, limitMs) => resolve({ clock, limitMs, wallMs: performance.now() - started }), stall));
}

describe("watchJobDeadline", () => {
  it("reads a child's CPU time from /proc: it grows while the child spins", async () => {
    const spinner = child("for (;;) {}");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const first = processCpuMs(spinner.pid!)!;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(processCpuMs(spinner.pid!)!).toBeGreaterThan(first);
    expect(processCpuMs(2 ** 30)).toBeUndefined(); // no such process
  });

  it("stops a spinning child once it has used its CPU budget", async () => {
    const spinner = child("for (;;) {}");
    const before = processCpuMs(spinner.pid!)!;
    const fired = await expiry(spinner.pid, 300);
    expect(fired).toMatchObject({ clock: "cpu", limitMs: 300 });
    const used = processCpuMs(spinner.pid!)! - before;
    expect(used).toBeGreaterThan(300);
    expect(used).toBeLessThan(300 + 400); // a poll (20 ms) and a clock tick late, plus this process waiting for a core
  });

  it("stops a child that stops using CPU (asleep, blocked) once its CPU has not advanced for the stall window, not at the wall backstop", async () => {
    // A job that waits for what never comes: a 2-minute budget put it at the backstop after an hour (30×) before
    const asleep = child("Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)");
    const waiting = child("new Promise(() => {}); setInterval(() => {}, 60_000)");
    await new Promise((resolve) => setTimeout(resolve, 300)); // past its start-up CPU
    for (const stalled of [asleep, waiting]) {
      const fired = await expiry(stalled.pid, 120_000, { windowMs: 1000 });
      expect(fired).toMatchObject({ clock: "stalled", limitMs: 1000 });
      expect(fired.wallMs).toBeGreaterThanOrEqual(1000 - 5);
      expect(fired.wallMs).toBeLessThan(10_000); // a window and a poll, plus this process waiting for a core
    }
  });

  it("does not take a working child for a stalled one", async () => {
    const spinner = child("for (;;) {}");
    let fired: DeadlineClock | undefined;
    const stop = watchJobDeadline(spinner.pid, 60_000, (clock) => (fired = clock), { windowMs: 2000 });
    await new Promise((resolve) => setTimeout(resolve, 5000));
    stop();
    expect(fired).toBeUndefined();
  });

  it("bounds the wall backstop: 30× the budget, at most 10 min past it", () => {
    expect(wallBackstopMs(1000)).toBe(30_000);
    expect(wallBackstopMs(30_000)).toBe(630_000); // a page image
    expect(wallBackstopMs(120_000)).toBe(720_000); // an extraction: 12 min, not an hour
    expect(wallBackstopMs(300_000)).toBe(900_000); // an OCR page: 15 min, not 2.5 h
  });

  it("lets a child that uses no CPU run to the wall backstop when that comes before the stall window, and falls back to a wall deadline without a CPU clock", async () => {
    const sleeper = child("setTimeout(() => {}, 60_000)");
    await new Promise((resolve) => setTimeout(resolve, 300)); // past its start-up CPU
    const backstop = await expiry(sleeper.pid, 40);
    expect(backstop).toMatchObject({ clock: "wall", limitMs: 40 * WALL_BACKSTOP_FACTOR });
    expect(backstop.wallMs).toBeGreaterThanOrEqual(40 * WALL_BACKSTOP_FACTOR - 5);
    await expect(expiry(undefined, 40)).resolves.toMatchObject({ clock: "wall", limitMs: 40 * WALL_ONLY_FACTOR });
  });

  it("fires nothing once stopped", async () => {
    const spinner = child("for (;;) {}");
    let fired = false;
    const stop = watchJobDeadline(spinner.pid, 100, () => (fired = true));
    stop();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(fired).toBe(false);
  });
});
