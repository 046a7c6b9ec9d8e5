import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startModelHost, startTestServer, STORIES, type TestServer, type Who } from "./support/test-server";

/**
 * The seed's REST API (../shared/seed/architecture.md, "API Documentation"), request by request:
 * each body is written as the seed documents it (its field names, its enums, its defaults left
 * out), and each answer is checked for the fields the seed documents, with their types. Our own
 * fields come alongside (other specs test them); lists keep our envelope unless `envelope=false`.
 */

const isoDate = (value: unknown): boolean => typeof value === "string" && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value;

describe("the seed's REST API, verbatim", () => {
  let t: TestServer;
  let files: Awaited<ReturnType<typeof startModelHost>>;
  let filesUrl: string;

  const send = (method: string, url: string, body?: unknown, who: Who = "admin") =>
    fetch(`${t.url}${url}`, { method, headers: { ...t.auth(who), ...(body === undefined ? {} : { "content-type": "application/json" }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const json = async <T = Record<string, unknown>>(res: Response, status: number): Promise<T> => {
    const body = (await res.json()) as T;
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(body)}`);
    return body;
  };

  beforeAll(async () => {
    t = await startTestServer({ allowModelDownloads: true, rateLimit: { capacity: 1000, refillPerSecond: 100 }, patch: (c) => ({ ...c, models: { ...c.models, llm: STORIES } }) });
    files = await startModelHost("seed-copy.gguf");
    filesUrl = files.url;
  });
  afterAll(async () => {
    await t.close();
    await files.close();
  });

  describe("Workflow Management", () => {
    let workflowId: string;

    it("POST /api/v1/workflows {name, description, steps} creates and executes: 200 {workflow_id, status, results, execution_time}", async () => {
      const agents = await json<{ agents: { id: string; capabilities: string[] }[] }>(await send("GET", "/api/v1/agents?type=executor"), 200);
      const dataExecutor = agents.agents.find((a) => a.capabilities.includes("data_processing"));
      expect(dataExecutor).toBeDefined();
      // One step of each of the seed's step types; one pinned to an agent as the seed's `agent` field allows.
      const body = {
        name: "intake-digest",
        description: "Count the parties, note them in the matter's file area, redact a line, and draft an opening",
        steps: [
          { id: "count", type: "data_processing", agent: dataExecutor?.id, parameters: { operation: "count", input: ["Acme", "Globex", "Initech"] } },
          { id: "note", type: "file_operations", parameters: { operation: "write", path: "notes/parties.txt", content: "three parties" } },
          { id: "redact", type: "tool_execution", parameters: { tool: "redact", arguments: { text: "Write to jane.doe@example.com about the lease." } } },
          { id: "draft", type: "llm_generation", parameters: { prompt: "Once upon a time", max_tokens: 8 } },
        ],
      };
      const started = await json<{ workflow_id: string; status: string; results: Record<string, unknown>; execution_time: number }>(await send("POST", "/api/v1/workflows", body), 200);
      expect(typeof started.workflow_id).toBe("string");
      expect(["completed", "running", "failed"]).toContain(started.status);
      expect(started.status).toBe("completed");
      expect(typeof started.execution_time).toBe("number");
      expect(started.execution_time).toBeGreaterThan(0);
      expect(started.execution_time).toBeLessThan(60); // seconds, not milliseconds
      expect(started.results["count"]).toBe(3);
      expect(started.results["note"]).toMatchObject({ path: "notes/parties.txt" });
      expect(JSON.stringify(started.results["redact"])).not.toContain("jane.doe@example.com");
      expect((started.results["draft"] as { text: string }).text.length).toBeGreaterThan(0);
      workflowId = started.workflow_id;
    });

    it("a failing seed workflow answers status failed, with the results of the steps that completed", async () => {
      const body = {
        name: "reads-nothing",
        description: "The second step reads a file no step wrote",
        steps: [
          { id: "count", type: "data_processing", parameters: { operation: "count", input: [1, 2] } },
          { id: "read", type: "file_operations", parameters: { operation: "read", path: "absent.txt" }, depends_on: ["count"] },
        ],
      };
      const failed = await json<{ workflow_id: string; status: string; results: Record<string, unknown> }>(await send("POST", "/api/v1/workflows", body), 200);
      expect(failed.status).toBe("failed");
      expect(failed.results).toEqual({ count: 2 });
    });

    it("GET /api/v1/workflows?status=all|running|completed|failed lists {id, name, status, created_at}", async () => {
      for (const status of ["all", "running", "completed", "failed"]) {
        const list = await json<{ runs: Record<string, unknown>[] }>(await send("GET", `/api/v1/workflows?status=${status}`), 200);
        for (const run of list.runs) {
          expect(run).toEqual(expect.objectContaining({ id: expect.any(String), name: expect.any(String), status: expect.any(String) }));
          expect(isoDate(run["created_at"])).toBe(true);
          if (status !== "all") expect(run["status"]).toBe(status);
        }
        if (status === "all" || status === "completed") expect(list.runs.map((r) => r["id"])).toContain(workflowId);
        if (status === "failed") expect(list.runs.length).toBeGreaterThan(0);
      }
      // The seed's bare array, on request.
      const bare = await json<Record<string, unknown>[]>(await send("GET", "/api/v1/workflows?status=all&envelope=false"), 200);
      expect(Array.isArray(bare)).toBe(true);
      expect(bare.find((r) => r["id"] === workflowId)).toMatchObject({ name: "intake-digest", status: "completed" });
    });

    it("GET /api/v1/workflows/{workflow_id} gives {id, name, status, progress, results}", async () => {
      const run = await json<Record<string, unknown>>(await send("GET", `/api/v1/workflows/${workflowId}`, undefined, "admin"), 200);
      expect(run).toMatchObject({ id: workflowId, name: "intake-digest", status: "completed", progress: { total: 4, completed: 4 } });
      expect((run["results"] as Record<string, unknown>)["count"]).toBe(3);
    });

    it("DELETE /api/v1/workflows/{workflow_id} cancels: 200", async () => {
      // A step that keeps retrying; `wait=0` (ours) answers at once instead of after the seed's execution.
      const body = { name: "waits", description: "retries for minutes", steps: [{ id: "wait", type: "file_operations", parameters: { operation: "read", path: "missing.txt" }, retry: { attempts: 3, backoff: "60s" } }] };
      const started = await json<{ workflow_id: string; status: string }>(await send("POST", "/api/v1/workflows?wait=0", body), 200);
      expect(started.status).toBe("running");
      const running = await json<{ runs: { id: string }[] }>(await send("GET", "/api/v1/workflows?status=running"), 200);
      expect(running.runs.map((r) => r.id)).toContain(started.workflow_id);
      const cancelled = await send("DELETE", `/api/v1/workflows/${started.workflow_id}`);
      expect(cancelled.status).toBe(200);
      expect(await cancelled.json()).toMatchObject({ cancelled: true });
    });
  });

  describe("Agent Management", () => {
    const agentFields = (a: Record<string, unknown>): void => {
      expect(a).toEqual(expect.objectContaining({ id: expect.any(String), name: expect.any(String), type: expect.any(String), status: expect.any(String), capabilities: expect.any(Array) }));
      expect(typeof a["performance_metrics"]).toBe("object");
    };

    it("GET /api/v1/agents?type=…&status=… lists {id, name, type, status, capabilities, performance_metrics}", async () => {
      for (const type of ["coordinator", "executor", "validator", "monitor", "specialist"]) {
        const agents = await json<Record<string, unknown>[]>(await send("GET", `/api/v1/agents?type=${type}&envelope=false`, undefined, "victor"), 200);
        expect(agents.length).toBeGreaterThan(0);
        for (const a of agents) {
          agentFields(a);
          expect(a["type"]).toBe(type);
        }
      }
      for (const status of ["active", "idle", "busy"]) {
        const { agents } = await json<{ agents: Record<string, unknown>[] }>(await send("GET", `/api/v1/agents?status=${status}`), 200);
        for (const a of agents) expect(a["status"]).toBe(status);
      }
    });

    it("POST /api/v1/agents {type, name, capabilities, config} creates executors, validators and specialists: 201 {id, name, type, status}", async () => {
      const [specialist] = await json<{ capabilities: string[] }[]>(await send("GET", "/api/v1/agents?type=specialist&envelope=false"), 200);
      const bodies = [
        { type: "executor", name: "Data Cruncher", capabilities: ["data_processing"], config: { max_concurrent_tasks: 2 } },
        { type: "validator", name: "Second Opinion", capabilities: ["validation"], config: {} },
        { type: "specialist", name: "Contract Analyst", capabilities: specialist?.capabilities.slice(0, 2) ?? [], config: {} },
      ];
      for (const body of bodies) {
        const created = await json<Record<string, unknown>>(await send("POST", "/api/v1/agents", body), 201);
        expect(created).toEqual(expect.objectContaining({ id: expect.any(String), name: body.name, type: body.type, status: "idle" }));
        // GET /api/v1/agents/{agent_id}: {id, name, type, status, capabilities, current_task, performance_metrics}
        const detail = await json<Record<string, unknown>>(await send("GET", `/api/v1/agents/${String(created["id"])}`, undefined, "victor"), 200);
        agentFields(detail);
        expect(detail).toHaveProperty("current_task");
        for (const capability of body.capabilities) expect(detail["capabilities"]).toContain(capability);
        // DELETE /api/v1/agents/{agent_id}: 200
        expect((await send("DELETE", `/api/v1/agents/${String(created["id"])}`)).status).toBe(200);
        expect((await send("GET", `/api/v1/agents/${String(created["id"])}`)).status).toBe(404);
      }
      const executor = await json<{ id: string; load: { capacity: number } }>(await send("POST", "/api/v1/agents", bodies[0]), 201);
      expect(executor).toMatchObject({ id: "data-cruncher", load: { capacity: 2 } });
      // The same name again gets its own id.
      expect(await json(await send("POST", "/api/v1/agents", bodies[0]), 201)).toMatchObject({ id: "data-cruncher-2" });
    });

    it("the system's one coordinator and one monitor are not created again (422, with a hint); a capability an executor lacks is a 400", async () => {
      for (const type of ["coordinator", "monitor"]) {
        const refused = await json<{ error: { code: string; hint: string } }>(await send("POST", "/api/v1/agents", { type, name: `Another ${type}`, capabilities: [], config: {} }), 422);
        expect(refused.error.code).toBe("AGENT_NOT_CREATABLE");
        expect(refused.error.hint).toContain("executor");
      }
      const bad = await json<{ error: { details: { field: string } } }>(await send("POST", "/api/v1/agents", { type: "executor", name: "Juggler", capabilities: ["data_processing", "llm_generation"], config: {} }), 400);
      expect(bad.error.details.field).toBe("body.capabilities");
    });
  });

  describe("Model Management", () => {
    const modelFields = (m: Record<string, unknown>): void => {
      expect(m).toEqual(expect.objectContaining({ id: expect.any(String), name: expect.any(String), size: expect.any(Number), status: expect.any(String) }));
      expect(typeof m["performance_metrics"]).toBe("object");
    };

    it("POST /api/v1/models {model_id, action: load|unload, config} → {model_id, status, message}; GET ?status=loaded|available lists {id, name, size, status, performance_metrics}", async () => {
      const loaded = await json<Record<string, unknown>>(await send("POST", "/api/v1/models", { model_id: STORIES, action: "load", config: { context_size: 256 } }), 200);
      expect(loaded).toMatchObject({ model_id: STORIES, status: "loaded", message: expect.any(String) });
      const loadedList = await json<Record<string, unknown>[]>(await send("GET", "/api/v1/models?status=loaded&envelope=false", undefined, "victor"), 200);
      expect(loadedList.map((m) => m["id"])).toContain(STORIES);
      loadedList.forEach(modelFields);
      expect(loadedList.find((m) => m["id"] === STORIES)?.["performance_metrics"]).toMatchObject({ loads: expect.any(Number) });

      const unloaded = await json<Record<string, unknown>>(await send("POST", "/api/v1/models", { model_id: STORIES, action: "unload", config: {} }), 200);
      expect(unloaded).toMatchObject({ model_id: STORIES, status: "available", message: expect.any(String) });
      const available = await json<{ models: Record<string, unknown>[] }>(await send("GET", "/api/v1/models?status=available"), 200);
      expect(available.models.map((m) => m["id"])).toContain(STORIES);
      available.models.forEach(modelFields);
      const downloading = await json<Record<string, unknown>[]>(await send("GET", "/api/v1/models?status=downloading&envelope=false"), 200);
      expect(downloading).toEqual([]);
    });

    it("POST /api/v1/models {model_id: <URL>, action: download, config} downloads from a (loopback) host", async () => {
      const downloaded = await json<Record<string, unknown>>(await send("POST", "/api/v1/models", { model_id: `${filesUrl}/seed-copy.gguf`, action: "download", config: {} }), 200);
      expect(downloaded).toMatchObject({ model_id: expect.any(String), status: "available", message: expect.any(String) });
      const list = await json<Record<string, unknown>[]>(await send("GET", "/api/v1/models?envelope=false"), 200);
      expect(list.map((m) => m["id"])).toContain(downloaded["model_id"]);
    });

    it("POST /api/v1/models/{model_id}/generate {prompt} uses the seed's defaults (max_tokens 100, temperature 0.7) → {text, tokens_used, generation_time}", async () => {
      const generated = await json<{ text: string; tokens_used: number; generation_time: number; finish_reason: string }>(await send("POST", `/api/v1/models/${STORIES}/generate`, { prompt: "Once upon a time" }, "victor"), 200);
      expect(generated.text.length).toBeGreaterThan(0);
      expect(Number.isInteger(generated.tokens_used)).toBe(true);
      expect(generated.tokens_used).toBeLessThanOrEqual(100);
      if (generated.finish_reason === "length") expect(generated.tokens_used).toBe(100);
      expect(typeof generated.generation_time).toBe("number");
      const stopped = await json<{ text: string; tokens_used: number }>(await send("POST", `/api/v1/models/${STORIES}/generate`, { prompt: "Once upon a time", max_tokens: 100, temperature: 0.7, stop_sequences: ["."] }), 200);
      expect(stopped.text).not.toContain(".");
      // The defaults are the seed's, as the OpenAPI document says.
      const doc = (await (await fetch(`${t.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: { properties: Record<string, { default?: unknown }> } }> } }>> };
      const schema = doc.paths["/api/v1/models/{id}/generate"]?.["post"]?.requestBody.content["application/json"]?.schema;
      expect(schema?.properties["max_tokens"]?.default).toBe(100);
      expect(schema?.properties["temperature"]?.default).toBe(0.7);
    });
  });
});
