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
  it("reads version 6 with its actor", () => {
    expect(readStepJob("j", { ...base, v: 6, actor: "alice" })).toMatchObject({ v: 6, actor: "alice", matter: "acme" });
    expect(readStepJob("j", { ...base, v: 6, actor: null })).toMatchObject({ actor: null });
  });
  it("refuses a newer version with word to upgrade the worker, an older one (version 5: its payload is not bound to its type, agent, actor and act), a job without its actor, and an actor that is no name", () => {
    expect(() => readStepJob("j", { ...base, v: 7, actor: "alice" })).toThrow(expect.objectContaining({ code: "STEP_PAYLOAD_INVALID", retryable: false, message: expect.stringContaining("newer than this worker reads (6)"), hint: expect.stringContaining("Upgrade this worker") }));
    expect(() => readStepJob("j", { ...base, v: 5, actor: "alice" })).toThrow(/version 5 step job, but this worker reads version 6: all cluster processes must run the same BEAR version/);
    expect(() => readStepJob("j", { ...base, v: 4, actor: "alice" })).toThrow(/version 4 step job, but this worker reads version 6/);
    expect(() => readStepJob("j", { ...base, v: "6" })).toThrow(/version 6 step job, but this worker reads version 6/);
    for (const actor of ["", "a b", "alice\nforged", "x".repeat(201), 7]) expect(() => readStepJob("j", { ...base, v: 6, actor })).toThrow(/not a BEAR step job/);
    expect(() => readStepJob("j", { ...base, v: 6 })).toThrow(/not a BEAR step job/);
  });
});
