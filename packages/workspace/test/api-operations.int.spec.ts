import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { BearError, PathOutsideWorkspaceError, silentLogger, type BearConfig } from "@bear/core";
import { EmbedderMismatchError, StoreError } from "@bear/rag";
import { quietConfig, tempDirs, withWorkspace } from "./support/workspace-fixture";
import { safeFileName } from "../src/api/document-operations";
import { apiCaller, openServerServices, openWorkspace, toHttpError, workspaceApi, type ApiEvent, type ApiOperation, type ApiResult, type BearServices, type Principal } from "../src/index";

const tempDir = tempDirs("bear-api-");
const config = (): BearConfig => quietConfig(path.join(tempDir(), "ws"));

const host = { version: "test", allowModelDownloads: false, requestMetrics: () => ({}), openEventStreams: () => 0, forgetVerifiedKeys: () => undefined };

/** The API of a freshly opened workspace, with principals alice (attorney on acme), vera (viewer on acme) and bob (attorney on other). */
async function withApi(fn: (api: (method: string, url: string) => ApiOperation, services: BearServices, who: Record<string, Principal>) => Promise<void>): Promise<void> {
  await withWorkspace(openWorkspace({ config: config(), create: true }), async (workspace) => {
    const services = await openServerServices(workspace);
    const operations = workspaceApi({ services, host });
    const api = (method: string, url: string): ApiOperation => {
      const op = operations.find((o) => o.method === method && o.url === url);
      if (!op) throw new Error(`no operation ${method} ${url}`);
      return op;
    };
    const who: Record<string, Principal> = {};
    for (const [id, role, matter] of [["alice", "attorney", "acme"], ["vera", "viewer", "acme"], ["bob", "attorney", "other"], ["root", "admin", "acme"]] as const) {
      who[id] = (await services.access.addApiKey(id, [role], [matter])).principal;
    }
    await fn(api, services, who);
  });
}

function call(services: BearServices, op: ApiOperation, principal: Principal | undefined, parts: { params?: unknown; query?: unknown; body?: unknown } = {}): Promise<ApiResult> {
  return op.handle({ params: parts.params ?? {}, query: parts.query ?? {}, body: parts.body ?? {}, caller: apiCaller(services.access, principal), signal: new AbortController().signal });
}

const statusOf = async (promise: Promise<unknown>): Promise<number> =>
  promise.then(
    () => 200,
    (error: unknown) => toHttpError(error).status,
  );

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are probed field by field
const json = (result: ApiResult): { status: number; body: any } => {
  if (result.kind !== "json") throw new Error(`expected JSON, got ${result.kind}`);
  return result;
};

describe("the workspace's REST operations (framework-free)", () => {
  it("every operation is one method and path with a response schema; only health needs no key", async () => {
    await withApi(async (api, services) => {
      const operations = workspaceApi({ services, host });
      const keys = operations.map((o) => `${o.method} ${o.url}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(operations.length).toBeGreaterThanOrEqual(35);
      for (const op of operations) expect(Object.keys(op.schema.response)).toContain(op.method === "DELETE" && /documents|conversations/.test(op.url) ? "204" : /POST \/api\/v1\/(documents|conversations|agents|users)$/.test(`${op.method} ${op.url}`) ? "201" : "200");
      expect(operations.filter((o) => o.public).map((o) => o.url)).toEqual(["/api/v1/health"]);
      // a request without a principal is a 401 before anything runs
      expect(await statusOf(call(services, api("GET", "/api/v1/documents"), undefined, { query: { limit: 10, offset: 0 } }))).toBe(401);
    });
  }, 120_000);

  it("a document is 404 to a caller outside its matter (as an unknown id) and 403 to one inside it without the role", async () => {
    await withApi(async (api, services, who) => {
      const upload = await services.workspace.upload({ matter: "acme", fileName: "lease.txt", body: Readable.from(["LEASE. The Tenant shall pay rent monthly.\n"]), actor: "alice" });
      const id = upload.document.id;
      const get = api("GET", "/api/v1/documents/:id");
      expect(json(await call(services, get, who["alice"], { params: { id } })).body).toMatchObject({ id, matter: "acme", fileName: "lease.txt" });
      expect(await statusOf(call(services, get, who["bob"], { params: { id } }))).toBe(404);
      expect(await statusOf(call(services, get, who["bob"], { params: { id: "made-up" } }))).toBe(404);
      expect(await statusOf(call(services, api("DELETE", "/api/v1/documents/:id"), who["vera"], { params: { id } }))).toBe(403);
      // the list shows each caller only its matters
      const list = api("GET", "/api/v1/documents");
      expect(json(await call(services, list, who["alice"], { query: { limit: 10, offset: 0 } })).body.total).toBe(1);
      expect(json(await call(services, list, who["bob"], { query: { limit: 10, offset: 0 } })).body.total).toBe(0);
      // search is audited with the caller as actor and limited to what it may see
      const search = api("POST", "/api/v1/search");
      expect(json(await call(services, search, who["alice"], { body: { query: "rent" } })).body.hits[0]).toMatchObject({ documentId: id, fileName: "lease.txt" });
      expect(json(await call(services, search, who["bob"], { body: { query: "rent" } })).body.hits).toEqual([]);
      expect(await statusOf(call(services, search, who["bob"], { body: { query: "rent", matters: ["acme"] } }))).toBe(403);
    });
  }, 120_000);

  it("the seed's workflow body runs to the end and answers 200; its events replay the history and end at run.completed", async () => {
    await withApi(async (api, services, who) => {
      const steps = [{ id: "count", type: "data_processing", parameters: { operation: "count", input: [1, 2, 3] } }];
      const started = json(await call(services, api("POST", "/api/v1/workflows"), who["alice"], { query: {}, body: { name: "counting", description: "d", steps, matter: "acme" } }));
      expect(started.status).toBe(200);
      expect(started.body).toMatchObject({ workflow_id: expect.any(String), status: "completed", name: "counting" });
      const runId = started.body.workflow_id as string;
      // bob is on another matter: the run does not exist for him
      expect(await statusOf(call(services, api("GET", "/api/v1/workflows/:id"), who["bob"], { params: { id: runId } }))).toBe(404);
      const listed = json(await call(services, api("GET", "/api/v1/workflows"), who["bob"], { query: { limit: 50, offset: 0, envelope: true } }));
      expect(listed.body.runs).toEqual([]);
      const result = await call(services, api("GET", "/api/v1/workflows/:id/events"), who["alice"], { params: { id: runId } });
      if (result.kind !== "events") throw new Error("expected events");
      const seen: ApiEvent[] = [];
      for await (const e of result.events(new AbortController().signal)) seen.push(e);
      expect(seen[0]?.event).toBe("run.started");
      expect(seen.at(-1)?.event).toBe("run.completed");
      const seqs = seen.map((e) => (e.data as { seq: number }).seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(seqs.length);
    });
  }, 120_000);

  it("a submitted workflow may not name BEAR's own step types (review, redact, ingest.prepare, llm.*), directly, as a capability or through a pattern: WORKFLOW_INVALID, nothing runs", async () => {
    await withApi(async (api, services) => {
      const paula = (await services.access.addApiKey("paula", ["paralegal"], ["acme"])).principal; // document.ingest: may start runs
      const start = api("POST", "/api/v1/workflows");
      const TEXT = "This Agreement is made between Acme Corp and John Smith (phone 555-123-4567).";
      const auditLines = (): Array<{ action: string; actor?: string; resource?: string }> =>
        fs
          .readFileSync(path.join(services.workspace.folder.paths.audit, "audit.jsonl"), "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l));
      const refused = async (body: Record<string, unknown>, issuePath: string, type: string): Promise<void> => {
        const error = await call(services, start, paula, { query: {}, body: { matter: "acme", ...body } }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toMatchObject({ code: "WORKFLOW_INVALID", details: { issues: [expect.objectContaining({ path: issuePath })] } });
        expect(toHttpError(error).status).toBe(400);
        expect((error as Error).message).toContain(`'${type}'`);
      };
      // the seed's body (the definition itself), and ours with the definition as YAML text
      await refused({ name: "review-it", steps: [{ id: "read", type: "data_processing", parameters: { operation: "count", input: [1] } }, { id: "review", type: "review", parameters: { text: TEXT } }] }, "steps[1].type", "review");
      await refused({ workflow: "name: gen\nsteps:\n  - id: gen\n    type: llm.generate\n    parameters: { model: m, request: { prompt: hi, maxTokens: 1000000 } }\n" }, "steps[0].type", "llm.generate");
      for (const type of ["redact", "ingest.prepare", "llm.tokens"]) await refused({ workflow: { name: "w", steps: [{ id: "s", type, parameters: { text: TEXT } }] } }, "steps[0].type", type);
      // as an agent.task's capability, written out or through a reference, or a pattern's stage
      await refused({ workflow: { name: "w", steps: [{ id: "s", type: "agent.task", parameters: { capability: "redact", input: { text: TEXT } } }] } }, "steps[0].parameters.capability", "redact");
      const byReference = { name: "w", inputs: { c: { type: "string" } }, steps: [{ id: "s", type: "agent.task", parameters: { capability: "{{ inputs.c }}", input: { text: TEXT } } }] };
      const error = await call(services, start, paula, { query: {}, body: { workflow: byReference, inputs: { c: "review" }, matter: "acme" } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: "WORKFLOW_INVALID", details: { issues: [expect.objectContaining({ path: "steps[0].parameters.capability" })] } });
      await refused({ workflow: { name: "w", pattern: "pipeline", stages: [{ id: "p", capability: "review", input: { text: TEXT } }] } }, "steps[0].parameters.capability", "review");
      // through the coordinator: a task_coordination task whose requirements name an internal capability
      const coordinated = (requirements: unknown): Record<string, unknown> => ({ name: "w", inputs: { r: { type: "array" } }, steps: [{ id: "t", type: "agent.task", parameters: { capability: "task_coordination", input: { type: "x", requirements, subtasks: { review: { input: { text: TEXT } }, redact: { input: { text: TEXT } } } } } }] });
      await refused({ workflow: coordinated(["review"]), inputs: { r: [] } }, "steps[0].parameters.input.requirements[0]", "review");
      await refused({ workflow: coordinated(["pii_scrubbing", "llm.generate"]), inputs: { r: [] } }, "steps[0].parameters.input.requirements[1]", "llm.generate");
      // nothing was started or audited as started
      expect(services.workflows.listRuns({ limit: 10 })).toEqual([]);
      expect(auditLines().filter((r) => r.action === "workflow.run.start")).toEqual([]);
      // a requirement by reference resolves at run time: the run starts, the internal capability is refused where it is dispatched, no review runs
      for (const [capability, instead] of [["review", "contract_review"], ["redact", "pii_scrubbing"]] as const) {
        const viaReference = json(await call(services, start, paula, { query: { wait: 60 }, body: { workflow: coordinated("{{ inputs.r }}"), inputs: { r: [capability] }, matter: "acme" } }));
        expect(viaReference.body).toMatchObject({ status: "failed", error: { message: expect.stringContaining(`'${capability}' is one of BEAR's own step types, run only for an API instance's act`) } });
        expect((viaReference.body.error as { message: string }).message).toContain(`'${instead}'`);
      }
      expect(auditLines().filter((r) => r.action === "review" || r.action === "scrub")).toEqual([]);
      // the act's own capability runs, and its act is audited as the caller who started the run
      const ok = json(await call(services, start, paula, { query: { wait: 60 }, body: { workflow: { name: "scrub", steps: [{ id: "s", type: "agent.task", parameters: { capability: "pii_scrubbing", input: { text: TEXT } } }] }, matter: "acme" } }));
      expect(ok.body).toMatchObject({ status: "completed" });
      expect(auditLines().filter((r) => r.action === "scrub")).toEqual([expect.objectContaining({ actor: "paula" })]);
      // ... and so is the act of a coordinator's subtask, in the nested run it starts (before: `workflow:<nested run>`)
      const scrubTask = { type: "x", requirements: ["pii_scrubbing"], subtasks: { pii_scrubbing: { input: { text: TEXT } } } };
      const nested = json(await call(services, start, paula, { query: { wait: 60 }, body: { workflow: { name: "w", steps: [{ id: "t", type: "agent.task", parameters: { capability: "task_coordination", input: scrubTask } }] }, matter: "acme" } }));
      expect(nested.body).toMatchObject({ status: "completed" });
      const inner = (services.workflows.getRun(nested.body.runId as string).steps[0]!.output as { runId: string }).runId;
      expect(services.workflows.getRun(inner)).toMatchObject({ actor: "paula", matter: "acme" });
      expect(auditLines().filter((r) => r.action === "scrub").map((r) => r.actor)).toEqual(["paula", "paula"]);
      expect(auditLines().filter((r) => r.action === "workflow.run.start" && r.resource === inner)).toEqual([expect.objectContaining({ actor: "paula" })]);
    });
  }, 120_000);

  it("a coordinator's subtasks work in their run's matter: bob (matter other) reads nothing of matter default through them; alice's acme run sees acme's documents", async () => {
    await withApi(async (api, services, who) => {
      const SECRET = "SIDE LETTER. The Borrower shall repay the secret bridge loan of nine million dollars.\n";
      const hidden = (await services.workspace.upload({ matter: "default", fileName: "side-letter.txt", body: Readable.from([SECRET]), actor: "root" })).document.id;
      const own = (await services.workspace.upload({ matter: "acme", fileName: "acme-lease.txt", body: Readable.from(["LEASE. The Tenant shall pay rent monthly.\n"]), actor: "alice" })).document.id;
      const start = api("POST", "/api/v1/workflows");
      const run = async (principal: Principal, matter: string, input: Record<string, unknown>) =>
        json(await call(services, start, principal, { query: { wait: 60 }, body: { matter, workflow: { name: "coordinated", steps: [{ id: "t", type: "agent.task", parameters: { capability: "task_coordination", input: { type: "x", ...input } } }] } } })).body;
      const extraction = (document_id: string) => ({ requirements: ["document_listing", "text_extraction"], subtasks: { text_extraction: { input: { document_id } } } });
      // the wall as bob meets it directly: no run in matter default, no extraction of its document from his matter
      expect(await statusOf(call(services, start, who["bob"], { query: {}, body: { matter: "default", workflow: { name: "w", steps: [{ id: "s", type: "agent.task", parameters: { capability: "text_extraction", input: { document_id: hidden } } }] } } }))).toBe(403);
      const direct = json(await call(services, start, who["bob"], { query: { wait: 60 }, body: { matter: "other", workflow: { name: "w", steps: [{ id: "s", type: "agent.task", parameters: { capability: "text_extraction", input: { document_id: hidden } } }] } } })).body;
      expect(direct).toMatchObject({ status: "failed", error: { message: expect.stringContaining("in this run's matter") } });
      // ... and through a coordinator's subtasks (before: they ran in matter default and answered its document's name and text)
      for (const input of [extraction(hidden), { requirements: ["contract_review"], subtasks: { contract_review: { input: { document_id: hidden } } } }]) {
        const body = await run(who["bob"]!, "other", input);
        expect(body).toMatchObject({ status: "failed", error: { message: expect.stringContaining("in this run's matter") } });
        expect(JSON.stringify(body)).not.toMatch(/side.letter|bridge loan/i);
      }
      const searched = await run(who["bob"]!, "other", { requirements: ["retrieval", "document_listing"], subtasks: { retrieval: { input: { query: "secret bridge loan" } } } });
      expect(searched).toMatchObject({ status: "completed" });
      expect(JSON.stringify(searched)).not.toMatch(/side.letter|bridge loan/i);
      // the converse: a coordinated run of matter acme lists and reads acme's own document (before: it looked in matter default)
      const mine = await run(who["alice"]!, "acme", extraction(own));
      expect(mine).toMatchObject({ status: "completed" });
      const results = (mine.results as Record<string, { results: Record<string, unknown> }>)["t"]!.results;
      expect(results).toMatchObject({ document_listing: { source: "index", items: [{ document_id: own, name: "LEASE" }] }, text_extraction: { name: "LEASE", text: expect.stringContaining("The Tenant shall pay rent") } });
      expect(JSON.stringify(mine)).not.toMatch(/side.letter|bridge loan/i);
      // ... and its coordinated search finds acme's document (and nothing of matter default)
      const found = await run(who["alice"]!, "acme", { requirements: ["retrieval"], subtasks: { retrieval: { input: { query: "Tenant shall pay rent" } } } });
      expect(found).toMatchObject({ status: "completed" });
      const hits = ((found.results as Record<string, { results: Record<string, { hits: Array<{ documentId: string }> }> }>)["t"]!.results["retrieval"]!).hits;
      expect(hits.map((h) => h.documentId)).toContain(own);
      expect(hits.every((h) => h.documentId === own)).toBe(true);
    });
  }, 180_000);

  it("BEAR's own step types run only for a job an API instance marked as its act: an 'act-<uuid>' run id and step id 'act' prove nothing", async () => {
    await withApi(async (_api, services) => {
      const registry = services.workspace.workflowRegistry();
      const forged = { runId: "act-00000000-0000-4000-8000-000000000000", stepId: "act", agent: undefined, attempt: 1, item: undefined, index: undefined, signal: new AbortController().signal, progress: () => undefined, logger: silentLogger };
      for (const [type, parameters] of [["review", { text: "This Agreement is made between Acme Corp and John Smith." }], ["redact", { text: "Call John Smith on 555-123-4567.", plugins: true }]] as const) {
        const handler = registry.get(type) as unknown as { execute(ctx: unknown): Promise<unknown> };
        await expect(handler.execute({ ...forged, type, parameters })).rejects.toMatchObject({ code: "INTERNAL_CAPABILITY" });
      }
    });
  }, 120_000);

  it("refused subtasks (an internal capability, an invalid input) are no agent's failure: the agents stay healthy and their success rate whole", async () => {
    await withApi(async (api, services) => {
      const paula = (await services.access.addApiKey("paula", ["paralegal"], ["acme"])).principal;
      const start = api("POST", "/api/v1/workflows");
      const coordinated = { name: "w", inputs: { r: { type: "array" } }, steps: [{ id: "t", type: "agent.task", parameters: { capability: "task_coordination", input: { type: "x", requirements: "{{ inputs.r }}", subtasks: { review: { input: { text: "This Agreement is made between Acme Corp and John Smith." } } } } } }] };
      const badInput = { name: "w", steps: [{ id: "s", type: "agent.task", retry: { attempts: 1 }, parameters: { capability: "pii_scrubbing", input: { text: 5 } } }] };
      for (let i = 0; i < 3; i++) {
        // each: a 'review' subtask refused with INTERNAL_CAPABILITY on the cluster-steps agent (not retried)
        expect(json(await call(services, start, paula, { query: { wait: 60 }, body: { workflow: coordinated, inputs: { r: ["review"] }, matter: "acme" } })).body).toMatchObject({ status: "failed" });
      }
      for (let i = 0; i < 4; i++) expect(json(await call(services, start, paula, { query: { wait: 60 }, body: { workflow: badInput, matter: "acme" } })).body).toMatchObject({ status: "failed" });
      const agents = await services.workspace.agents();
      for (const id of ["cluster-steps", "pii-scrubber"]) {
        const agent = agents.inspectAgent(id);
        expect(agent).toMatchObject({ health: "healthy", metrics: { tasksFailed: 0, successRate: 1 } });
        expect(agent.metrics.tasksRefused).toBeGreaterThanOrEqual(id === "cluster-steps" ? 3 : 4);
      }
      expect(agents.registry.get("cluster-steps").stats("review")).toMatchObject({ samples: 0, successRate: 1 });
    });
  }, 180_000);

  it("users: only an admin lists and adds them; the key is in the answer once", async () => {
    await withApi(async (api, services, who) => {
      expect(await statusOf(call(services, api("GET", "/api/v1/users"), who["alice"]))).toBe(403);
      const added = json(await call(services, api("POST", "/api/v1/users"), who["root"], { body: { id: "carol", role: "paralegal", matters: ["acme"] } }));
      expect(added.status).toBe(201);
      expect(added.body.apiKey).toMatch(/^bear_carol_/);
      expect(json(await call(services, api("GET", "/api/v1/users"), who["root"])).body.users.map((u: { id: string }) => u.id)).toContain("carol");
    });
  }, 120_000);
});

describe("errors and file names at the API boundary", () => {
  it("an unexpected error is a 500 that echoes nothing; package codes keep their status", () => {
    expect(toHttpError(new Error("secret path /home/x"))).toEqual({ status: 500, body: { error: { name: "Error", code: "INTERNAL", message: "internal error", hint: "The server log has the details." } } });
    expect(toHttpError(new BearError("RUN_NOT_FOUND", "run 'x' not found")).status).toBe(404);
    expect(toHttpError(new BearError("SOMETHING_NEW", "x")).status).toBe(500);
  });

  const INTERNAL = { name: "Error", code: "INTERNAL", message: "internal error", hint: "The server log has the details." };
  /** An absolute folder as a server might have: POSIX or Windows, names with spaces and dots. */
  const serverDir = fc
    .array(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,11}$/), { minLength: 1, maxLength: 5 })
    .chain((parts) => fc.constantFrom(`/${parts.join("/")}`, `C:\\${parts.join("\\")}`).map((dir) => ({ dir, parts })));

  it("a package error with no HTTP status is the generic 500, whatever its message and details hold", () => {
    fc.assert(
      fc.property(serverDir, ({ dir }) => {
        const lock = new BearError("LOCK_BUSY", `lock '${dir}/writer.lock' is held by process 4242`, { details: { file: `${dir}/writer.lock`, holder: 4242 } });
        expect(toHttpError(lock)).toEqual({ status: 500, body: { error: INTERNAL } });
        expect(toHttpError(new StoreError("add", `${dir}/indexes/default`, new Error("disk full")))).toEqual({ status: 500, body: { error: INTERNAL } });
      }),
    );
  });

  it("a mapped package error keeps its code and says what failed, but names no server folder and no pid", () => {
    fc.assert(
      fc.property(serverDir, fc.integer({ min: 100_000, max: 4_000_000 }), ({ dir, parts }, pid) => {
        const busy = new BearError("RAG_INDEX_BUSY", `index '${dir}/indexes/default' is being written by process ${pid}; gave up after 30 s`, {
          hint: "Wait for the other ingest to finish, then retry.",
          details: { indexDir: `${dir}/indexes/default`, holder: pid, waitedMs: 30_000 },
        });
        const answered = toHttpError(busy);
        expect(answered.status).toBe(503);
        expect(answered.body.error).toEqual({
          name: "BearError",
          code: "RAG_INDEX_BUSY",
          message: "the index is being written by another process (a `bear ingest`, or another upload); retry in a few seconds",
          hint: "Wait for the other ingest to finish, then retry.",
          details: { waitedMs: 30_000 },
        });
        const outside = toHttpError(new PathOutsideWorkspaceError("../secret.txt", dir, "it leaves the folder"));
        expect(outside.status).toBe(400);
        expect(outside.body.error.message).toBe(`path '../secret.txt' is outside the workspace '${parts.at(-1)}': it leaves the folder`);
        expect(outside.body.error.details).toEqual({ requestedPath: "../secret.txt" });
        const mismatch = toHttpError(new EmbedderMismatchError(`${dir}/indexes/default`, "bge-small", "minilm"));
        expect(mismatch.body.error.message).toBe("index 'default' was built with embedder 'bge-small', not 'minilm'");
        for (const { body } of [answered, outside, mismatch]) expect(JSON.stringify(body)).not.toContain(JSON.stringify(dir).slice(1, -1));
        expect(JSON.stringify(answered.body)).not.toContain(String(pid));
      }),
    );
  });

  it("a plain file name is kept as sent; one with a separator, a control character or a leading dot is refused", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,60}$/), (name) => {
        expect(safeFileName(name)).toBe(name);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.constantFrom("/", "\\", "\n", "\u0000", "%0a"), fc.string({ maxLength: 30 }), (a, bad, b) => {
        expect(() => safeFileName(`x${a}${bad}${b}`)).toThrow(/file\.filename/);
      }),
    );
    expect(() => safeFileName(".env")).toThrow(/must not start with '.'/);
    expect(() => safeFileName(undefined)).toThrow(/is missing/);
  });
});
