import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { LEASE, multipart, NDA, startTestServer, type TestServer } from "./support/test-server";

/** A contract of about `chars` characters with personal data all through it (names, e-mails, phones, an IBAN). */
function largeContract(chars: number): string {
  const parts: string[] = [];
  for (let i = 0; parts.join("\n").length < chars; i++) {
    parts.push(
      NDA,
      LEASE,
      `Notices to Jane Holloway-${i}, 221 Baker Street, London, jane.holloway${i}@example.com, +44 20 7946 0${String(i % 1000).padStart(3, "0")}.`,
      `Payments to IBAN GB82 WEST 1234 5698 7654 32, attention Mr. Robert Chen, Chief Financial Officer of Globex Industries.`,
    );
  }
  return parts.join("\n").slice(0, chars);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Times /health over real HTTP, one request after another, until `until` settles. */
async function healthLatencies(url: string, until: Promise<unknown> | number): Promise<number[]> {
  const samples: number[] = [];
  let done = false;
  if (typeof until !== "number") void until.finally(() => (done = true));
  // Client and server share this process: a blocked event loop also delays the client's timer, so each sample runs
  // from when the request was due (10 ms after the last answer), not from when the timer managed to fire.
  let due = performance.now();
  while (typeof until === "number" ? samples.length < until : !done) {
    const res = await fetch(`${url}/api/v1/health`);
    await res.arrayBuffer();
    expect(res.status).toBe(200);
    const answered = performance.now();
    samples.push(answered - due);
    due = answered + 10;
    await new Promise((r) => setTimeout(r, 10));
  }
  return samples.sort((a, b) => a - b);
}

describe("/health answers while large redactions and reviews run (CPU-heavy work off the event loop)", () => {
  let t: TestServer;
  const text = largeContract(64_000);

  beforeAll(async () => {
    t = await startTestServer({ jsonBodyLimitBytes: 2 * 1024 * 1024 });
  });
  afterAll(async () => t.close());

  const post = (path: string, body: object): Promise<Response> =>
    fetch(`${t.url}${path}`, { method: "POST", headers: { ...t.auth("alice"), "content-type": "application/json" }, body: JSON.stringify(body) });

  it("redaction and review run in worker threads", () => {
    // Without the built worker (dist/offload-worker.js, `npm run build`) they would run on the event loop.
    expect(t.server.services.workspace.offload.isolated).toBe(true);
  });

  it("two 64 KB redactions and a 64 KB review at once leave /health under 100 ms (p99)", async () => {
    await healthLatencies(t.url, 5); // warm-up (first connection, JIT)
    const idle = await healthLatencies(t.url, 30);
    const heavy = Promise.all([
      post("/api/v1/redact", { text }),
      post("/api/v1/redact", { text, policy: "pseudonymize" }),
      post("/api/v1/review", { text }),
    ]);
    const busy = await healthLatencies(t.url, heavy);
    const responses = await heavy;
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    const redacted = bodies[0] as { text: string; entities: number };
    expect(redacted.entities).toBeGreaterThan(100);
    expect(redacted.text).not.toContain("jane.holloway7@example.com");
    expect(redacted.text).toContain("<EMAIL_");
    expect((bodies[1] as { text: string }).text).toMatch(/<EMAIL:[0-9a-f]{16}>/);
    const review = bodies[2] as { summary: { clauseCount: number } };
    expect(review.summary.clauseCount).toBeGreaterThan(0);
    const figures = { idleP50: percentile(idle, 50), idleP99: percentile(idle, 99), busyP50: percentile(busy, 50), busyP99: percentile(busy, 99), busyMax: busy.at(-1), samples: busy.length };
    process.stderr.write(`/health latency ms: ${JSON.stringify(figures, (_k, v: unknown) => (typeof v === "number" ? Math.round(v * 10) / 10 : v))}\n`);
    // Seconds of work ran while /health kept answering: before, each redaction blocked the loop for seconds.
    expect(busy.length).toBeGreaterThanOrEqual(10);
    // 100 ms on top of what the same machine needs when idle (a loaded CI host is slow for everything).
    expect(percentile(busy, 99)).toBeLessThanOrEqual(100 + percentile(idle, 99));
  }, 120_000);

  it("a client that goes away stops its review: the worker is terminated and the next request is served", async () => {
    const offload = t.server.services.workspace.offload;
    const before = offload.stats()!;
    // A text no earlier test reviewed: reports are cached, and a cached one never reaches a worker.
    const body = JSON.stringify({ text: `${text}\nSchedule A. Cancelled review ${Date.now()}.` });
    const { port } = new URL(t.url);
    const request = http.request({ host: "127.0.0.1", port, path: "/api/v1/review", method: "POST", headers: { ...t.auth("alice"), "content-type": "application/json", "content-length": Buffer.byteLength(body) } });
    const hungUp = new Promise((resolve) => request.on("error", resolve));
    request.end(body);
    // Wait until the review is running in a worker, then hang up.
    for (let i = 0; i < 500 && offload.stats()!.busy === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(offload.stats()!.busy).toBe(1);
    request.destroy();
    await hungUp;
    for (let i = 0; i < 500 && offload.stats()!.busy > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(offload.stats()).toMatchObject({ busy: 0, cancelled: before.cancelled + 1 });
    const small = await post("/api/v1/review", { text: NDA });
    await small.arrayBuffer();
    expect(small.status).toBe(200);
  }, 60_000);
});

describe("/health answers while an uploaded document is scrubbed at ingest (security.scrubOnIngest)", () => {
  let t: TestServer;
  // about 1.5 s of scanning on an idle core: seconds when the machine is loaded
  const text = largeContract(400_000);

  beforeAll(async () => {
    t = await startTestServer({
      rateLimit: { capacity: 10_000, refillPerSecond: 1_000 },
      patch: (c) => ({ ...c, rag: { ...c.rag, maxFileSizeMb: 2 }, security: { ...c.security, scrubOnIngest: true } }),
    });
  });
  afterAll(async () => t.close());

  it("the upload's PII scan runs on the workspace's worker pool; /health p99 stays within 100 ms of idle; the index holds the scrubbed text", async () => {
    await healthLatencies(t.url, 5);
    const idle = await healthLatencies(t.url, 30);
    const scansBefore = t.server.services.workspace.offload.stats()!.completed;
    const { payload, headers } = multipart("large-contract.txt", text);
    const uploading = fetch(`${t.url}/api/v1/documents?matter=acme`, { method: "POST", headers: { ...t.auth("alice"), ...headers }, body: payload });
    const busy = await healthLatencies(t.url, uploading);
    const response = await uploading;
    const body = (await response.json()) as { document: { id: string } };
    expect(response.status).toBe(201);
    // 400,000 characters: its recognizers in lanes on the pool's threads, then the document-wide reading (or one scan and the policy on one thread)
    expect(t.server.services.workspace.offload.stats()!.completed - scansBefore).toBeGreaterThanOrEqual(2);
    const indexed = (await (await fetch(`${t.url}/api/v1/documents/${body.document.id}/text`, { headers: t.auth("alice") })).json()) as { text: string };
    expect(indexed.text).not.toContain("jane.holloway7@example.com");
    expect(indexed.text).toContain("<EMAIL_");
    const figures = { idleP99: percentile(idle, 99), busyP50: percentile(busy, 50), busyP99: percentile(busy, 99), busyMax: busy.at(-1), samples: busy.length };
    process.stderr.write(`/health latency during a scrubbed 400 KB upload, ms: ${JSON.stringify(figures, (_k, v: unknown) => (typeof v === "number" ? Math.round(v * 10) / 10 : v))}\n`);
    expect(busy.length).toBeGreaterThanOrEqual(5);
    expect(percentile(busy, 99)).toBeLessThanOrEqual(100 + percentile(idle, 99));
  }, 180_000);
});
