import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { multipart, startTestServer, type TestServer, type Who } from "./support/test-server";

// GET /api/v1/documents/:id/pages/:page/image on an encrypted workspace, with a real CUAD PDF.
const PDF_NAME = "NETZEEINC_11_14_2002-EX-10.3-MAINTENANCE AGREEMENT.PDF";
const PDF = fs.readFileSync(path.resolve(import.meta.dirname, "../../../../shared/data/pdfs/text", PDF_NAME));
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];

describe("page images of stored documents (REST)", () => {
  let t: TestServer;
  let id: string;
  const get = (url: string, who?: Who) => t.server.app.inject({ method: "GET", url, headers: who ? t.auth(who) : {} });

  beforeAll(async () => {
    // Encrypted: uploaded originals are sealed at rest, and the page is drawn from the unsealed bytes in memory.
    t = await startTestServer({ passphrase: "correct horse battery staple", rateLimit: { capacity: 1000, refillPerSecond: 100 } });
    const { payload, headers } = multipart("maintenance.pdf", PDF);
    const res = await t.server.app.inject({ method: "POST", url: "/api/v1/documents?matter=acme", payload, headers: { ...headers, ...t.auth("alice") } });
    expect(res.statusCode).toBe(201);
    id = res.json().document.id;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it("draws a page of a sealed upload as a private PNG for a caller of its matter", async () => {
    const stored = fs.readFileSync(path.join(t.dir, "uploads", "acme", "maintenance.pdf"));
    expect([...stored.subarray(0, 4)]).not.toEqual([...PDF.subarray(0, 4)]); // sealed at rest
    const res = await get(`/api/v1/documents/${encodeURIComponent(id)}/pages/1/image`, "alice");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("image/png");
    expect(res.headers["cache-control"]).toBe("private, no-store");
    expect(res.headers["x-page-count"]).toBe("1");
    expect([...res.rawPayload.subarray(0, 4)]).toEqual(PNG_MAGIC);
    expect(res.rawPayload.length).toBeGreaterThan(10_000); // a drawn page of text, not an empty canvas
  });

  it("is confined to the caller's matters: another matter's caller gets the same 404 as an unknown id", async () => {
    const other = await get(`/api/v1/documents/${encodeURIComponent(id)}/pages/1/image`, "bob");
    const unknown = await get(`/api/v1/documents/nope123/pages/1/image`, "bob");
    expect(other.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(other.json().error.code).toBe(unknown.json().error.code);
    expect((await get(`/api/v1/documents/${encodeURIComponent(id)}/pages/1/image`)).statusCode).toBe(401);
  });

  it("refuses a page out of range or not a number", async () => {
    const missing = await get(`/api/v1/documents/${encodeURIComponent(id)}/pages/2/image`, "alice");
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe("RAG_PAGE_NOT_FOUND");
    expect((await get(`/api/v1/documents/${encodeURIComponent(id)}/pages/0/image`, "alice")).statusCode).toBe(400);
    expect((await get(`/api/v1/documents/${encodeURIComponent(id)}/pages/..%2F1/image`, "alice")).statusCode).toBe(400);
  });
  it("draws at most 2 pages at once for a caller and 30 a minute (a burst of 10): past them 429 PAGE_IMAGE_BUSY with Retry-After, before any drawing", async () => {
    const url = `/api/v1/documents/${encodeURIComponent(id)}/pages/1/image`;
    // three at once: two are drawn, the third is refused at once (each drawing holds one of the two PDF readers)
    const together = await Promise.all([get(url, "alice"), get(url, "alice"), get(url, "alice")]);
    expect(together.map((r) => r.statusCode).sort()).toEqual([200, 200, 429]);
    const busy = together.find((r) => r.statusCode === 429)!;
    expect(busy.json().error).toMatchObject({ code: "PAGE_IMAGE_BUSY", details: { limit: expect.stringMatching(/^per(Principal|Document)$/) } });
    expect(Number(busy.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    // one after another: the burst's tokens (10, of which the two above and the earlier tests' took some) run out
    const statuses: number[] = [];
    for (let i = 0; i < 12 && !statuses.includes(429); i++) statuses.push((await get(url, "alice")).statusCode);
    expect(statuses.at(-1)).toBe(429);
    const limited = await get(url, "alice");
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.details).toMatchObject({ limit: "perMinute", max: 30 });
    expect(Number(limited.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers["retry-after"])).toBeLessThanOrEqual(2);
    // another caller of the matter is not held up by alice's
    expect((await get(url, "admin")).statusCode).toBe(200);
  }, 120_000);
});
