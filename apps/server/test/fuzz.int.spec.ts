import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { multipart, NDA, startTestServer, type TestServer } from "./support/test-server";

/**
 * Property: no JSON body, however malformed, makes any route answer 5xx. Bodies mix the routes'
 * real field names with arbitrary JSON values (wrong types, huge numbers, nested junk, unicode,
 * prototype keys), plus entirely arbitrary JSON.
 */
describe("fuzz: JSON bodies never produce a 500", () => {
  let t: TestServer;
  let docId: string;

  beforeAll(async () => {
    t = await startTestServer({ rateLimit: { capacity: 100_000, refillPerSecond: 10_000 } });
    const { payload, headers } = multipart("nda.txt", NDA);
    const up = await t.server.app.inject({ method: "POST", url: "/api/v1/documents?matter=acme", headers: { ...t.auth("admin"), ...headers }, payload });
    docId = up.json().document.id;
  });
  afterAll(async () => {
    await t.close();
  });

  const fields = {
    "/api/v1/search": ["query", "k", "mode", "matters", "documentIds", "documentTypes"],
    "/api/v1/ask": ["question", "k", "mode", "matters", "documentIds", "documentTypes", "stream", "maxSentences", "maxAnswerTokens"],
    "/api/v1/redact": ["text", "documentId", "policy", "format"],
    "/api/v1/review": ["text", "documentId", "playbook", "format"],
    "/api/v1/models": ["action", "id", "contextSize", "source", "sha256", "fileName"],
    "/api/v1/models/stories260K/generate": ["prompt", "max_tokens", "temperature", "stop_sequences", "seed", "stream"],
    "/api/v1/workflows": ["workflow", "inputs"],
    "/api/v1/agents": ["type", "id", "name", "maxConcurrentTasks", "capability", "specialist"],
  } as const;

  const interesting = fc.oneof(
    fc.jsonValue(),
    fc.string(),
    fc.constantFrom("lexical", "hybrid", "vector", "load", "unload", "download", "default", "redact", "text", "acme", "globex", "stories260K", "../../etc/passwd", "hf:x/y/z.gguf", "http://127.0.0.1:1/m.gguf"),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.oneof(fc.string(), fc.integer(), fc.constantFrom("acme", "globex", "pdf", "text"))),
    fc.record({ name: fc.string(), steps: fc.array(fc.record({ id: fc.string(), type: fc.constantFrom("data_processing", "file_operations", "nope"), parameters: fc.jsonValue() })) }),
  );

  /** A valid body per route: the fuzzer overrides one or two of its fields, so deep paths are reached too. */
  const valid: Record<string, () => Record<string, unknown>> = {
    "/api/v1/search": () => ({ query: "termination notice" }),
    "/api/v1/ask": () => ({ question: "How much notice is needed to terminate?" }),
    "/api/v1/redact": () => ({ text: "Call Jane Doe at 415-555-0134." }),
    "/api/v1/review": () => ({ text: NDA }),
    "/api/v1/models": () => ({ action: "unload", id: "stories260K" }),
    "/api/v1/models/stories260K/generate": () => ({ prompt: "Once upon a time", max_tokens: 2 }),
    "/api/v1/agents": () => ({ type: "executor", capability: "data_processing", id: `x${Math.random().toString(36).slice(2, 8)}` }),
    "/api/v1/workflows": () => ({ workflow: { name: "w", steps: [{ id: "a", type: "data_processing", parameters: { operation: "count", input: [1] } }] } }),
  };
  const statuses = new Map<number, number>();
  afterAll(() => {
    // Most bodies are refused (400/403/404/409/413/422); some must get through to the packages.
    process.stdout.write(`fuzz statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`);
    expect(statuses.get(200) ?? statuses.get(201) ?? 0).toBeGreaterThan(0);
  });

  for (const [route, names] of Object.entries(fields)) {
    it(`${route}`, async () => {
      const fuzzedFields = fc.dictionary(fc.constantFrom(...names, "__proto__", "constructor", "extra"), interesting, { maxKeys: 6 });
      const body = fc.oneof(
        { weight: 3, arbitrary: fuzzedFields },
        { weight: 3, arbitrary: fc.dictionary(fc.constantFrom(...names), interesting, { minKeys: 1, maxKeys: 2 }).map((f) => ({ ...(valid[route]?.() ?? {}), ...f })) },
        { weight: 1, arbitrary: fc.jsonValue() },
      );
      await fc.assert(
        fc.asyncProperty(body, fc.constantFrom<"admin" | "alice" | "victor">("admin", "alice", "victor"), async (payload, who) => {
          // Keep generation cheap: the property is about input handling, not about long completions.
          if (route.endsWith("/generate") && payload && typeof payload === "object" && !Array.isArray(payload)) (payload as Record<string, unknown>)["max_tokens"] = 2;
          const res = await t.server.app.inject({
            method: "POST",
            url: route,
            headers: { ...t.auth(who), "content-type": "application/json" },
            payload: JSON.stringify(payload),
          });
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode >= 500) throw new Error(`${route} answered ${res.statusCode} to ${JSON.stringify(payload).slice(0, 300)}: ${res.body.slice(0, 300)}`);
          expect(res.statusCode).toBeLessThan(500);
        }),
        { numRuns: 80 },
      );
    });
  }

  it("/api/v1/redact with a real document id and fuzzed options", async () => {
    await fc.assert(
      fc.asyncProperty(fc.record({ documentId: fc.constant(docId), policy: interesting, format: interesting }, { requiredKeys: ["documentId"] }), async (payload) => {
        const res = await t.server.app.inject({ method: "POST", url: "/api/v1/redact", headers: { ...t.auth("alice"), "content-type": "application/json" }, payload: JSON.stringify(payload) });
        expect(res.statusCode).toBeLessThan(500);
      }),
      { numRuns: 20 },
    );
  });
});
