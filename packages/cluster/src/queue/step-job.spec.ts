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
  it("reads version 4 with its actor and version 3 as started by nobody named", () => {
    expect(readStepJob("j", { ...base, v: 4, actor: "alice" })).toMatchObject({ v: 4, actor: "alice", matter: "acme" });
    expect(readStepJob("j", { ...base, v: 4, actor: null })).toMatchObject({ actor: null });
    expect(readStepJob("j", { ...base, v: 3 })).toMatchObject({ v: 4, actor: null, matter: "acme" });
  });
  it("refuses a newer version with word to upgrade the worker, an older one, a version 3 job with an actor, and an actor that is no name", () => {
    expect(() => readStepJob("j", { ...base, v: 5, actor: "alice" })).toThrow(expect.objectContaining({ code: "STEP_PAYLOAD_INVALID", retryable: false, message: expect.stringContaining("newer than this worker reads (3-4)"), hint: expect.stringContaining("Upgrade this worker") }));
    expect(() => readStepJob("j", { ...base, v: 2 })).toThrow(/version 2 step job, but this worker reads versions 3-4/);
    expect(() => readStepJob("j", { ...base, v: "4" })).toThrow(/version 4 step job, but this worker reads versions 3-4/);
    expect(() => readStepJob("j", { ...base, v: 3, actor: "alice" })).toThrow(/not a BEAR step job/);
    for (const actor of ["", "a b", "alice\nforged", "x".repeat(201), 7]) expect(() => readStepJob("j", { ...base, v: 4, actor })).toThrow(/not a BEAR step job/);
    expect(() => readStepJob("j", { ...base, v: 4 })).toThrow(/not a BEAR step job/);
  });
});
