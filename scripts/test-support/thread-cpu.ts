// CPU time of each thread of this process (Linux: /proc/self/task/*/stat), for the benches (security bench/peers.ts on
// both cores, rag bench/throughput.ts's main thread): what the busiest thread and all threads spent bounds the wall
// time the same work needs on free cores, whatever the load of the shared machine when the bench runs (on a loaded
// VM the wall clock shows the other jobs, not the code).
import fs from "node:fs";
import os from "node:os";

const TICK_S = 0.01; // USER_HZ: 100 on Linux

/** Seconds of CPU (user + system) per thread id, or an empty map where /proc is not there. */
export function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  let tids: string[];
  try {
    tids = fs.readdirSync("/proc/self/task");
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(tid, (Number(f[11]) + Number(f[12])) * TICK_S);
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** Seconds of CPU of this process's main thread so far (0 where /proc is not there). */
export function mainThreadCpu(): number {
  return threadCpu().get(String(process.pid)) ?? 0;
}

/** What each thread spent between two threadCpu() readings, largest first. */
export function threadCpuSpent(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): number[] {
  return [...after].map(([tid, s]) => s - (before.get(tid) ?? 0)).filter((s) => s > 0).sort((a, b) => b - a);
}

/**
 * The least wall time the work could take on `cores` free cores: no less than its busiest thread's CPU, nor than all
 * its threads' CPU shared evenly (the JIT compiler and the garbage collector's threads included).
 */
export function freeCoreWall(spent: readonly number[], cores = Math.min(2, os.availableParallelism())): number {
  const all = spent.reduce((s, x) => s + x, 0);
  return Math.max(spent[0] ?? 0, all / cores);
}
