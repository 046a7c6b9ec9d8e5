// Attack: probe ids of another matter's documents and runs. "Not yours" must answer exactly what
// "does not exist" answers (404, no matter name), on every route that takes an id; the probe is
// still audited.
import { createHash, randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { auditRecords, multipart, NDA, startTestServer, type TestServer } from "./support/test-server";

describe("ids confirm nothing across an ethical wall", () => {
  let t: TestServer;
  let docId: string;
  let runId: string;
  const unknownDoc = "0123456789abcdef01234567";
  const unknownRun = randomUUID();

  const inject = (method: string, url: string, who: "alice" | "bob", body?: unknown) =>
    t.server.app.inject({ method: method as "GET", url, headers: t.auth(who), ...(body === undefined ? {} : { payload: body as object }) });

  beforeAll(async () => {
    t = await startTestServer({ rateLimit: { capacity: 10_000, refillPerSecond: 1_000 } });
    const { payload, headers } = multipart("acme-merger-nda.txt", NDA);
    const up = await t.server.app.inject({ method: "POST", url: "/api/v1/documents?matter=acme", headers: { ...t.auth("alice"), ...headers }, payload });
    expect(up.statusCode).toBe(201);
    docId = up.json().document.id;
    const wf = { name: "count", steps: [{ id: "count", type: "data_processing", parameters: { operation: "count", input: [1, 2] } }] };
    const run = await inject("POST", "/api/v1/workflows", "alice", { workflow: wf, matter: "acme" });
    expect(run.statusCode).toBeLessThan(300);
    runId = run.json().runId;
  });
  afterAll(() => t.close());

  const routes: { name: string; method: string; url: (id: string) => string; body?: (id: string) => unknown; kind: "doc" | "run" }[] = [
    { name: "GET /documents/{id}", method: "GET", url: (id) => `/api/v1/documents/${id}`, kind: "doc" },
    { name: "GET /documents/{id}/text", method: "GET", url: (id) => `/api/v1/documents/${id}/text`, kind: "doc" },
    { name: "DELETE /documents/{id}", method: "DELETE", url: (id) => `/api/v1/documents/${id}`, kind: "doc" },
    { name: "POST /redact {documentId}", method: "POST", url: () => "/api/v1/redact", body: (id) => ({ documentId: id }), kind: "doc" },
    { name: "POST /review {documentId}", method: "POST", url: () => "/api/v1/review", body: (id) => ({ documentId: id }), kind: "doc" },
    { name: "GET /workflows/{id}", method: "GET", url: (id) => `/api/v1/workflows/${id}`, kind: "run" },
    { name: "DELETE /workflows/{id}", method: "DELETE", url: (id) => `/api/v1/workflows/${id}`, kind: "run" },
    { name: "GET /workflows/{id}/events", method: "GET", url: (id) => `/api/v1/workflows/${id}/events`, kind: "run" },
  ];

  it.each(routes.map((r) => [r.name, r] as const))("%s: another matter's id answers as an unknown id does (404, no matter name), audited", async (_name, r) => {
    const [real, unknown] = r.kind === "doc" ? [docId, unknownDoc] : [runId, unknownRun];
    const before = auditRecords(t.dir).filter((a) => a.action === "permission.denied" && a.actor === "bob").length;
    const theirs = await inject(r.method, r.url(real), "bob", r.body?.(real));
    const missing = await inject(r.method, r.url(unknown), "bob", r.body?.(unknown));
    expect(theirs.statusCode).toBe(404);
    expect(theirs.body).not.toContain("acme");
    expect(theirs.body.replaceAll(real, "<id>")).toBe(missing.body.replaceAll(unknown, "<id>"));
    expect(theirs.statusCode).toBe(missing.statusCode);
    const after = auditRecords(t.dir).filter((a) => a.action === "permission.denied" && a.actor === "bob").length;
    expect(after).toBeGreaterThan(before);
  });

  it("the id of a guessed file cannot be computed: it is not SHA-256(matter \\0 path) and that id answers 404 as any unknown id", async () => {
    // Before: ids were sha256(matter \0 path)[:24], so guessing "acme/acme-merger-nda.txt" gave the real id.
    const guesses = ["acme-merger-nda.txt", "acme/acme-merger-nda.txt", path.join(t.dir, "uploads", "acme", "acme-merger-nda.txt")].map((file) =>
      createHash("sha256").update(`acme\0${file}`).digest("hex").slice(0, 24),
    );
    for (const guess of guesses) {
      expect(guess).not.toBe(docId);
      for (const who of ["alice", "bob"] as const) {
        const res = await inject("GET", `/api/v1/documents/${guess}`, who);
        expect(res.statusCode).toBe(404);
        expect(res.body).not.toContain("acme");
      }
    }
  });

  it("the owner still reaches both", async () => {
    expect((await inject("GET", `/api/v1/documents/${docId}`, "alice")).statusCode).toBe(200);
    expect((await inject("GET", `/api/v1/workflows/${runId}`, "alice")).statusCode).toBe(200);
  });
});
