// A reader job's deadline in CPU time, not wall time: on a loaded machine a reader waits for a core, and
// a wall deadline killed genuine jobs (a 154-page PDF needing 11.5 s of CPU passed 120 s of wall at load
// 45), while a hostile file is stopped by what it costs. The child's CPU (every thread of it: pdf.js,
// the decoders, libuv's pool) is read from /proc/<pid>/stat; where there is no /proc (not Linux), a wall
// deadline stands in.
import { procStatFields } from "@bear/core";

/** USER_HZ, the unit of /proc's utime and stime: 100 on every Linux architecture node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;
/**
 * With a CPU clock, the wall cap only catches a job that stops using CPU without finishing (a reader
 * waiting forever). 30 times the CPU budget keeps a job that uses its whole budget alive up to a load of
 * ~30 per core (10× killed a genuine job at half its budget beside CPU burners at load ~40 on 2 cores).
 */
export const WALL_BACKSTOP_FACTOR = 30;
/** Without a CPU clock the wall cap is the only deadline: generous enough for a machine loaded 3× over. */
export const WALL_ONLY_FACTOR = 3;

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

export type DeadlineClock = "cpu" | "wall";

/**
 * Watches one job of process `pid`: `onExpired` is called once, when the process has used more than
 * `budgetMs` of CPU since this call (polled), or when the wall backstop passes (`budgetMs` ×
 * WALL_BACKSTOP_FACTOR; × WALL_ONLY_FACTOR where the CPU clock cannot be read). Returns a stop function.
 */
export function watchJobDeadline(pid: number | undefined, budgetMs: number, onExpired: (clock: DeadlineClock, limitMs: number) => void): () => void {
  const cpuAtStart = pid === undefined ? undefined : processCpuMs(pid);
  const wallMs = budgetMs * (cpuAtStart === undefined ? WALL_ONLY_FACTOR : WALL_BACKSTOP_FACTOR);
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
    poll = setInterval(() => {
      const used = processCpuMs(pid);
      if (used !== undefined && used - cpuAtStart > budgetMs) expire("cpu", budgetMs);
    }, every);
  }
  return stop;
}
