// Attacks on the server's inputs: upload names that break file systems or headers, zip bombs, and floods of
// unauthenticated requests that used to write one audit record each.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
// eslint-disable-next-line @nx/enforce-module-boundaries -- test only: the same generated bombs rag's own hostile-file tests use
import { docxBomb } from "../../../packages/rag/test/support/hostile-files";
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
    const started = Date.now();
    for (let i = 0; i < 1000; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, (_, j) => t.server.app.inject({ method: "GET", url: "/api/v1/documents", headers: kinds[(i + j) % kinds.length] as Record<string, string> })),
      );
      for (const r of batch) statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
    }
    expect([...statuses.keys()].sort()).toEqual([401, 429]);
    expect(statuses.get(429)).toBeGreaterThan(500); // the anonymous budget and mallory's login budget run out
    const written = denied().length - before;
    expect(written).toBeGreaterThan(0);
    // At most two records (the first failure, then one count) per reason and 10 s window; 4 reasons: none, malformed,
    // wrong key, rate limited. The budgets (anonymous, and per id) refill apart, so a slow run spans more windows.
    expect(written).toBeLessThanOrEqual(2 * 4 * Math.ceil((Date.now() - started) / 10_000));
    // On shutdown the open windows are written as counts: every failed request is accounted for.
    await t.close({ keepDir: true });
    const counted = denied()
      .slice(before)
      .reduce((sum, r) => sum + Number(r.details?.["count"] ?? 1), 0);
    expect(counted).toBe(1000);
    t = await startTestServer({ dir: t.dir });
  }, 180_000);
});

describe("a DOCX bomb uploaded by a paralegal fails alone; the server keeps answering", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ rateLimit: { capacity: 10_000, refillPerSecond: 1_000 }, patch: (c) => ({ ...c, rag: { ...c.rag, maxFileSizeMb: 2 } }) });
  });
  afterAll(() => t.close());

  const uploadAs = (name: string, content: Uint8Array | string) => {
    const { payload, headers } = multipart(name, typeof content === "string" ? content : Buffer.from(content));
    return fetch(`${t.url}/api/v1/documents?matter=acme`, { method: "POST", headers: { ...t.auth("paula"), ...headers }, body: payload });
  };

  it.each([
    ["honest sizes, 300 MB of paragraphs", docxBomb(300)],
    ["sizes that lie (declares 1 MB, inflates to 300 MB)", docxBomb(300, { declaredSize: 1_000_000 })],
  ])("%s: 413 RAG_FILE_TOO_LARGE, /health answers meanwhile, the next upload is ingested", async (_name, bomb) => {
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024); // under the upload limit: the attack reaches extraction
    const uploading = uploadAs("bomb.docx", bomb);
    let done = false;
    void uploading.finally(() => (done = true));
    const health: number[] = [];
    while (!done) {
      const started = performance.now();
      const res = await fetch(`${t.url}/api/v1/health`);
      await res.arrayBuffer();
      expect(res.status).toBe(200);
      health.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 20));
    }
    const res = await uploading;
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("RAG_FILE_TOO_LARGE");
    expect(Math.max(0, ...health)).toBeLessThan(2_000); // before: no answers for ~120 s, then abort
    expect((await uploadAs("after-the-bomb.txt", NDA)).status).toBe(201);
  }, 120_000);
});
