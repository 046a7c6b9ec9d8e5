import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { defaultBearConfig } from "@bear/core";
import { openWorkspace, type Workspace } from "@bear/workspace";
import { quietConfig, tempDirs } from "./support/workspace-fixture";

// Two real plugins, each started in its own contained process by the workspace's plugin host.
const FIXTURES = path.resolve(import.meta.dirname, "fixtures/plugins");

const tempDir = tempDirs("bear-ws-plugin-tools-");
let workspace: Workspace;
beforeAll(async () => {
  const dir = path.join(tempDir(), "ws");
  workspace = await openWorkspace({ config: quietConfig(dir, { plugins: { ...defaultBearConfig(dir).plugins, dirs: [FIXTURES] } }), create: true, llm: false });
}, 120_000);
afterAll(async () => {
  await workspace?.dispose();
});

describe("plugin tools in the agents' tool registry", () => {
  it("a plugin's tool runs in a tool_execution step, in the plugin's own process, its arguments checked by its JSON Schema", async () => {
    const engine = await workspace.workflows();
    const result = await engine.run(
      { name: "clauses", steps: [{ id: "lookup", type: "tool_execution", parameters: { tool: "clause.lookup", topic: "termination", max: 1 } }] },
      {},
    );
    expect(result.error ?? null).toBeNull();
    const output = result.outputs["lookup"] as { topic: string; clauses: string[]; count: number; pid: number };
    expect(output).toMatchObject({ topic: "termination", count: 1, clauses: ["Either party may terminate this Agreement on thirty (30) days' written notice."] });
    expect(output.pid).not.toBe(process.pid);
    expect(engine.getRun(result.runId).assignments[0]?.assignment).toMatchObject({ agentId: "tool-executor", capability: "tool_execution", outcome: "completed" });
  });

  it("lists the plugin's tool with its schema; a built-in tool keeps its name; a schema the host would have to run code for is refused", async () => {
    await workspace.workflows();
    const tools = (await workspace.agents()).tools;
    const lookup = tools.list().find((t) => t.name === "clause.lookup");
    expect(lookup?.inputSchema).toMatchObject({ type: "object", required: ["topic"], properties: { topic: { enum: ["termination", "confidentiality", "governing_law"] } } });
    // the plugin's 'search' did not replace the rag search tool
    expect(tools.list().find((t) => t.name === "search")?.description).not.toBe("Not the real search");
    expect(tools.has("slow.match")).toBe(false);
    const rows = await workspace.plugins.loaded().then((h) => h.plugins());
    expect(rows.find((p) => p.name === "greedy-schema")).toMatchObject({ state: "refused", error: expect.objectContaining({ message: expect.stringContaining("pattern is not allowed") }) });
  });

  it("unknown tools and arguments the plugin's schema refuses fail validation before the run starts", async () => {
    const engine = await workspace.workflows();
    const runsBefore = engine.listRuns().length;
    const start = (parameters: Record<string, unknown>) => () => engine.start({ name: "bad", steps: [{ id: "t", type: "tool_execution", parameters }] }, {});
    expect(start({ tool: "slow.match", text: "aaaa" })).toThrow("unknown tool 'slow.match'");
    expect(start({ tool: "clause.lokup", topic: "termination" })).toThrow("unknown tool 'clause.lokup'");
    expect(start({ tool: "clause.lookup", topic: "weather" })).toThrow("parameters.topic");
    expect(start({ tool: "clause.lookup", topic: "termination", max: 9 })).toThrow("parameters.max");
    expect(start({ tool: "clause.lookup", topic: "termination", extra: true })).toThrow("extra");
    expect(engine.listRuns().length).toBe(runsBefore);
  });

  it("keeps the plugin's containment: its tool cannot read the workspace's files", async () => {
    const engine = await workspace.workflows();
    const keys = workspace.folder.paths.plainKeysFile; // the workspace's keys: outside anything the plugin was granted
    expect(fs.existsSync(keys)).toBe(true);
    const result = await engine.run({ name: "peek", steps: [{ id: "peek", type: "tool_execution", retry: { attempts: 1 }, parameters: { tool: "file.peek", path: keys } }] }, {});
    expect(result.status).toBe("failed");
    // Node's permission model (ERR_ACCESS_DENIED) or, under bubblewrap, a file that does not exist in the plugin's mount namespace
    expect(result.error?.message).toMatch(/ERR_ACCESS_DENIED|ENOENT|no such file|Access to this API has been restricted/i);
    const stored = JSON.stringify(engine.getRun(result.runId));
    expect(stored).not.toContain(fs.readFileSync(keys, "utf8").slice(0, 40));
  });
});
