import { describe, expect, it } from "@jest/globals";
import { STEP_JOB_VERSION, stepJobDataSchema } from "./step-job";

describe("stepJobDataSchema", () => {
  it("takes a run's matter or null, never an empty matter (read downstream as 'no filter')", () => {
    const job = (matter: string | null) => ({ v: STEP_JOB_VERSION, runId: "run-1", stepId: "s", key: "s", type: "x", attempt: 1, matter, payload: { inline: { parameters: {} } }, reply: "0123456789abcdef", queuedAt: 1 });
    expect(stepJobDataSchema.safeParse(job("acme")).success).toBe(true);
    expect(stepJobDataSchema.safeParse(job(null)).success).toBe(true);
    expect(stepJobDataSchema.safeParse(job("")).success).toBe(false);
  });
});
