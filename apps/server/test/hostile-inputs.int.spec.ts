// Attacks on the server's inputs: upload names that break file systems or headers, and floods of
// unauthenticated requests that used to write one audit record each.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { auditRecords, multipart, NDA, startTestServer, type TestServer } from "./support/test-server";

describe("hostile inputs", () => {
  let t: TestServer;
  const upload = (name: string) => {
    const { payload, headers } = multipart(name, NDA);
    return t.server.app.inject({ method: "POST", url: "/api/v1/documents?matter=acme", headers: { ...t.auth("alice"), ...headers }, payload });
  };

  beforeAll(async () => {
    // a small per-address budget: wrong keys cost an scrypt hash each until it is spent
    t = await startTestServer({ rateLimit: { capacity: 60, refillPerSecond: 1 } });
  });
  afterAll(() => t.close({ keepDir: false }));

  it("an upload name of at most 200 characters but over 255 UTF-8 bytes is a 400 naming the byte limit", async () => {
    const name = `${"é".repeat(130)}.txt`; // 134 characters, 264 bytes
    const res = await upload(name);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: "VALIDATION_FAILED", details: { field: "file.filename" } });
    expect(res.json().error.message).toMatch(/264 bytes.*255 bytes/);
    expect((await upload(`${"é".repeat(120)}.txt`)).statusCode).toBe(201); // 244 bytes: fine
  });

  it("an upload name with CR/LF is a clear 400, not silently rewritten (as fetch sends it, and raw)", async () => {
    const form = new FormData();
    form.append("file", new Blob([NDA]), "memo\r\nX-Injected: 1.txt");
    const viaFetch = await fetch(`${t.url}/api/v1/documents?matter=acme`, { method: "POST", headers: t.auth("alice"), body: form });
    expect(viaFetch.status).toBe(400);
    expect(((await viaFetch.json()) as { error: { message: string } }).error.message).toMatch(/line break/);
    for (const name of ["memo%0D%0Anext.txt", "memo%0aafter.txt"]) {
      const res = await upload(name);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/line break/);
    }
  });

  it("1,000 unauthenticated requests add a handful of audit records, are rate limited, and are all counted", async () => {
    const denied = (): { details?: Record<string, unknown> }[] => auditRecords(t.dir).filter((r) => r.action === "login" && (r as { outcome: string }).outcome === "denied");
    const before = denied().length;
    const kinds = [{}, { authorization: "Bearer not-a-key" }, { authorization: `Bearer bear_mallory_${"x".repeat(32)}` }];
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1000; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, (_, j) => t.server.app.inject({ method: "GET", url: "/api/v1/documents", headers: kinds[(i + j) % kinds.length] as Record<string, string> })),
      );
      for (const r of batch) statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
    }
    expect([...statuses.keys()].sort()).toEqual([401, 429]);
    expect(statuses.get(429)).toBeGreaterThan(500); // the address's budget runs out
    const written = denied().length - before;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThanOrEqual(10);
    // On shutdown the open windows are written as counts: every failed request is accounted for.
    await t.close({ keepDir: true });
    const counted = denied()
      .slice(before)
      .reduce((sum, r) => sum + Number(r.details?.["count"] ?? 1), 0);
    expect(counted).toBe(1000);
    t = await startTestServer({ dir: t.dir });
  }, 180_000);
});
