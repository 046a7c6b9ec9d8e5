import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { NDA, readSse, startModelHost, startTestServer, STORIES, type TestServer } from "./support/test-server";

describe("models (real stories260K GGUF, threads: 1) and workflows (real SQLite)", () => {
  let t: TestServer;
  let files: Awaited<ReturnType<typeof startModelHost>>;
  let filesUrl: string;

  const post = (url: string, body: unknown, who: Parameters<TestServer["auth"]>[0] = "admin") =>
    fetch(`${t.url}${url}`, { method: "POST", headers: { ...t.auth(who), "content-type": "application/json" }, body: JSON.stringify(body) });
  const get = (url: string, who: Parameters<TestServer["auth"]>[0] = "admin") => fetch(`${t.url}${url}`, { headers: t.auth(who) });

  beforeAll(async () => {
    t = await startTestServer({ allowModelDownloads: true, rateLimit: { capacity: 1000, refillPerSecond: 100 } });
    files = await startModelHost("copy-of-stories.gguf");
    filesUrl = files.url;
  });
  afterAll(async () => {
    await t.close();
    await files.close();
  });

  describe("models", () => {
    it("lists the model folders' models", async () => {
      const res = await get("/api/v1/models", "victor");
      expect(res.status).toBe(200);
      const body = (await res.json()) as { models: { id: string; kind: string; status: string }[] };
      expect(body.models.find((m) => m.id === STORIES)).toMatchObject({ kind: "causal" });
    });

    it("loads and unloads a model (admins)", async () => {
      const load = await post("/api/v1/models", { action: "load", id: STORIES, contextSize: 256 });
      expect(load.status).toBe(200);
      expect(await load.json()).toMatchObject({ action: "load", loaded: { modelId: STORIES, threads: 1 } });
      const unload = await post("/api/v1/models", { action: "unload", id: STORIES });
      expect(await unload.json()).toMatchObject({ action: "unload", unloaded: true });
    });

    it("generates: prompt, max_tokens, temperature, stop_sequences → text, tokens_used, generation_time", async () => {
      const res = await post(`/api/v1/models/${STORIES}/generate`, { prompt: "Once upon a time", max_tokens: 12, temperature: 0, stop_sequences: ["\n\n"] }, "victor");
      expect(res.status).toBe(200);
      const body = (await res.json()) as { text: string; tokens_used: number; generation_time: number; finish_reason: string };
      expect(body.text.length).toBeGreaterThan(0);
      expect(body.tokens_used).toBeGreaterThan(0);
      expect(body.tokens_used).toBeLessThanOrEqual(12);
      expect(body.generation_time).toBeGreaterThan(0);
    });

    it("streams tokens as server-sent events, ending with the result", async () => {
      const res = await post(`/api/v1/models/${STORIES}/generate`, { prompt: "Once upon a time", max_tokens: 10, temperature: 0, stream: true }, "alice");
      expect(res.headers.get("content-type")).toContain("text/event-stream");
      const events = await readSse(res);
      const tokens = events.filter((e) => e.event === "token");
      expect(tokens.length).toBeGreaterThan(1);
      const done = events.at(-1);
      expect(done?.event).toBe("done");
      expect((done?.data as { text: string }).text).toBe(tokens.map((e) => (e.data as { text: string }).text).join(""));
    });

    it("an unknown model is a 404 with a hint", async () => {
      const res = await post("/api/v1/models/no-such-model/generate", { prompt: "hi" });
      expect(res.status).toBe(404);
      const body = (await res.json()) as { error: { code: string; hint: string } };
      expect(body.error.code).toBe("MODEL_NOT_FOUND");
      expect(body.error.hint).toContain(STORIES);
    });

    it("downloads a model from a loopback host into the model folder and registers it", async () => {
      const res = await post("/api/v1/models", { action: "download", source: `${filesUrl}/copy-of-stories.gguf` });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { model: { id: string; fileName: string; status: string } };
      expect(body.model.fileName).toBe("copy-of-stories.gguf");
      expect(fs.existsSync(path.join(t.dir, "models", "copy-of-stories.gguf"))).toBe(true);
      const list = (await (await get("/api/v1/models")).json()) as { models: { id: string }[] };
      expect(list.models.map((m) => m.id)).toContain(body.model.id);
    });

    it("refuses to download over an existing model unless the request says replace", async () => {
      const again = await post("/api/v1/models", { action: "download", source: `${filesUrl}/copy-of-stories.gguf` });
      expect(again.status).toBe(502);
      const refused = (await again.json()) as { error: { code: string; message: string; hint: string } };
      expect(refused.error).toMatchObject({ code: "DOWNLOAD_FAILED" });
      expect(refused.error.message).toMatch(/already exists/);
      const replaced = await post("/api/v1/models", { action: "download", source: `${filesUrl}/copy-of-stories.gguf`, replace: true });
      expect(replaced.status).toBe(200);
    });
  });

  describe("workflows", () => {
    const workflow = {
      name: "digest",
      inputs: { items: { type: "array" } },
      steps: [
        { id: "count", type: "data_processing", parameters: { operation: "count", input: "{{ inputs.items }}" } },
        { id: "unique", type: "data_processing", depends_on: ["count"], parameters: { operation: "unique", input: "{{ inputs.items }}" } },
      ],
    };

    it("starts a run, lists it, shows per-step progress and streams its events", async () => {
      const start = await post("/api/v1/workflows", { workflow, inputs: { items: [1, 2, 2, 3] }, matter: "acme" }, "paula");
      expect(start.status).toBe(201);
      const { runId } = (await start.json()) as { runId: string };
      const events = await readSse(await get(`/api/v1/workflows/${runId}/events`));
      expect(events[0]?.event).toBe("run.started");
      expect(events.at(-1)).toMatchObject({ event: "run.completed", data: { status: "completed" } });
      expect(events.filter((e) => e.event === "step.completed").length).toBe(2);

      const run = (await (await get(`/api/v1/workflows/${runId}`, "victor")).json()) as { status: string; progress: { completed: number }; steps: { stepId: string; output: unknown }[] };
      expect(run.status).toBe("completed");
      expect(run.progress.completed).toBe(2);
      expect(run.steps.find((s) => s.stepId === "unique")?.output).toEqual([1, 2, 3]);
      const list = (await (await get("/api/v1/workflows?status=completed")).json()) as { runs: { id: string; matter: string }[] };
      expect(list.runs.find((r) => r.id === runId)?.matter).toBe("acme");
      // The ethical wall holds for runs: bob works on another matter, and sees no such run (404, as for an unknown id).
      expect((await get(`/api/v1/workflows/${runId}`, "bob")).status).toBe(404);
      expect((await get(`/api/v1/workflows/${runId}/events`, "bob")).status).toBe(404);
      const bobs = (await (await get("/api/v1/workflows", "bob")).json()) as { runs: { id: string }[] };
      expect(bobs.runs.map((r) => r.id)).not.toContain(runId);
      const forbidden = await post("/api/v1/workflows", { workflow, inputs: { items: [1] }, matter: "acme" }, "bob");
      expect(forbidden.status).toBe(403);
    });

    it("accepts YAML text and cancels a running run", async () => {
      const yaml = [
        "name: waits",
        "steps:",
        "  - id: wait",
        "    type: file_operations",
        "    parameters: { operation: read, path: missing.txt }",
        "    retry: { attempts: 3, backoff: 60s }",
      ].join("\n");
      const start = await post("/api/v1/workflows", { workflow: yaml, matter: "acme" });
      expect(start.status).toBe(201);
      const { runId } = (await start.json()) as { runId: string };
      const del = await fetch(`${t.url}/api/v1/workflows/${runId}`, { method: "DELETE", headers: t.auth("alice") });
      expect(await del.json()).toEqual({ runId, cancelled: true });
      const events = await readSse(await get(`/api/v1/workflows/${runId}/events`));
      expect(events.at(-1)).toMatchObject({ event: "run.completed", data: { status: "cancelled" } });
    });

    it("refuses file steps that climb out of the workflow folder", async () => {
      const escape = { name: "escape", steps: [{ id: "r", type: "file_operations", parameters: { operation: "read", path: "../../state/audit.key" } }] };
      const { runId } = (await (await post("/api/v1/workflows", { workflow: escape })).json()) as { runId: string };
      const events = await readSse(await get(`/api/v1/workflows/${runId}/events`));
      expect(events.at(-1)).toMatchObject({ event: "run.completed", data: { status: "failed" } });
      const run = (await (await get(`/api/v1/workflows/${runId}`)).json()) as { steps: { output: unknown; error: { code: string } }[] };
      expect(run.steps[0]?.output).toBeNull();
      expect(JSON.stringify(run)).toContain("PATH_OUTSIDE_WORKSPACE");
    });

    it("an unknown run is a 404", async () => {
      expect((await get("/api/v1/workflows/no-such-run")).status).toBe(404);
      expect((await get("/api/v1/workflows/no-such-run/events")).status).toBe(404);
    });
  });

  describe("agents (@bear/agents AgentSystem on the same engine)", () => {
    const del = (id: string, who: Parameters<TestServer["auth"]>[0] = "admin") => fetch(`${t.url}/api/v1/agents/${id}`, { method: "DELETE", headers: t.auth(who) });

    it("lists the system's agents with status, load and metrics", async () => {
      const res = await get("/api/v1/agents", "victor");
      expect(res.status).toBe(200);
      const { agents } = (await res.json()) as { agents: { id: string; type: string; status: string; load: unknown }[] };
      const types = agents.map((a) => a.type);
      expect(types).toEqual(expect.arrayContaining(["coordinator", "monitor", "executor", "validator"]));
      expect(agents.every((a) => a.load !== undefined && a.status !== undefined)).toBe(true);
      const executors = (await (await get("/api/v1/agents?type=executor")).json()) as { agents: { type: string }[] };
      expect(executors.agents.every((a) => a.type === "executor")).toBe(true);
    });

    it("creates, inspects and removes an agent (admins); duplicates are 409, system agents stay", async () => {
      const created = await post("/api/v1/agents", { type: "executor", capability: "data_processing", id: "data-2", name: "Second data executor" });
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({ id: "data-2", type: "executor", status: "idle" });
      expect((await post("/api/v1/agents", { type: "executor", capability: "data_processing", id: "data-2" })).status).toBe(409);
      expect((await post("/api/v1/agents", { type: "validator", id: "v-2" }, "alice")).status).toBe(403);
      expect(await (await get("/api/v1/agents/data-2", "victor")).json()).toMatchObject({ id: "data-2", capabilities: ["data_processing"] });
      expect((await del("data-2", "alice")).status).toBe(403);
      expect((await del("data-2")).status).toBe(200);
      expect((await get("/api/v1/agents/data-2")).status).toBe(404);
      expect((await del("coordinator")).status).toBe(422);
    });

    it("refuses an agent spec that does not fit its type", async () => {
      const res = await post("/api/v1/agents", { type: "specialist", id: "x", specialist: "no-such-specialist" });
      expect(res.status).toBe(422);
      const bad = await post("/api/v1/agents", { type: "robot", id: "x" });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { details: { field: string } } }).error.details.field).toBe("body.type");
    });
  });
});

describe("with a default model (models.llm = stories260K)", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ patch: (c) => ({ ...c, models: { ...c.models, llm: STORIES } }) });
  });
  afterAll(async () => {
    await t.close();
  });

  it("ask streams the model's answer as it is generated (mode llm)", async () => {
    const form = new FormData();
    form.append("file", new Blob([NDA]), "mutual-nda.txt");
    expect((await fetch(`${t.url}/api/v1/documents?matter=acme`, { method: "POST", headers: t.auth("alice"), body: form })).status).toBe(201);
    const res = await fetch(`${t.url}/api/v1/ask`, {
      method: "POST",
      headers: { ...t.auth("alice"), "content-type": "application/json" },
      body: JSON.stringify({ question: "How much notice is needed to terminate?", stream: true, maxAnswerTokens: 24 }),
    });
    const events = await readSse(res);
    expect(events[0]?.event).toBe("passages");
    expect(events.filter((e) => e.event === "text").length).toBeGreaterThan(0);
    const answer = events.find((e) => e.event === "answer")?.data as { mode: string; citations: { documentId: string }[] };
    expect(answer.mode).toBe("llm");
    expect(events.at(-1)?.event).toBe("done");
  });

  it("workflows get the llm_generation step on the same model", async () => {
    const workflow = { name: "gen", steps: [{ id: "g", type: "llm_generation", parameters: { prompt: "Once upon a time", max_tokens: 4 } }] };
    const start = await fetch(`${t.url}/api/v1/workflows`, { method: "POST", headers: { ...t.auth("admin"), "content-type": "application/json" }, body: JSON.stringify({ workflow }) });
    const body = (await start.json()) as { runId?: string; error?: { message: string } };
    expect(start.status).toBe(201);
    const events = await readSse(await fetch(`${t.url}/api/v1/workflows/${body.runId}/events`, { headers: t.auth("admin") }));
    expect(events.at(-1)).toMatchObject({ event: "run.completed", data: { status: "completed" } });
  });
});
