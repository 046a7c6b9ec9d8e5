import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { bear, initWorkspace, json, removeTempDirs, spawnBear, tempDir } from "./harness";

// Real CUAD contracts (the smallest ones): enough reviews that a kill lands mid-run.
const CUAD = path.resolve(import.meta.dirname, "../../../../shared/data/cuad_train/full_contract_txt");
const CONTRACTS = 10;

type Step = { id: string; index: number | null; status: string; attempt: number; agent: Record<string, unknown> | null };
type RunJson = { runId: string; status: string; outputs: Record<string, unknown>; steps: Step[] };

/** `bear workflow run`, SIGKILLed as soon as stderr shows `line`; resolves with what it printed. */
function runUntil(args: readonly string[], cwd: string, line: RegExp): Promise<{ stderr: string; killed: boolean }> {
  const child = spawnBear(args, { cwd });
  child.stdout.resume();
  let stderr = "";
  let killed = false;
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    if (!killed && line.test(stderr)) {
      killed = true;
      child.kill("SIGKILL");
    }
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  return new Promise((resolve) =>
    child.on("close", () => {
      clearTimeout(timer);
      resolve({ stderr, killed });
    }),
  );
}

describe("bear workflow run <built-in agent workflow>", () => {
  let ws: string;
  let dir: string;
  const inWs = (args: string[]) => bear(["--data-dir", ws, ...args], { cwd: dir });

  beforeAll(() => {
    ws = initWorkspace("agent-wf");
    dir = tempDir("agent-wf-files");
    fs.mkdirSync(path.join(dir, "contracts"));
    const smallest = fs
      .readdirSync(CUAD)
      .map((name) => ({ name, size: fs.statSync(path.join(CUAD, name)).size }))
      .sort((a, b) => a.size - b.size)
      .slice(0, CONTRACTS);
    smallest.forEach((c, i) => fs.copyFileSync(path.join(CUAD, c.name), path.join(dir, "contracts", `contract-${String(i).padStart(2, "0")}.txt`)));
    fs.writeFileSync(path.join(dir, "lease.txt"), "LEASE between Harriet Vandermeer (Tenant), harriet.vandermeer@example.org, and Oakline Estates Ltd.\n\n1. Rent. The Tenant shall pay rent monthly.\n\n2. Termination. Either party may terminate on 30 days' notice.\n");
  });
  afterAll(removeTempDirs);

  it("lists the built-in workflows, one per agent pattern", () => {
    const list = json<{ workflows: Array<{ name: string; pattern: string | null }> }>(inWs(["workflow", "builtins", "--json"]));
    expect(list.workflows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "contract_folder_risks", pattern: "delegation" }),
        expect.objectContaining({ name: "extract_redact_index", pattern: "pipeline" }),
        expect.objectContaining({ name: "clause_summary", pattern: "collaboration" }),
      ]),
    );
    expect(inWs(["workflow", "builtins", "--show", "clause_summary"]).stdout).toContain("pattern: collaboration");
  });

  it("runs the pipeline and the collaboration by name with no model, showing each step's agent", () => {
    const pipeline = inWs(["workflow", "run", "extract_redact_index", "--files", dir, "-i", "path=lease.txt", "--json"]);
    expect(pipeline.status).toBe(0);
    const p = json<RunJson>(pipeline);
    expect(p.status).toBe("completed");
    expect((p.outputs["redact"] as { text: string }).text).not.toContain("harriet.vandermeer@example.org");
    expect(Object.fromEntries(p.steps.map((s) => [s.id, s.agent?.["agentId"]]))).toEqual({ extract: "retrieval", redact: "pii-scrubber", index: "retrieval" });
    const human = inWs(["workflow", "run", "clause_summary", "--files", dir, "-i", "path=contracts/contract-00.txt", "--no-progress"]);
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/draft by clause-drafter \(score [\d.]+\), validator: valid/);
    expect(human.stdout).toMatch(/final_review by contract-reviewer/);
  });

  it("a delegation killed with SIGKILL mid-run resumes with `bear workflow resume`: finished reviews are not run again", async () => {
    const args = ["--data-dir", ws, "workflow", "run", "contract_folder_risks", "--files", dir, "-i", "folder=contracts", "--run-id", "risks-1", "--parallelism", "1", "--no-progress"];
    // killed once review 2 has finished: with parallelism 1 it started only after reviews 0 and 1
    // were committed (a completion is printed before it is committed, so the kill may lose review 2)
    const killed = await runUntil(args, dir, /subtasks\[2\] completed/);
    expect(killed.killed).toBe(true);
    expect(killed.stderr).toMatch(/subtasks\[0\] by contract-reviewer \(score [\d.]+\), validator: valid/);

    const before = json<RunJson & { progress: { completed: number } }>(inWs(["workflow", "status", "risks-1", "--json"]));
    expect(before.status).toBe("running");
    const doneBefore = before.steps.filter((s) => s.id === "subtasks" && s.index !== null && s.status === "completed").map((s) => s.index);
    expect(doneBefore.length).toBeGreaterThanOrEqual(2);
    expect(doneBefore.length).toBeLessThan(CONTRACTS);

    const resumed = inWs(["workflow", "resume", "risks-1", "--json"]);
    expect(resumed.status).toBe(0);
    const run = json<RunJson>(resumed);
    expect(run.status).toBe("completed");
    const summary = run.outputs["aggregate"] as { contracts: number; ranked: Array<{ source: string }> };
    expect(summary.contracts).toBe(CONTRACTS);
    expect(new Set(summary.ranked.map((r) => r.source)).size).toBe(CONTRACTS);
    // a review finished before the kill kept its first (and only) attempt
    const items = run.steps.filter((s) => s.id === "subtasks" && s.index !== null);
    expect(items).toHaveLength(CONTRACTS);
    for (const s of items) {
      expect(s.status).toBe("completed");
      expect(s.agent).toMatchObject({ agentId: "contract-reviewer", verdict: { valid: true } });
      if (doneBefore.includes(s.index)) expect(s.attempt).toBe(1);
    }
    expect(run.steps.find((s) => s.id === "aggregate")?.agent).toMatchObject({ agentId: "contract-reviewer", capability: "risk_summary" });
  }, 120_000);
});
