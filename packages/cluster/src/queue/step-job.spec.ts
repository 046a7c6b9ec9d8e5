import { describe, expect, it } from "@jest/globals";
import { STEP_JOB_VERSION, readStepJob, stepJobDataSchema } from "./step-job";

describe("stepJobDataSchema", () => {
  it("takes a run's matter or null, never an empty matter (read downstream as 'no filter')", () => {
    const job = (matter: string | null) => ({ v: STEP_JOB_VERSION, runId: "run-1", stepId: "s", key: "s", type: "x", attempt: 1, matter, actor: null, payload: { inline: { parameters: {} } }, reply: "0123456789abcdef", queuedAt: 1 });
    expect(stepJobDataSchema.safeParse(job("acme")).success).toBe(true);
    expect(stepJobDataSchema.safeParse(job(null)).success).toBe(true);
    expect(stepJobDataSchema.safeParse(job("")).success).toBe(false);
  });
});

describe("readStepJob", () => {
  const base = { runId: "run-1", stepId: "s", key: "s", type: "x", attempt: 1, matter: "acme", payload: { inline: { parameters: {} } }, reply: "0123456789abcdef", queuedAt: 1 };
  it("reads version 5 as added only on its recorded queue (routed) and version 4 as not, each with its actor", () => {
    expect(readStepJob("j", { ...base, v: 5, actor: "alice" })).toMatchObject({ v: 5, actor: "alice", matter: "acme", routed: true });
    expect(readStepJob("j", { ...base, v: 5, actor: null })).toMatchObject({ actor: null, routed: true });
    expect(readStepJob("j", { ...base, v: 4, actor: "alice" })).toMatchObject({ v: 5, actor: "alice", matter: "acme", routed: false });
  });
  it("refuses a newer version with word to upgrade the worker, an older one, a job without its actor, and an actor that is no name", () => {
    expect(() => readStepJob("j", { ...base, v: 6, actor: "alice" })).toThrow(expect.objectContaining({ code: "STEP_PAYLOAD_INVALID", retryable: false, message: expect.stringContaining("newer than this worker reads (4-5)"), hint: expect.stringContaining("Upgrade this worker") }));
    expect(() => readStepJob("j", { ...base, v: 3 })).toThrow(/version 3 step job, but this worker reads versions 4-5/);
    expect(() => readStepJob("j", { ...base, v: "5" })).toThrow(/version 5 step job, but this worker reads versions 4-5/);
    for (const v of [4, 5]) {
      for (const actor of ["", "a b", "alice\nforged", "x".repeat(201), 7]) expect(() => readStepJob("j", { ...base, v, actor })).toThrow(/not a BEAR step job/);
      expect(() => readStepJob("j", { ...base, v })).toThrow(/not a BEAR step job/);
    }
  });
});
