import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { quietConfig, tempDirs } from "./support/workspace-fixture";
import { BUILT_IN_WORKFLOWS, builtInWorkflow, openWorkspace, type Workspace } from "@bear/workspace";

// Three real CUAD contracts (smallest first) and a short lease with personal data.
const CUAD = path.resolve(import.meta.dirname, "../../../../shared/data/cuad_train/full_contract_txt");
const contracts = fs
  .readdirSync(CUAD)
  .map((name) => ({ name, size: fs.statSync(path.join(CUAD, name)).size }))
  .sort((a, b) => a.size - b.size)
  .slice(0, 3);
const LEASE =
  "COMMERCIAL LEASE\n\nThis Lease is made between Quillfeather Holdings LLC (Landlord) and Margaret Okonkwo (Tenant), reachable at margaret.okonkwo@example.com or +1 212 555 0143.\n\n4. Rent. The Tenant shall pay rent of five thousand dollars on the first day of each month.\n\n12. Termination. Either party may terminate this Lease on ninety (90) days' written notice.\n\n14. Governing Law. This Lease is governed by the laws of the State of New York.\n";

const tempDir = tempDirs("bear-ws-agents-");
let dir: string;
let files: string;
let workspace: Workspace;
beforeAll(async () => {
  dir = tempDir();
  files = path.join(dir, "files");
  fs.mkdirSync(path.join(files, "contracts"), { recursive: true });
  contracts.forEach((c, i) => fs.copyFileSync(path.join(CUAD, c.name), path.join(files, "contracts", `contract-${i}.txt`)));
  fs.writeFileSync(path.join(files, "contracts", "notes.pdf"), "not a text file"); // skipped by the listing
  fs.writeFileSync(path.join(files, "lease.txt"), LEASE);
  workspace = await openWorkspace({ config: quietConfig(path.join(dir, "ws")), create: true, llm: false, workflowFiles: files });
}, 120_000);
afterAll(async () => {
  await workspace?.dispose();
});

const run = async (name: string, inputs: Record<string, unknown>, options: { matter?: string } = { matter: "acme" }) => {
  const engine = await workspace.workflows();
  const result = await engine.run(builtInWorkflow(name)!.definition, inputs, options);
  return { result, details: engine.getRun(result.runId) };
};

describe("workspace specialists and the built-in pattern workflows", () => {
  it("installs the contract reviewer, PII scrubber, retrieval and drafter as specialists", async () => {
    const agents = await workspace.agents();
    const specialists = agents.listAgents({ type: "specialist" });
    expect(specialists.map((a) => a.id).sort()).toEqual(expect.arrayContaining(["contract-reviewer", "pii-scrubber", "retrieval", "clause-drafter", "legal"]));
    expect(agents.listAgents({ capability: "pii_scrubbing" }).map((a) => a.id)).toContain("pii-scrubber");
    expect(agents.listAgents({ capability: "contract_review" }).map((a) => a.id)).toEqual(["contract-reviewer"]);
    expect(BUILT_IN_WORKFLOWS.map((w) => w.pattern)).toEqual(expect.arrayContaining(["delegation", "pipeline", "collaboration"]));
  });

  it("delegation: reviews every text contract of a folder, one subtask per contract, and summarises the risks", async () => {
    const { result, details } = await run("contract_folder_risks", { folder: "contracts" });
    expect(result.error ?? null).toBeNull();
    expect(result.status).toBe("completed");
    const summary = result.outputs["aggregate"] as { contracts: number; totals: Record<string, number>; ranked: Array<{ source: string }>; headline: string };
    expect(summary.contracts).toBe(3);
    expect(summary.ranked.map((r) => r.source).sort()).toEqual(["contracts/contract-0.txt", "contracts/contract-1.txt", "contracts/contract-2.txt"]);
    const reviews = result.outputs["subtasks"] as Array<{ findings: unknown[]; risks: Record<string, number> }>;
    const total = reviews.reduce((n, r) => n + r.findings.length, 0);
    expect(Object.values(summary.totals).reduce((a, b) => a + b, 0)).toBe(total);
    // every subtask went to an agent chosen by the balancer, and the validator judged it
    const byStep = details.assignments.filter((a) => a.stepId === "subtasks");
    expect(byStep).toHaveLength(3);
    for (const a of byStep) expect(a.assignment).toMatchObject({ agentId: "contract-reviewer", capability: "contract_review", verdict: { valid: true } });
    expect(details.assignments.find((a) => a.stepId === "decompose")?.assignment).toMatchObject({ agentId: "retrieval" });
  }, 120_000);

  it("pipeline: extracts, redacts (validator-checked) and indexes the redacted copy in the run's matter", async () => {
    const { result, details } = await run("extract_redact_index", { path: "lease.txt" });
    expect(result.status).toBe("completed");
    const redacted = result.outputs["redact"] as { text: string; replacements: unknown[] };
    expect(redacted.text).not.toContain("margaret.okonkwo@example.com");
    expect(redacted.text).not.toContain("Margaret Okonkwo");
    expect(redacted.replacements.length).toBeGreaterThan(0);
    const indexed = result.outputs["index"] as { document_id: string; name: string; matter: string };
    expect(indexed).toMatchObject({ name: "lease.redacted.txt", matter: "acme" });
    const rag = await workspace.rag();
    const text = await rag.documentText(indexed.document_id);
    expect(text).toBe(redacted.text);
    expect(details.assignments.map((a) => `${a.stepId}:${String(a.assignment["agentId"])}`)).toEqual(["extract:retrieval", "redact:pii-scrubber", "index:retrieval"]);
    expect(details.assignments.find((a) => a.stepId === "redact")?.assignment).toMatchObject({ verdict: { valid: true, checked: expect.arrayContaining(["pii"]) } });
  }, 120_000);

  it("a run with no matter indexes nothing: the indexing step is refused (RUN_MATTER_MISSING), never put in the default matter", async () => {
    const { result } = await run("extract_redact_index", { path: "lease.txt" }, {});
    expect(result.status).toBe("failed");
    expect(result.error?.message).toContain("the run has no matter");
    const rag = await workspace.rag();
    expect(rag.documents({ matter: "default" })).toEqual([]);
  }, 120_000);

  it("collaboration: drafts a clause summary, and the reviewer's notes are worked in until it is satisfied", async () => {
    const { result, details } = await run("clause_summary", { path: "contracts/contract-0.txt" });
    expect(result.status).toBe("completed");
    const review1 = result.outputs["review_1"] as { satisfied: boolean; missing: Array<{ ruleId: string }> };
    const final = result.outputs["final_review"] as { approved: boolean; satisfied: boolean };
    const draft = result.outputs["latest"] as { version: number; points: Array<{ kind: string; ruleId?: string }> };
    expect(final.approved).toBe(true);
    // the first draft lists clauses only; the reviewer asks for the contract's critical and high
    // risks, and the refinement adds every one of them
    expect(review1.satisfied).toBe(false);
    expect(review1.missing.length).toBeGreaterThan(0);
    expect(result.outputs["review_2"]).toMatchObject({ satisfied: true });
    expect(draft.version).toBe(2);
    for (const m of review1.missing) expect(draft.points.some((p) => p.ruleId === m.ruleId)).toBe(true);
    const agentOf = (step: string) => details.assignments.find((a) => a.stepId === step)?.assignment["agentId"];
    expect([agentOf("research_0"), agentOf("draft"), agentOf("review_1"), agentOf("final_review")]).toEqual(["contract-reviewer", "clause-drafter", "contract-reviewer", "contract-reviewer"]);
  }, 120_000);

  it("a pattern workflow with a mistake fails validation before it runs, naming the field", async () => {
    const engine = await workspace.workflows();
    expect(() => engine.start({ name: "bad", pattern: "pipeline", stages: [] })).toThrow(/stages/);
    expect(() => engine.start({ name: "bad", pattern: "pipeline", stages: [{ id: "a", capability: "no_such_capability" }] })).toThrow(/no_such_capability/);
  });

  it("an agent created through the API comes back when the workspace opens again; a removed one does not", async () => {
    await workspace.createAgent({ type: "specialist", id: "reviewer-2", specialist: "contract-reviewer", maxConcurrentTasks: 3 }, "admin");
    await workspace.createAgent({ type: "executor", id: "bulk-data", capability: "data_processing" }, "admin");
    await workspace.createAgent({ type: "validator", id: "strict" }, "admin");
    await workspace.removeAgent("strict", {}, "admin");
    await workspace.dispose();
    workspace = await openWorkspace({ config: quietConfig(path.join(dir, "ws")), llm: false, workflowFiles: files });
    const agents = await workspace.agents();
    expect(agents.inspectAgent("reviewer-2")).toMatchObject({ type: "specialist", capabilities: expect.arrayContaining(["contract_review"]), load: { capacity: 3 } });
    expect(agents.inspectAgent("bulk-data")).toMatchObject({ type: "executor", capabilities: ["data_processing"] });
    expect(() => agents.inspectAgent("strict")).toThrow(/strict/);
    expect(fs.statSync(path.join(dir, "ws", "state", "agents.json")).mode & 0o777).toBe(0o600);
  }, 120_000);
});
