import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import type { AuditEvent } from "@bear/core";
import { auditedId, RefusalAudit } from "./refusal-audit";

function recorder(): { events: AuditEvent[]; audit: { record: (event: AuditEvent) => Promise<void> } } {
  const events: AuditEvent[] = [];
  return { events, audit: { record: async (event) => void events.push(event) } };
}

const refusal = (jobId: string, code = "STEP_JOB_FORGED", queue = "step.test") => ({ jobId, queue, code, claims: { run: "r1", claimedActor: "admin" } });

describe("RefusalAudit", () => {
  it("writes one record per kind (queue, code) and window, and the rest as one count when the window closes", async () => {
    const { events, audit } = recorder();
    const refusals = new RefusalAudit(audit, "w1", 60_000);
    // a Redis writer adding 10,000 forged jobs under 100 ids, of two kinds
    for (let i = 0; i < 10_000; i++) await refusals.refuse(refusal(`forged-${i % 100}`, i % 2 === 0 ? "STEP_JOB_FORGED" : "DECRYPTION_FAILED"));
    expect(events).toHaveLength(2);
    expect(events.map((e) => [e.action, e.outcome, e.actor, e.resource, e.details?.["code"], e.details?.["count"]])).toEqual([
      ["step.refused", "denied", "system", "forged-0", "STEP_JOB_FORGED", 1],
      ["step.refused", "denied", "system", "forged-1", "DECRYPTION_FAILED", 1],
    ]);
    await refusals.flush();
    expect(events.slice(2).map((e) => [e.resource, e.details?.["code"], e.details?.["count"], e.details?.["jobs"], e.details?.["firstJob"]])).toEqual([
      ["forged-98", "STEP_JOB_FORGED", 4999, 50, "forged-0"],
      ["forged-99", "DECRYPTION_FAILED", 4999, 50, "forged-1"],
    ]);
    // the records add up to the refusals
    expect(events.reduce((sum, e) => sum + Number(e.details?.["count"]), 0)).toBe(10_000);
  });

  it("opens a new window once the last one is over", async () => {
    const { events, audit } = recorder();
    const refusals = new RefusalAudit(audit, "w1", 50);
    expect(await refusals.refuse(refusal("a"))).toBe(true);
    expect(await refusals.refuse(refusal("b"))).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 120)); // the window's timer writes its count
    expect(events.map((e) => [e.resource, e.details?.["count"]])).toEqual([
      ["a", 1],
      ["b", 1],
    ]);
    expect(await refusals.refuse(refusal("c"))).toBe(true);
    expect(events.map((e) => e.resource)).toEqual(["a", "b", "c"]);
  });

  it("holds what it counts cut to what it writes: 10,000 refusals of 100 kB ids keep a few MB, not a GB", async () => {
    const { events, audit } = recorder();
    const refusals = new RefusalAudit(audit, "w1");
    const base = "x".repeat(100_000);
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 10_000; i++) await refusals.refuse(refusal(Buffer.from(`${base}${i}`).toString())); // each a new, flat 100 kB string
    const held = process.memoryUsage().heapUsed - before;
    expect(held).toBeLessThan(200 * 2 ** 20); // the ids themselves were ~1 GB
    await refusals.flush();
    expect(events.map((e) => e.details?.["jobs"] ?? 1)).toEqual([1, 10_000]);
    for (const e of events) expect(e.resource!.length).toBeLessThanOrEqual(120);
  });

  it("keeps every audited id within what the audit log accepts, and the code and claims with it", async () => {
    const { events, audit } = recorder();
    const long = `genuine|${"a".repeat(190)}|1`;
    await new RefusalAudit(audit, "w1").refuse({ jobId: long, queue: "q".repeat(300), code: "STEP_JOB_FORGED", claims: { run: "r".repeat(300), claimedActor: "admin" } });
    const [event] = events;
    expect(event!.resource!.length).toBeLessThanOrEqual(120);
    expect(event!.resource).toContain(`(${long.length} chars, sha256 `);
    expect(event!.details).toMatchObject({ code: "STEP_JOB_FORGED", claimedActor: "admin" });
    for (const value of Object.values(event!.details!)) if (typeof value === "string") expect(value.length).toBeLessThanOrEqual(120);
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.string({ maxLength: 400 }), (a, b) => {
        const [x, y] = [auditedId(a), auditedId(b)];
        expect(x.length).toBeLessThanOrEqual(120);
        if (a.length <= 120) expect(x).toBe(a);
        if (a !== b && a.length > 120 && b.length > 120) expect(x).not.toBe(y); // distinct ids stay distinct (their digests)
      }),
      { numRuns: 500 },
    );
  });
});
