import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { chooseThreads, parseCgroupCpuMax, probeHardware, TINY_MODEL_PARAMETERS } from "./hardware-probe";

describe("parseCgroupCpuMax", () => {
  it("reads quota/period as whole CPUs and 'max' as no limit", () => {
    expect(parseCgroupCpuMax("200000 100000\n")).toBe(2);
    expect(parseCgroupCpuMax("150000 100000")).toBe(1);
    expect(parseCgroupCpuMax("50000 100000")).toBe(1);
    expect(parseCgroupCpuMax("max 100000")).toBeUndefined();
    expect(parseCgroupCpuMax("garbage")).toBeUndefined();
  });

  it("never returns less than one CPU or a non-integer for any quota and period", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), (quota, period) => {
        const cpus = parseCgroupCpuMax(`${quota} ${period}`);
        expect(cpus).toBe(Math.max(1, Math.floor(quota / period)));
      }),
    );
  });

  it("never throws on arbitrary text", () => {
    fc.assert(fc.property(fc.string(), (text) => void parseCgroupCpuMax(text)));
  });
});

describe("chooseThreads", () => {
  it("never oversubscribes: threads x concurrent contexts stays within the cores", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 128 }), fc.integer({ min: 1, max: 16 }), (cores, contexts) => {
        const threads = chooseThreads({ usableCores: cores, concurrentContexts: contexts, parameterCount: 7_000_000_000 });
        expect(threads).toBeGreaterThanOrEqual(1);
        expect(threads).toBeLessThanOrEqual(cores);
        if (contexts <= cores) expect(threads * contexts).toBeLessThanOrEqual(cores);
      }),
    );
  });

  it("uses one thread for tiny models, where synchronisation costs more than the math", () => {
    expect(chooseThreads({ usableCores: 16, concurrentContexts: 1, parameterCount: TINY_MODEL_PARAMETERS - 1 })).toBe(1);
    expect(chooseThreads({ usableCores: 16, concurrentContexts: 1, parameterCount: 8_000_000_000 })).toBe(16);
    expect(chooseThreads({ usableCores: 8, concurrentContexts: 2, parameterCount: 8_000_000_000 })).toBe(4);
  });

  it("clamps a requested thread count to the usable cores", () => {
    expect(chooseThreads({ usableCores: 2, concurrentContexts: 1, requested: 4 })).toBe(2);
    expect(chooseThreads({ usableCores: 2, concurrentContexts: 1, requested: 1 })).toBe(1);
  });
});

describe("probeHardware", () => {
  it("reports usable cores no higher than availableParallelism and the RAM of this machine", async () => {
    const hw = await probeHardware();
    expect(hw.usableCores).toBeGreaterThanOrEqual(1);
    expect(hw.usableCores).toBeLessThanOrEqual(hw.availableParallelism);
    if (hw.cgroupCpuLimit !== undefined) expect(hw.usableCores).toBeLessThanOrEqual(hw.cgroupCpuLimit);
    expect(hw.totalMemoryBytes).toBeGreaterThan(hw.freeMemoryBytes);
    expect(hw.gpu.type).toBe(false);
  });
});
