import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { LEASE, multipart, NDA, startTestServer, type TestServer, type Who } from "./support/test-server";

type RunView = {
  status: string;
  error: { code: string; message: string } | null;
  steps: Array<{ stepId: string; index: number | null; status: string; output: unknown; agent: Record<string, unknown> | null }>;
  assignments: Array<{ stepId: string; attempt: number; assignment: Record<string, unknown> }>;
};

/** The seed's workflow example over REST: tool_execution steps run by agents, end to end. */
describe("workflows executed by agents (real SQLite, LanceDB and legal/security tools)", () => {
  let t: TestServer;
  const post = (url: string, body: unknown, who: Who) => fetch(`${t.url}${url}`, { method: "POST", headers: { ...t.auth(who), "content-type": "application/json" }, body: JSON.stringify(body) });
  const get = (url: string, who: Who) => fetch(`${t.url}${url}`, { headers: t.auth(who) });
  const upload = async (who: Who, matter: string, name: string, content: string) => {
    const { payload, headers } = multipart(name, content);
    const res = await fetch(`${t.url}/api/v1/documents?matter=${matter}`, { method: "POST", headers: { ...t.auth(who), ...headers }, body: payload });
    expect(res.status).toBe(201);
  };
  const finished = async (runId: string, who: Who): Promise<RunView> => {
    for (let i = 0; i < 300; i++) {
      const run = (await (await get(`/api/v1/workflows/${runId}`, who)).json()) as RunView;
      if (run.status !== "pending" && run.status !== "running") return run;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`run ${runId} did not finish`);
  };

  beforeAll(async () => {
    t = await startTestServer({ rateLimit: { capacity: 10_000, refillPerSecond: 1_000 } });
    await upload("alice", "acme", "mutual-nda.txt", NDA);
    await upload("bob", "globex", "lease.txt", LEASE);
  });
  afterAll(async () => t.close());

  it("runs the seed's example (name, description, steps with type tool_execution, agent, parameters) inside the run's matter", async () => {
    const workflow = {
      name: "termination-digest",
      description: "Find the termination clause, extract its key terms and redact it",
      steps: [
        { id: "find", type: "tool_execution", agent: "executor", parameters: { tool: "search", query: "terminate for convenience written notice", k: 5 } },
        { id: "terms", type: "tool_execution", depends_on: ["find"], parameters: { tool: "extract_key_terms", text: "{{ steps.find.output.hits[0].text }}" } },
        { id: "redacted", type: "tool_execution", depends_on: ["find"], parameters: { tool: "redact", arguments: { text: "{{ steps.find.output.hits[0].text }}" } } },
      ],
    };
    const start = await post("/api/v1/workflows", { workflow, matter: "acme" }, "alice");
    expect(start.status).toBe(201);
    const { runId } = (await start.json()) as { runId: string };
    const run = await finished(runId, "alice");
    expect(run.error).toBeNull();
    expect(run.status).toBe("completed");
    const hits = (run.steps.find((s) => s.stepId === "find")!.output as { hits: Array<{ matter: string; text: string }> }).hits;
    expect(hits.length).toBeGreaterThan(0);
    // The ethical wall holds inside workflows: the globex lease (also about termination) is never found for an acme run.
    expect(new Set(hits.map((h) => h.matter))).toEqual(new Set(["acme"]));
    expect(hits[0]!.text).toContain("terminate");
    const terms = run.steps.find((s) => s.stepId === "terms")!.output as { periods: Array<{ text?: string }> };
    expect(JSON.stringify(terms.periods)).toContain("30");
    expect(run.steps.find((s) => s.stepId === "redacted")!.output).toMatchObject({ text: expect.any(String), replacements: expect.any(Array) });
    // Each step shows the agent that ran it, its score breakdown and the validator's verdict.
    for (const step of run.steps) {
      expect(step.agent).toMatchObject({ agentId: "tool-executor", capability: "tool_execution", outcome: "completed", verdict: { valid: true }, breakdown: { weights: { capability: 0.4, history: 0.3, load: 0.2, time: 0.1 } } });
    }
    expect(run.assignments.map((a) => a.stepId).sort()).toEqual(["find", "redacted", "terms"]);
  });

  it("refuses, before anything runs, an unknown tool and arguments the tool's schema refuses", async () => {
    const bad = {
      name: "bad-tools",
      steps: [
        { id: "a", type: "tool_execution", parameters: { tool: "serach", query: "x" } },
        { id: "b", type: "tool_execution", parameters: { tool: "search", query: "x", k: 500 } },
      ],
    };
    const res = await post("/api/v1/workflows", { workflow: bad, matter: "acme" }, "alice");
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("WORKFLOW_INVALID");
    expect(body.error.message).toContain("steps[0].parameters.tool: unknown tool 'serach'");
    expect(body.error.message).toContain("steps[1].parameters.k");
    const list = (await (await get("/api/v1/workflows", "admin")).json()) as { runs: Array<{ workflow: string }> };
    expect(list.runs.map((r) => r.workflow)).not.toContain("bad-tools");
  });

  it("lists the specialists the workspace installs: contract reviewer, PII scrubber, retrieval", async () => {
    const res = await get("/api/v1/agents?type=specialist", "alice");
    expect(res.status).toBe(200);
    const { agents } = (await res.json()) as { agents: Array<{ id: string; type: string; capabilities: string[] }> };
    const byId = new Map(agents.map((a) => [a.id, a]));
    expect(byId.get("contract-reviewer")?.capabilities).toEqual(expect.arrayContaining(["contract_review", "risk_summary"]));
    expect(byId.get("pii-scrubber")?.capabilities).toContain("pii_scrubbing");
    expect(byId.get("retrieval")?.capabilities).toEqual(expect.arrayContaining(["retrieval", "document_listing", "text_extraction", "document_indexing"]));
    expect(agents.every((a) => a.type === "specialist")).toBe(true);
  });

  it("runs the built-in delegation, pipeline and collaboration workflows on the matter's documents, with no model", async () => {
    const { workflows } = (await (await get("/api/v1/workflows/built-in", "alice")).json()) as { workflows: Array<{ name: string; pattern: string | null; definition: string }> };
    expect(workflows.map((w) => w.pattern)).toEqual(expect.arrayContaining(["delegation", "pipeline", "collaboration"]));
    const definition = (name: string) => workflows.find((w) => w.name === name)!.definition;
    const docs = (await (await get("/api/v1/documents?matter=acme", "alice")).json()) as { documents: Array<{ id: string; title: string }> };
    const nda = docs.documents[0]!.id;
    const runOf = async (name: string, inputs: Record<string, unknown>): Promise<RunView> => {
      const start = await post("/api/v1/workflows", { workflow: definition(name), inputs, matter: "acme" }, "alice");
      expect(start.status).toBe(201);
      return finished(((await start.json()) as { runId: string }).runId, "alice");
    };
    // delegation over the matter's indexed documents: the globex lease is not among them
    const risks = await runOf("contract_folder_risks", {});
    expect(risks.error).toBeNull();
    const summary = risks.steps.find((s) => s.stepId === "aggregate")!.output as { contracts: number; ranked: Array<{ source: string }> };
    expect(summary.contracts).toBe(docs.documents.length);
    // one subtask per document, each assigned by the balancer and judged by the validator
    expect(risks.steps.filter((s) => s.stepId === "subtasks" && s.index !== null)).toHaveLength(docs.documents.length);
    expect(risks.steps.find((s) => s.stepId === "subtasks" && s.index === 0)!.agent).toMatchObject({ agentId: "contract-reviewer", verdict: { valid: true } });
    // pipeline: the redacted copy is indexed in the run's matter
    const pipeline = await runOf("extract_redact_index", { document_id: nda });
    expect(pipeline.error).toBeNull();
    const agentOf = (run: RunView, step: string) => run.steps.find((s) => s.stepId === step)?.agent?.["agentId"];
    expect(["extract", "redact", "index"].map((id) => agentOf(pipeline, id))).toEqual(["retrieval", "pii-scrubber", "retrieval"]);
    expect(pipeline.steps.find((s) => s.stepId === "index")!.output).toMatchObject({ matter: "acme" });
    // collaboration: reviewed until satisfied, approved by the final review
    const summaryRun = await runOf("clause_summary", { document_id: nda });
    expect(summaryRun.error).toBeNull();
    expect(summaryRun.steps.find((s) => s.stepId === "final_review")!.output).toMatchObject({ approved: true });
    // a run of matter acme cannot name a globex document
    const globex = (await (await get("/api/v1/documents?matter=globex", "bob")).json()) as { documents: Array<{ id: string }> };
    const walled = await runOf("extract_redact_index", { document_id: globex.documents[0]!.id });
    expect(walled.status).toBe("failed");
    expect(walled.error?.message).toContain("in this run's matter");
  });

  it("runs the monitor on a schedule: repeated failures mark an agent failing on the event bus, in GET /api/v1/agents and in /metrics", async () => {
    const workspace = t.server.services.workspace;
    expect(t.server.services.agents.monitor.checkingEveryMs).toBe(10_000);
    const changes: Array<Record<string, unknown>> = [];
    const subscription = workspace.events().on("agents:agent.health_changed").subscribe((e) => changes.push(e as unknown as Record<string, unknown>));
    // three runs reading a file that is not there: three failures in a row of the file executor
    for (let i = 0; i < 3; i++) {
      const steps = [{ id: "read", type: "file_operations", retry: { attempts: 1 }, parameters: { operation: "read", path: `missing-${i}.txt` } }];
      const start = await post("/api/v1/workflows", { workflow: { name: "read-missing", steps }, matter: "acme" }, "alice");
      expect(start.status).toBe(201);
      const run = await finished(((await start.json()) as { runId: string }).runId, "alice");
      expect(run.steps[0]).toMatchObject({ status: "failed", agent: { agentId: "file-executor", error: "ENOENT" } });
    }
    subscription.unsubscribe();
    expect(changes).toEqual([expect.objectContaining({ agentId: "file-executor", previous: "healthy", health: "failing", reason: "3 failures in a row (limit 3)" })]);

    const { agents } = (await (await get("/api/v1/agents?type=executor", "alice")).json()) as { agents: Array<{ id: string; health: string; healthReason: string | null }> };
    expect(agents.find((a) => a.id === "file-executor")).toMatchObject({ health: "failing", healthReason: "3 failures in a row (limit 3)" });
    expect(agents.find((a) => a.id === "tool-executor")).toMatchObject({ health: "healthy", healthReason: null });

    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    expect((await get("/metrics", "alice")).status).toBe(403);
    const metrics = await get("/metrics", "admin");
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await metrics.text();
    expect(text).toContain('bear_agent_healthy{agent="file-executor",type="executor"} 0');
    expect(text).toContain('bear_agent_health{agent="file-executor",type="executor",state="failing"} 1');
    expect(text).toContain('bear_agent_healthy{agent="tool-executor",type="executor"} 1');
    expect(text).toContain('bear_agent_tasks_total{agent="file-executor",type="executor",outcome="failed"} 3');
    expect(text).toMatch(/^bear_agents_unhealthy 1$/m);
    expect(text).toMatch(/^bear_http_requests_total\{method="POST",route="\/api\/v1\/workflows"\} \d+$/m);
    // every line is a comment or `name{labels} value`, as Prometheus parses them (metric names [a-zA-Z_:][a-zA-Z0-9_:]*)
    for (const line of text.trimEnd().split("\n")) expect(line).toMatch(/^(# (HELP|TYPE) [a-z_:][a-z0-9_:]* .+|[a-z_:][a-z0-9_:]*(\{[a-z_]+="[^"\n]*"(,[a-z_]+="[^"\n]*")*\})? -?[0-9.e+-]+)$/);
    expect(text).toMatch(/^bear_cache_hits_total\{kind="review",level="l1"\} \d+$/m);
  });
});
