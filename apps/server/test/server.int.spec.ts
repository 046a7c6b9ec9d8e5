import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { isOfflineEnforced } from "@bear/core";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { NDA, auditRecords, multipart, startTestServer, type TestServer } from "./support/test-server";

type Json = Record<string, unknown>;

/** Every `$ref` in the document, with where it was found. */
function refsOf(value: unknown, at = "#", out: [string, string][] = []): [string, string][] {
  if (Array.isArray(value)) value.forEach((v, i) => refsOf(v, `${at}/${i}`, out));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push([at, v]);
      else refsOf(v, `${at}/${k}`, out);
    }
  }
  return out;
}

function resolvePointer(doc: Json, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  return ref
    .slice(2)
    .split("/")
    .reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Json)[key.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined), doc);
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** The structural rules of OpenAPI 3.0 that a generated document can break. */
function openApiProblems(doc: Json): string[] {
  const problems: string[] = [];
  if (typeof doc["openapi"] !== "string" || !/^3\.0\.\d+$/.test(doc["openapi"] as string)) problems.push(`openapi is ${String(doc["openapi"])}, not 3.0.x`);
  const info = doc["info"] as Json | undefined;
  if (!info || typeof info["title"] !== "string" || typeof info["version"] !== "string") problems.push("info.title and info.version are required strings");
  const paths = doc["paths"] as Record<string, Json> | undefined;
  if (!paths || typeof paths !== "object") return [...problems, "paths is missing"];
  for (const [p, item] of Object.entries(paths)) {
    if (!p.startsWith("/")) problems.push(`path '${p}' does not start with '/'`);
    if (p.includes(":")) problems.push(`path '${p}' uses ':param' instead of '{param}'`);
    const templated = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) {
        if (!["parameters", "summary", "description", "servers"].includes(method)) problems.push(`${p}: unknown key '${method}'`);
        continue;
      }
      const operation = op as Json;
      const responses = operation["responses"] as Json | undefined;
      if (!responses || Object.keys(responses).length === 0) problems.push(`${method.toUpperCase()} ${p}: no responses`);
      else {
        for (const [code, r] of Object.entries(responses)) {
          if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(code)) problems.push(`${method.toUpperCase()} ${p}: bad status '${code}'`);
          if (typeof (r as Json)["description"] !== "string" && !(r as Json)["$ref"]) problems.push(`${method.toUpperCase()} ${p} ${code}: response without description`);
        }
        if (!Object.keys(responses).some((c) => c.startsWith("2"))) problems.push(`${method.toUpperCase()} ${p}: no 2xx response`);
      }
      const params = (operation["parameters"] as Json[] | undefined) ?? [];
      for (const prm of params) {
        if (!["query", "header", "path", "cookie"].includes(prm["in"] as string)) problems.push(`${method.toUpperCase()} ${p}: parameter '${String(prm["name"])}' has in=${String(prm["in"])}`);
        if (prm["in"] === "path" && prm["required"] !== true) problems.push(`${method.toUpperCase()} ${p}: path parameter '${String(prm["name"])}' must be required`);
      }
      for (const name of templated) {
        if (!params.some((prm) => prm["in"] === "path" && prm["name"] === name)) problems.push(`${method.toUpperCase()} ${p}: path parameter '${name}' is not declared`);
      }
      if (operation["requestBody"] && !(operation["requestBody"] as Json)["content"]) problems.push(`${method.toUpperCase()} ${p}: requestBody without content`);
    }
  }
  for (const [at, ref] of refsOf(doc)) if (resolvePointer(doc, ref) === undefined) problems.push(`${at}: $ref '${ref}' does not resolve`);
  return problems;
}

describe("server: loopback, offline, OpenAPI, limits, shutdown", () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ rateLimit: { capacity: 3, refillPerSecond: 0.5 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it("listens on loopback only, with the offline guard on", async () => {
    expect(new URL(t.url).hostname).toBe("127.0.0.1");
    expect(isOfflineEnforced()).toBe(true);
    const res = await fetch(`${t.url}/api/v1/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", offline: true });
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("refuses requests addressed to a non-loopback host name (DNS rebinding)", async () => {
    const res = await t.server.app.inject({ method: "GET", url: "/api/v1/health", headers: { host: "evil.example:4141" } });
    expect(res.statusCode).toBe(421);
    expect(res.json().error.code).toBe("HOST_NOT_ALLOWED");
    for (const host of ["127.0.0.1:4141", "localhost", "[::1]:80"]) {
      expect((await t.server.app.inject({ method: "GET", url: "/api/v1/health", headers: { host } })).statusCode).toBe(200);
    }
  });

  it("returns 404 as JSON for unknown routes", async () => {
    const res = await fetch(`${t.url}/api/v1/nope`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
  });

  it("serves an OpenAPI 3 document generated from the route schemas, and it validates", async () => {
    const res = await fetch(`${t.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Json;
    expect(openApiProblems(doc)).toEqual([]);
    // And against the official OpenAPI 3.0 schema (swagger-parser bundles it; all $refs are internal).
    const { default: SwaggerParser } = await import("@apidevtools/swagger-parser");
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toMatchObject({ openapi: expect.stringMatching(/^3\.0\./) });
    const paths = Object.keys(doc["paths"] as Json);
    for (const p of [
      "/api/v1/health",
      "/api/v1/metrics",
      "/api/v1/documents",
      "/api/v1/documents/{id}",
      "/api/v1/documents/{id}/text",
      "/api/v1/search",
      "/api/v1/ask",
      "/api/v1/redact",
      "/api/v1/review",
      "/api/v1/me",
      "/api/v1/audit/verify",
      "/api/v1/audit/export",
      "/api/v1/models",
      "/api/v1/models/{id}/generate",
      "/api/v1/workflows",
      "/api/v1/workflows/{id}",
      "/api/v1/workflows/{id}/events",
      "/api/v1/agents",
      "/api/v1/agents/{id}",
    ]) {
      expect(paths).toContain(p);
    }
    const generate = resolvePointer(doc, "#/paths/~1api~1v1~1models~1{id}~1generate/post/requestBody/content/application~1json/schema") as Json;
    const schema = generate;
    expect(Object.keys(schema["properties"] as Json)).toEqual(expect.arrayContaining(["prompt", "max_tokens", "temperature", "stop_sequences"]));
    expect(((doc["components"] as Json)["securitySchemes"] as Json)["bearerAuth"]).toBeDefined();
  });

  it("serves the web UI from local files: no CDN, no external fonts, no inline script", async () => {
    const res = await fetch(`${t.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    const html = await res.text();
    expect(html).toContain("<title>BEAR AI Legal</title>");
    for (const asset of ["/app.js", "/app.css"]) {
      const a = await fetch(`${t.url}${asset}`);
      expect(a.status).toBe(200);
      expect(await a.text()).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    }
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script(?![^>]*src=)[^>]*>/);
  });

  it("serves interactive docs from local files (no CDN)", async () => {
    const res = await fetch(`${t.url}/api/v1/docs/`, { redirect: "follow" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("swagger");
    expect(html).not.toMatch(/(src|href)="https?:\/\//);
  });

  it("rate limits each principal: 429 with Retry-After, and the refusal is audited", async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${t.url}/api/v1/models`, { headers: t.auth("victor") });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(auditRecords(t.dir).filter((r) => r.action === "rate.limited" && r.actor === "victor").length).toBe(1);
    // Another principal has its own bucket.
    expect((await fetch(`${t.url}/api/v1/models`, { headers: t.auth("alice") })).status).toBe(200);
  });

  it("rate limits failed logins per principal id before any hashing", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${t.url}/api/v1/models`, { headers: { authorization: `Bearer bear_mallory_${"x".repeat(32)}` } });
      statuses.push(res.status);
    }
    expect(statuses).toContain(401);
    expect(statuses.at(-1)).toBe(429);
    expect(auditRecords(t.dir).some((r) => r.action === "login" && (r.details as { reason?: string } | undefined)?.reason === "login-rate-limited")).toBe(true);
  });
});

describe("login budgets on a loopback server, where every client has the same address", () => {
  let t: TestServer;
  beforeAll(async () => {
    // A small budget that barely refills during the test: a flood empties any bucket it can reach.
    t = await startTestServer({ rateLimit: { capacity: 5, refillPerSecond: 0.05 } });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const me = (headers: Record<string, string>) => fetch(`${t.url}/api/v1/me`, { headers });

  it("a request sent by a page of another origin is refused with 403 before authentication and spends no budget; same-origin requests, and clients with no Origin, pass", async () => {
    const crossSite: Record<string, string>[] = [
      { origin: "http://attacker.example" },
      { origin: "null" },
      { origin: t.url.replace("127.0.0.1", "localhost") },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { origin: t.url, "sec-fetch-site": "cross-site" },
    ];
    for (const headers of crossSite) {
      for (let i = 0; i < 3; i++) {
        // With no key, with a malformed one and with a correct one: all refused the same way.
        for (const auth of [{}, { authorization: "Bearer nope" }, t.auth("victor")]) {
          const res = await me({ ...headers, ...auth });
          expect(res.status).toBe(403);
          expect(((await res.json()) as { error: { code: string } }).error.code).toBe("ORIGIN_NOT_ALLOWED");
        }
      }
    }
    // 54 refusals above, and the anonymous budget and victor's login budget (5 tokens each) are untouched.
    expect((await me({})).status).toBe(401);
    expect((await fetch(`${t.url}/api/v1/models`, { headers: { ...t.auth("victor"), origin: t.url, "sec-fetch-site": "same-origin" } })).status).toBe(200);
    const post = await fetch(`${t.url}/api/v1/search`, {
      method: "POST",
      headers: { ...t.auth("victor"), origin: t.url, "sec-fetch-site": "same-origin", "content-type": "application/json" },
      body: JSON.stringify({ query: "confidential", matters: ["acme"] }),
    });
    expect(post.status).toBe(200);
    // A URL typed into the address bar (Sec-Fetch-Site: none) and a script (no Origin) pass.
    expect((await me({ ...t.auth("victor"), "sec-fetch-site": "none" })).status).toBe(200);
    // Public routes (the UI's files, health) are not refused: a link from another site may open the UI.
    expect((await fetch(`${t.url}/api/v1/health`, { headers: { origin: "http://attacker.example", "sec-fetch-site": "cross-site" } })).status).toBe(200);
  });

  it("a correct key not yet verified answers 200 while anonymous, malformed and wrong-key requests flood the server", async () => {
    const flood = { none: [] as number[], malformed: [] as number[], wrongKey: [] as number[] };
    for (let i = 0; i < 8; i++) {
      flood.none.push((await me({})).status);
      flood.malformed.push((await me({ authorization: "Bearer not-a-bear-key" })).status);
      flood.wrongKey.push((await me({ authorization: `Bearer bear_mallory_${"x".repeat(32)}` })).status);
    }
    // Each flood spent its own budget and is refused...
    expect(flood.none.at(-1)).toBe(429);
    expect(flood.malformed.at(-1)).toBe(429);
    expect(flood.wrongKey.at(-1)).toBe(429);
    expect(flood.wrongKey).toContain(401);
    // Keys naming a new made-up id each time share that one budget: scrypt work for ids that do not exist is bounded.
    const madeUp: number[] = [];
    for (let i = 0; i < 8; i++) madeUp.push((await me({ authorization: `Bearer bear_nobody${i}_${"z".repeat(32)}` })).status);
    expect(madeUp.at(-1)).toBe(429);
    // ...and the keys nobody has used yet on this server still sign in (they were 429 while the budget was one per address).
    expect((await me(t.auth("admin"))).status).toBe(200);
    expect((await me(t.auth("alice"))).status).toBe(200);
    // Wrong keys for a real principal spend that principal's login budget only (the price of bounding hashing per id): others still sign in.
    for (let i = 0; i < 8; i++) await me({ authorization: `Bearer bear_bob_${"y".repeat(32)}` });
    expect((await me({ authorization: `Bearer bear_bob_${"y".repeat(32)}` })).status).toBe(429);
    expect((await me(t.auth("paula"))).status).toBe(200);
    expect(auditRecords(t.dir).some((r) => r.action === "login" && (r.details as { reason?: string } | undefined)?.reason === "login-rate-limited")).toBe(true);
  });
});

describe("graceful shutdown", () => {
  it("drains in-flight requests, ends open event streams, refuses new connections and leaves workflows resumable", async () => {
    const t = await startTestServer();
    // A run that stays running: its one step fails and waits a minute before its retry.
    const wf = {
      name: "waits",
      steps: [{ id: "wait", type: "file_operations", parameters: { operation: "read", path: "missing.txt" }, retry: { attempts: 5, backoff: "60s" } }],
    };
    const post = (server: TestServer, body: unknown) =>
      fetch(`${server.url}/api/v1/workflows`, { method: "POST", headers: { ...server.auth("admin"), "content-type": "application/json" }, body: JSON.stringify(body) });
    const { runId } = (await (await post(t, { workflow: wf })).json()) as { runId: string };
    const stream = await fetch(`${t.url}/api/v1/workflows/${runId}/events`, { headers: t.auth("admin") });
    expect(stream.status).toBe(200);
    const inFlight = fetch(`${t.url}/api/v1/audit/verify`, { headers: t.auth("admin") });
    await new Promise((r) => setTimeout(r, 50));
    const closing = t.close({ keepDir: true });
    expect((await inFlight).status).toBe(200);
    const events = await stream.text(); // the stream ends instead of holding shutdown open
    expect(events).toContain("run.started");
    await closing;
    await expect(fetch(`${t.url}/api/v1/health`)).rejects.toThrow();

    // The run was not marked cancelled: a new server on the same workspace resumes it.
    const again = await startTestServer({ dir: t.dir });
    try {
      const run = (await (await fetch(`${again.url}/api/v1/workflows/${runId}`, { headers: again.auth("admin") })).json()) as { status: string };
      expect(run.status).toBe("running");
      const cancel = await fetch(`${again.url}/api/v1/workflows/${runId}`, { method: "DELETE", headers: again.auth("admin") });
      expect(await cancel.json()).toEqual({ runId, cancelled: true });
    } finally {
      await again.close({ keepDir: false });
    }
  });
});

describe("another process writing to the index", () => {
  it("an upload waits for it, then answers 503 with Retry-After; searches do not wait; a dead writer's lock is taken over", async () => {
    const t = await startTestServer({ indexLockWaitMs: 200 });
    // a revised file of the same name is a replace: replace=true, by a principal who may delete documents (admin)
    const upload = (content: string, replace = false) => {
      const { payload, headers } = multipart("mutual-nda.txt", content);
      return fetch(`${t.url}/api/v1/documents?matter=acme${replace ? "&replace=true" : ""}`, { method: "POST", headers: { ...t.auth(replace ? "admin" : "alice"), ...headers }, body: payload });
    };
    const stored = path.join(t.dir, "uploads", "acme", "mutual-nda.txt");
    expect((await upload(NDA)).status).toBe(201);
    const revised = NDA.replace("MUTUAL NON-DISCLOSURE AGREEMENT", "MUTUAL NON-DISCLOSURE AGREEMENT (AMENDED)");
    // A live process that is not this one holds the index's writer lock (as a `bear ingest` would).
    const writer = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    try {
      fs.writeFileSync(path.join(t.dir, "indexes", "default", "writer.lock"), String(writer.pid));
      const busy = await upload(revised, true);
      expect(busy.status).toBe(503);
      expect(busy.headers.get("retry-after")).toBe("10");
      const body = await busy.text();
      expect((JSON.parse(body) as { error: { code: string; message: string } }).error).toMatchObject({ code: "RAG_INDEX_BUSY", message: expect.stringContaining("being written by another process") });
      // The server's folders and the writer's pid stay on the server.
      expect(body).not.toContain(t.dir);
      expect(body).not.toContain(fs.realpathSync(t.dir));
      expect(body).not.toContain(String(writer.pid));
      expect(fs.readFileSync(stored, "utf8")).toBe(NDA); // the file the index knows is put back
      const search = await fetch(`${t.url}/api/v1/search`, { method: "POST", headers: { ...t.auth("alice"), "content-type": "application/json" }, body: JSON.stringify({ query: "confidential information", matters: ["acme"] }) });
      expect(search.status).toBe(200);
      writer.kill("SIGKILL");
      await new Promise((resolve) => writer.once("exit", resolve));
      const retried = await upload(revised, true);
      expect(retried.status).toBe(201);
      expect(((await retried.json()) as { status: string }).status).toBe("updated");
      expect(fs.readFileSync(stored, "utf8")).toBe(revised);
    } finally {
      writer.kill("SIGKILL");
      await t.close();
    }
  });
});

describe("principals persist in the workspace", () => {
  it("a restarted server accepts the keys issued before, issues none unless asked to rotate, and then refuses the old key", async () => {
    const { createServer } = await import("../src/server");
    const { testConfig } = await import("./support/test-server");
    const first = await startTestServer();
    const oldKey = first.keys.admin;
    await first.close({ keepDir: true });
    const me = (server: Awaited<ReturnType<typeof createServer>>, key: string) =>
      server.app.inject({ method: "GET", url: "/api/v1/me", headers: { authorization: `Bearer ${key}`, host: "127.0.0.1" } });

    const kept = await createServer({ config: testConfig(first.dir), principals: [{ id: "admin", roles: ["admin"] }] });
    try {
      expect(kept.apiKeys).toEqual({});
      expect((await me(kept, oldKey)).statusCode).toBe(200);
    } finally {
      await kept.close();
    }
    const rotated = await createServer({ config: testConfig(first.dir), principals: [{ id: "admin", roles: ["admin"], rotate: true }] });
    try {
      expect(rotated.apiKeys.admin).toMatch(/^bear_admin_/);
      expect((await me(rotated, oldKey)).statusCode).toBe(401);
      expect((await me(rotated, rotated.apiKeys.admin!)).statusCode).toBe(200);
    } finally {
      await rotated.close();
      const fs = await import("node:fs");
      fs.rmSync(first.dir, { recursive: true, force: true });
    }
  });
});
