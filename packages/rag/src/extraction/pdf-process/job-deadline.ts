// A reader job's deadline in CPU time, not wall time: on a loaded machine a reader waits for a core, and
// a wall deadline killed genuine jobs (a 154-page PDF needing 11.5 s of CPU passed 120 s of wall at load
// 45), while a hostile file is stopped by what it costs. The child's CPU (every thread of it: pdf.js,
// the decoders, libuv's pool) is read from /proc/<pid>/stat; where there is no /proc (not Linux), a wall
// deadline stands in. A CPU clock alone does not stop a job that waits without working (a promise that
// never settles, a read of a pipe nobody writes): such a job is stopped once its CPU stops advancing.
import { procStatFields } from "@bear/core";

/** USER_HZ, the unit of /proc's utime and stime: 100 on every Linux architecture node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;
/**
 * With a CPU clock, the wall cap only catches a job that uses a trickle of CPU without finishing (one
 * that uses none is stopped sooner: see DEFAULT_STALL_WINDOW_MS). 30 times the CPU budget keeps a job that
 * uses its whole budget alive up to a load of ~30 per core (10× killed a genuine job at half its budget
 * beside CPU burners at load ~40 on 2 cores), but never more than WALL_BACKSTOP_SLACK_MS past the budget.
 */
export const WALL_BACKSTOP_FACTOR = 30;
/**
 * The most wall time a job may take past its CPU budget: a genuine job shares its core with at most
 * ~(budget + slack) / budget other processes (extraction, 120 s: ×6; an OCR page, 300 s: ×3; a page
 * image, 30 s: ×21) before the backstop stops it; past that a reader of the pool of two is held for ten
 * minutes at most, not 30× its budget (an hour for an extraction, 2.5 h for an OCR page).
 */
export const WALL_BACKSTOP_SLACK_MS = 10 * 60_000;
/** Without a CPU clock the wall cap is the only deadline: generous enough for a machine loaded 3× over. */
export const WALL_ONLY_FACTOR = 3;
/**
 * A job whose reader used less than DEFAULT_STALL_MIN_CPU_MS of CPU over this much wall time is stalled
 * (it waits for something that never comes) and is stopped. A reader has nothing to wait for (its input
 * is in memory, it opens no file but its own code as it starts): a working one uses a core, or its share
 * of one, all the time. At a
 * load of 100 on 2 cores its share is still ~2% (200 ms in 10 s), four times the threshold.
 */
export const DEFAULT_STALL_WINDOW_MS = 10_000;
/** See DEFAULT_STALL_WINDOW_MS: 0.5% of the window. */
export const DEFAULT_STALL_MIN_CPU_MS = 50;

/** CPU time (user + system, all threads) process `pid` has used, in ms; undefined without /proc or once it exited. */
export function processCpuMs(pid: number): number | undefined {
  const fields = procStatFields(pid);
  if (fields === undefined) return undefined;
  const ticks = Number(fields[11]) + Number(fields[12]); // utime and stime: fields 14 and 15 of the line
  return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : undefined;
}

/** True where a reader's CPU time can be read (Linux with /proc): deadlines are then CPU time. */
export function cpuClockAvailable(): boolean {
  return processCpuMs(process.pid) !== undefined;
}

/** The wall backstop of a job of `budgetMs` of CPU: 30× the budget, at most 10 min past it (WALL_BACKSTOP_SLACK_MS). */
export function wallBackstopMs(budgetMs: number): number {
  return Math.min(budgetMs * WALL_BACKSTOP_FACTOR, budgetMs + WALL_BACKSTOP_SLACK_MS);
}

/** "cpu": over its CPU budget; "stalled": its CPU stopped advancing; "wall": past the wall backstop (or the wall-only deadline). */
export type DeadlineClock = "cpu" | "stalled" | "wall";

export interface StallCheck {
  /** Wall time over which a working reader uses at least `minCpuMs` of CPU (default DEFAULT_STALL_WINDOW_MS). */
  readonly windowMs?: number;
  /** Default DEFAULT_STALL_MIN_CPU_MS. */
  readonly minCpuMs?: number;
}

/**
 * Watches one job of process `pid`: `onExpired` is called once, when the process has used more than
 * `budgetMs` of CPU since this call ("cpu", `limitMs` the budget), when it used less than
 * `stall.minCpuMs` over the last `stall.windowMs` of wall time ("stalled", `limitMs` the window), or when
 * the wall backstop passes ("wall": wallBackstopMs; WALL_ONLY_FACTOR × the budget where the CPU clock
 * cannot be read, and then no stall check either). Returns a stop function.
 */
export function watchJobDeadline(pid: number | undefined, budgetMs: number, onExpired: (clock: DeadlineClock, limitMs: number) => void, stall: StallCheck = {}): () => void {
  const cpuAtStart = pid === undefined ? undefined : processCpuMs(pid);
  const wallMs = cpuAtStart === undefined ? budgetMs * WALL_ONLY_FACTOR : wallBackstopMs(budgetMs);
  let poll: NodeJS.Timeout | undefined;
  const stop = (): void => {
    clearTimeout(backstop);
    clearInterval(poll);
  };
  const expire = (clock: DeadlineClock, limitMs: number): void => {
    stop();
    onExpired(clock, limitMs);
  };
  const backstop = setTimeout(() => expire("wall", wallMs), wallMs);
  if (pid !== undefined && cpuAtStart !== undefined) {
    // A hostile job overruns its budget by at most one poll: 1/20 of it, between 20 and 250 ms.
    const every = Math.min(250, Math.max(20, Math.round(budgetMs / 20)));
    const stalled = stallDetector(cpuAtStart, stall.windowMs ?? DEFAULT_STALL_WINDOW_MS, stall.minCpuMs ?? DEFAULT_STALL_MIN_CPU_MS, every);
    poll = setInterval(() => {
      const used = processCpuMs(pid);
      if (used === undefined) return; // it exited: the pool hears of it
      if (used - cpuAtStart > budgetMs) expire("cpu", budgetMs);
      else if (stalled(performance.now(), used)) expire("stalled", stall.windowMs ?? DEFAULT_STALL_WINDOW_MS);
    }, every);
  }
  return stop;
}

/**
 * Judges, from the reader's CPU read at each poll, whether it used less than `minCpuMs` over the last
 * `windowMs` of wall time. Only time this process watched counts: a gap between two polls much longer than
 * their interval (this event loop was blocked, or the machine suspended) starts the window again, so a
 * reader whose answer waits in the channel for a busy parent is not taken for a stalled one.
 */
function stallDetector(cpuAtStart: number, windowMs: number, minCpuMs: number, pollMs: number): (now: number, cpuMs: number) => boolean {
  const samples: Array<{ at: number; cpuMs: number }> = [{ at: performance.now(), cpuMs: cpuAtStart }];
  const maxGap = Math.max(4 * pollMs, 1000);
  const keepEvery = windowMs / 20;
  let lastPoll = samples[0]!.at;
  return (now, cpuMs) => {
    if (now - lastPoll > maxGap) samples.splice(0, samples.length);
    lastPoll = now;
    // a reading every 1/20 of the window is enough to know the CPU "one window ago"
    if (samples.length === 0 || now - samples[samples.length - 1]!.at >= keepEvery) samples.push({ at: now, cpuMs });
    // the oldest reading kept is the newest one at least a window old
    while (samples.length > 1 && now - samples[1]!.at >= windowMs) samples.shift();
    const oldest = samples[0]!;
    return now - oldest.at >= windowMs && cpuMs - oldest.cpuMs < minCpuMs;
  };
}
