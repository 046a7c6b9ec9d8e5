import { describe, expect, it } from "@jest/globals";
import { errorResponse } from "./error-response";
import { DEFAULT_PAGE_IMAGE_LIMITS, PageImageGate } from "./page-image-gate";

function refusal(enter: () => unknown): { status: number; code: string; retryAfter: string | undefined; limit: unknown } {
  try {
    enter();
  } catch (error) {
    const { status, body, headers } = errorResponse(error);
    return { status, code: body.error.code, retryAfter: headers["retry-after"], limit: (body.error.details as { limit?: unknown } | undefined)?.limit };
  }
  throw new Error("not refused");
}

describe("PageImageGate", () => {
  it("draws one page image at a time across callers by default (one PDF reader stays free for uploads): the next gets 429 with Retry-After", () => {
    const gate = new PageImageGate();
    const first = gate.enter("alice", "doc1");
    expect(refusal(() => gate.enter("bob", "doc2"))).toEqual({ status: 429, code: "PAGE_IMAGE_BUSY", retryAfter: "1", limit: "total" });
    first();
    first(); // leaving twice frees one place only
    const second = gate.enter("bob", "doc2");
    expect(refusal(() => gate.enter("alice", "doc1"))).toMatchObject({ status: 429, limit: "total" });
    second();
  });

  it("limits each principal and each document on their own where more drawings may run at once", () => {
    const gate = new PageImageGate({ total: 10, perPrincipal: 2, perDocument: 2 });
    gate.enter("alice", "doc1");
    gate.enter("alice", "doc2");
    expect(refusal(() => gate.enter("alice", "doc3"))).toMatchObject({ status: 429, code: "PAGE_IMAGE_BUSY", limit: "perPrincipal" });
    gate.enter("bob", "doc1");
    expect(refusal(() => gate.enter("carol", "doc1"))).toMatchObject({ status: 429, code: "PAGE_IMAGE_BUSY", limit: "perDocument" });
    gate.enter("carol", "doc3");
  });

  it("starts at most `burst` page images at once and then 30 a minute per principal, saying when the next one may start", () => {
    let now = 0;
    const gate = new PageImageGate({}, () => now);
    const { burst, perMinute } = DEFAULT_PAGE_IMAGE_LIMITS;
    for (let i = 0; i < burst; i++) gate.enter("alice", `doc${i}`)();
    expect(refusal(() => gate.enter("alice", "docX"))).toEqual({ status: 429, code: "PAGE_IMAGE_BUSY", retryAfter: String(60 / perMinute), limit: "perMinute" });
    gate.enter("bob", "docX")(); // bob's bucket is his own
    now += 1_000;
    expect(refusal(() => gate.enter("alice", "docX"))).toMatchObject({ retryAfter: "1" });
    now += 1_000;
    gate.enter("alice", "docX")(); // one token after 60/perMinute s
    // sustained: a minute of asking every 100 ms starts perMinute of them (± the token left over)
    let started = 0;
    for (let t = 0; t < 60_000; t += 100) {
      now += 100;
      try {
        gate.enter("alice", "doc")();
        started++;
      } catch {
        // refused: 429
      }
    }
    expect(started).toBeGreaterThanOrEqual(perMinute - 1);
    expect(started).toBeLessThanOrEqual(perMinute + 1);
  });
});
