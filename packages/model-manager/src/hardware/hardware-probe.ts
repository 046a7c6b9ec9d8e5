import fs from "node:fs/promises";
import os from "node:os";

export interface GpuInfo {
  /** "cuda" | "vulkan" | "metal", or false when running on the CPU only. */
  readonly type: string | false;
  readonly vramTotalBytes: number;
  readonly vramFreeBytes: number;
}

export interface HardwareProfile {
  /** Logical CPUs the OS reports. */
  readonly logicalCpus: number;
  /** `os.availableParallelism()`: CPUs this process may be scheduled on (affinity-aware). */
  readonly availableParallelism: number;
  /** CPUs allowed by the cgroup quota (cpu.max), or undefined when unlimited / not in a cgroup. */
  readonly cgroupCpuLimit: number | undefined;
  /** What we actually plan with: the smallest of the above, at least 1. */
  readonly usableCores: number;
  readonly totalMemoryBytes: number;
  readonly freeMemoryBytes: number;
  /** CPU SIMD features reported by llama.cpp, when it is loaded (e.g. AVX2, FMA). */
  readonly simd: readonly string[];
  readonly gpu: GpuInfo;
}

/**
 * Parses cgroup v2 `cpu.max` ("<quota> <period>" or "max <period>") into a CPU count
 * (rounded down, at least 1); undefined when there is no limit or the text is not understood.
 */
export function parseCgroupCpuMax(text: string): number | undefined {
  const match = /^\s*(max|\d+)\s+(\d+)\s*$/.exec(text);
  if (!match || match[1] === "max") return undefined;
  const quota = Number(match[1]);
  const period = Number(match[2]);
  if (!Number.isFinite(quota) || !Number.isFinite(period) || period <= 0 || quota <= 0) return undefined;
  return Math.max(1, Math.floor(quota / period));
}

/** Reads the cgroup CPU limit (v2 cpu.max, else v1 cfs quota/period). */
export async function readCgroupCpuLimit(root = "/sys/fs/cgroup"): Promise<number | undefined> {
  try {
    return parseCgroupCpuMax(await fs.readFile(`${root}/cpu.max`, "utf8"));
  } catch {
    // fall through to cgroup v1
  }
  try {
    const quota = (await fs.readFile(`${root}/cpu/cpu.cfs_quota_us`, "utf8")).trim();
    const period = (await fs.readFile(`${root}/cpu/cpu.cfs_period_us`, "utf8")).trim();
    return quota === "-1" ? undefined : parseCgroupCpuMax(`${quota} ${period}`);
  } catch {
    return undefined;
  }
}

/** The subset of node-llama-cpp's Llama the probe reads (kept structural so tests need no GPU). */
export interface LlamaHardwareView {
  readonly gpu: string | false;
  readonly systemInfo: string;
  getVramState(): Promise<{ total: number; free: number }>;
}

/** Measures what this process can really use. Pass the loaded Llama to include GPU and SIMD facts. */
export async function probeHardware(llama?: LlamaHardwareView): Promise<HardwareProfile> {
  const logicalCpus = os.cpus().length || 1;
  const availableParallelism = typeof os.availableParallelism === "function" ? os.availableParallelism() : logicalCpus;
  const cgroupCpuLimit = await readCgroupCpuLimit();
  const usableCores = Math.max(1, Math.min(logicalCpus, availableParallelism, cgroupCpuLimit ?? Number.POSITIVE_INFINITY));
  let gpu: GpuInfo = { type: false, vramTotalBytes: 0, vramFreeBytes: 0 };
  let simd: string[] = [];
  if (llama) {
    if (llama.gpu !== false) {
      const vram = await llama.getVramState();
      gpu = { type: llama.gpu, vramTotalBytes: vram.total, vramFreeBytes: vram.free };
    }
    simd = [...llama.systemInfo.matchAll(/\b([A-Z0-9_]+) = 1\b/g)].map((m) => m[1] ?? "").filter((s) => s.length > 0);
  }
  return {
    logicalCpus,
    availableParallelism,
    cgroupCpuLimit,
    usableCores,
    totalMemoryBytes: os.totalmem(),
    freeMemoryBytes: os.freemem(),
    simd,
    gpu,
  };
}

/** Models below this many parameters gain nothing from more threads: synchronisation costs more than the math. */
export const TINY_MODEL_PARAMETERS = 50_000_000;

/**
 * Threads per context: the usable cores shared among the contexts that may run at the same time,
 * never more than the cores (oversubscription makes llama.cpp's spin-waits collide: on 2 vCPUs,
 * 4 threads is ~600x slower than 1), and 1 for tiny models.
 */
export function chooseThreads(options: {
  readonly usableCores: number;
  readonly concurrentContexts: number;
  readonly parameterCount?: number;
  readonly requested?: number;
}): number {
  const cores = Math.max(1, Math.floor(options.usableCores));
  if (options.requested !== undefined) return Math.max(1, Math.min(Math.floor(options.requested), cores));
  if (options.parameterCount !== undefined && options.parameterCount < TINY_MODEL_PARAMETERS) return 1;
  return Math.max(1, Math.floor(cores / Math.max(1, options.concurrentContexts)));
}
