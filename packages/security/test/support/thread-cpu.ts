import fs from "node:fs";

// CPU time of the calling thread, for tests that bound the cost of a piece of work: CPU, not wall time (CI runs two
// suites at once on two cores), and this thread's only (process.cpuUsage also counts GC helpers and native pools).

/** CPU time of this thread in ms: /proc/self/task/<pid>/schedstat (the main thread), else the whole process's. */
export function threadCpuMs(): number {
  try {
    return Number(fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
  } catch {
    const used = process.cpuUsage();
    return (used.user + used.system) / 1000;
  }
}

/** This process's thread ids (Linux: /proc/self/task). */
export function threadIds(): number[] {
  return fs.readdirSync("/proc/self/task").map(Number);
}

/** One thread's CPU time in ms and whether it is running or waiting to run ("R"), rather than asleep; undefined once it has ended. */
export function threadSample(tid: number): { cpuMs: number; runnable: boolean } | undefined {
  try {
    const cpuMs = Number(fs.readFileSync(`/proc/self/task/${tid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
    // stat is "pid (comm) S ...": the state follows the last ") " (comm may hold spaces or parentheses)
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    return { cpuMs, runnable: stat[stat.lastIndexOf(") ") + 2] === "R" };
  } catch {
    return undefined;
  }
}
