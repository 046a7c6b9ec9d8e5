// A review worker (review-worker.ts) in a process of its own, for the benches: started, sampled
// (CPU, completed steps, GC time, payload files read) and stopped; and the CPU of this process and of Redis.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface WorkerSample {
  readonly completed: number;
  readonly cpuSeconds: number;
  /** Time spent in garbage collection (ms). */
  readonly gcMs: number;
  /** Payload files the worker read (its cache's hits not counted), and their characters. */
  readonly reads: { readonly files: number; readonly chars: number };
  /** CPU seconds by thread name (`main`: the event loop's thread; threadCpu). */
  readonly threads: Record<string, number>;
  /** CPU seconds by thread, named by its id's offset from the process's (`main`, `+1`, …): which helper thread spends it. */
  readonly tids?: Record<string, number>;
  /** The event loop's utilisation since the previous sample. */
  readonly elu: number;
  /** Garbage collections so far by kind (scavenge, markSweep, incremental, …): count and pause ms (bench/review-worker.ts). */
  readonly gcKinds?: Record<string, { readonly n: number; readonly ms: number }>;
  /** Resident set now, and its peak (sampled every 200 ms), MiB. */
  readonly rssMb?: number;
  readonly peakRssMb?: number;
}

export interface WorkerStats {
  readonly peakRssMb: number;
  readonly completed: number;
  readonly cpuSeconds: number;
  readonly reads: WorkerSample["reads"];
}

export interface WorkerHandle {
  readonly proc: ChildProcess;
  /** CPU seconds and completed steps so far. */
  sample(): Promise<WorkerSample>;
  stop(): Promise<WorkerStats>;
}

/** `nodeArgs`: e.g. ["--cpu-prof", "--cpu-prof-dir=…"]; `script`: another worker script of this folder taking review-worker.ts's arguments; `env`: added to this process's. */
export function startWorker(options: { url: string; payloadDir: string; id: string; concurrency: number; values?: "shared" | "copied"; nodeArgs?: readonly string[]; script?: string; env?: Record<string, string> }): Promise<WorkerHandle> {
  const { url, payloadDir, id, concurrency } = options;
  const args = [...(options.nodeArgs ?? []), "--import", "tsx", path.join(import.meta.dirname, options.script ?? "review-worker.ts"), url, payloadDir, id, String(concurrency), options.values ?? "shared"];
  const proc = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...options.env } });
  let buffer = "";
  const waiting: Array<{ prefix: string; resolve: (rest: string) => void }> = [];
  proc.stdout!.on("data", (d: Buffer) => {
    buffer += d.toString();
    const lines = buffer.split("\n");
    buffer = lines.pop()!;
    for (const l of lines) {
      const i = waiting.findIndex((w) => l.startsWith(w.prefix));
      if (i >= 0) waiting.splice(i, 1)[0]!.resolve(l);
    }
  });
  const next = (prefix: string): Promise<string> => new Promise((resolve) => waiting.push({ prefix, resolve: (line) => resolve(line.slice(prefix.length)) }));
  return new Promise((resolve, reject) => {
    proc.once("exit", (code) => reject(new Error(`worker ${id} exited ${code}`)));
    void next("ready ").then(() =>
      resolve({
        proc,
        sample: () => {
          const line = next("sample ");
          proc.kill("SIGUSR2");
          return line.then((l) => JSON.parse(l) as WorkerSample);
        },
        stop: () => {
          const line = next("{");
          proc.kill("SIGTERM");
          return line.then((l) => JSON.parse(`{${l}`) as WorkerStats);
        },
      }),
    );
  });
}

/** A worker setting as the benches take it: space-separated node flags, `KEY=value` words going to its environment; `default` or nothing: none. */
export function workerVariant(words: string): { flags: string[]; env: Record<string, string>; warmUp?: number; store?: "memory" | "sqlite" } {
  const all = words.trim() === "default" ? [] : words.split(/\s+/).filter((w) => w !== "");
  const isEnv = (w: string): boolean => /^[A-Z_][A-Z0-9_]*=/.test(w);
  const env = Object.fromEntries(all.filter(isEnv).map((w) => [w.slice(0, w.indexOf("=")), w.slice(w.indexOf("=") + 1)]));
  // BENCH_WARM_UP=<n> and BENCH_STORE=memory|sqlite in a variant are the bench's, not the worker's: contracts per
  // worker reviewed before its figures start, and the API's run store (bench/scale-out.ts)
  const warmUp = env["BENCH_WARM_UP"] === undefined ? undefined : Number(env["BENCH_WARM_UP"]);
  const store = env["BENCH_STORE"] === "memory" ? "memory" : env["BENCH_STORE"] === "sqlite" ? "sqlite" : undefined;
  delete env["BENCH_WARM_UP"];
  delete env["BENCH_STORE"];
  return { flags: all.filter((w) => !isEnv(w)), env, ...(warmUp === undefined ? {} : { warmUp }), ...(store === undefined ? {} : { store }) };
}

/** CPU seconds this process has used. */
export function ownCpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** CPU seconds Redis has used (its INFO), through any client. */
export async function redisCpu(client: { info(section: string): Promise<string> }): Promise<number> {
  const info = await client.info("cpu");
  const num = (k: string): number => Number(new RegExp(`${k}:([0-9.]+)`).exec(info)?.[1] ?? 0);
  return num("used_cpu_sys") + num("used_cpu_user");
}

/**
 * CPU seconds of this process's threads by name (/proc: the main thread is the process's own id; V8's
 * GC and compiler helpers, libuv's pool, the lock keeper's thread are the others), for bench/utilisation.ts.
 */
export function threadCpu(byTid = false): Record<string, number> {
  const out: Record<string, number> = {};
  let tids: string[] = [];
  try {
    tids = fs.readdirSync("/proc/self/task");
  } catch {
    return out; // not Linux
  }
  for (const tid of tids) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // byTid: each thread by its id's offset from the process's (threads are numbered as they start: V8's platform
      // workers first, then libuv's pool and worker threads as they are first used)
      const name = Number(tid) === process.pid ? "main" : byTid ? `+${Number(tid) - process.pid}` : fs.readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim();
      // utime and stime, in clock ticks (100 a second)
      out[name] = (out[name] ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // a thread that ended meanwhile
    }
  }
  return out;
}
