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
