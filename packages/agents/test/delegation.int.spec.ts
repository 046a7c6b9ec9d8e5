import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import type { JsonValue, StepHandler } from "@bear/workflow-engine";
import { z } from "zod";
import { AgentSystem, DelegationFailedError, NoCapableAgentError, defineSpecialist, type DelegationResult } from "../src/index";
import { LEASE, extractTerms, legalTestSpecialists } from "./support/fixtures";
import { RegexScrubber } from "./support/regex-scrubber";

const ANALYSIS = {
  requirements: ["term_extraction", "risk_assessment", "compliance_check"],
  dependencies: { risk_assessment: ["term_extraction"] },
  subtaskValidation: { term_extraction: { require_citations: true, sources: LEASE, min_confidence: 0.7 } },
  validate: { sources: LEASE, min_confidence: 0.5 },
};

describe("task delegation through the coordinator (SQLite-backed engine)", () => {
  let dir: string;
  let system: AgentSystem;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agents-delegation-"));
    system = await AgentSystem.open({ dbPath: path.join(dir, "runs.db"), scrubber: new RegexScrubber(["Jane Roe"]), taskTypes: { legal_document_analysis: ANALYSIS } });
  });
  afterEach(async () => {
    await system.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("decomposes, runs independent subtasks in parallel, aggregates and validates", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let release!: () => void;
    const bothStarted = new Promise<void>((r) => (release = r));
    const specialists = legalTestSpecialists(async (type) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (inFlight === 2) release();
      // the two independent subtasks wait for each other: this only finishes if they overlap
      if (type !== "test.assess_risk") {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([bothStarted, new Promise((r) => (timer = setTimeout(r, 2000)))]);
        clearTimeout(timer);
      }
      inFlight--;
    });
    for (const s of Object.values(specialists)) system.installSpecialist(s);

    const plan = system.coordinator.plan({ type: "legal_document_analysis", input: { document: LEASE } });
    expect(plan.waves).toEqual([["term_extraction", "compliance_check"], ["risk_assessment"]]);
    expect(plan.predictedAssignments).toEqual({
      term_extraction: { agentId: "term-extractor", score: expect.any(Number) },
      risk_assessment: { agentId: "risk-assessor", score: expect.any(Number) },
      compliance_check: { agentId: "compliance-checker", score: expect.any(Number) },
    });

    const result: DelegationResult = await system.delegate({ type: "legal_document_analysis", input: { document: LEASE } });
    expect(maxInFlight).toBe(2);
    expect(result.results["term_extraction"]).toEqual(extractTerms(LEASE));
    expect(result.results["risk_assessment"]).toMatchObject({ risks: [{ term: "liability", level: "high" }] });
    expect(result.results["compliance_check"]).toMatchObject({ compliant: true });
    expect(result.output).toEqual({ taskType: "legal_document_analysis", results: result.results });
    expect(result.validation).toEqual({ valid: true, checked: ["citations", "confidence"] });
    expect(result.assignments.map((a) => [a.capability, a.agentId])).toEqual(
      expect.arrayContaining([
        ["term_extraction", "term-extractor"],
        ["compliance_check", "compliance-checker"],
        ["risk_assessment", "risk-assessor"],
      ]),
    );
    // durable: the run and its steps are in SQLite
    const run = system.engine.getRun(result.runId);
    expect(run.status).toBe("completed");
    expect(run.progress).toMatchObject({ total: 5, completed: 5 });
    expect(system.inspectAgent("coordinator").metrics.tasksCompleted).toBe(1);
  });

  it("retries a rejected result on another agent", async () => {
    const { risk, compliance } = legalTestSpecialists();
    system.installSpecialist(risk);
    system.installSpecialist(compliance);
    // 'a-sloppy' wins the tie on the first attempt, and cites text the lease does not contain
    const sloppy: StepHandler<never> = { type: "test.sloppy_terms", execute: async () => ({ terms: [{ name: "rent", citations: [{ quote: "rent of EUR 9,999" }] }], confidence: 0.9 }) } as unknown as StepHandler<never>;
    const careful: StepHandler<never> = { type: "test.careful_terms", parameters: z.object({ document: z.string() }), execute: async (ctx: { parameters: { document: string } }) => extractTerms(ctx.parameters.document) as unknown as JsonValue } as unknown as StepHandler<never>;
    system.installSpecialist(defineSpecialist({ id: "a-sloppy", name: "Sloppy", capabilities: { term_extraction: sloppy } }));
    system.installSpecialist(defineSpecialist({ id: "b-careful", name: "Careful", capabilities: { term_extraction: careful } }));

    const result = await system.delegate({ type: "legal_document_analysis", input: { document: LEASE } });
    const attempts = result.assignments.filter((a) => a.capability === "term_extraction").map((a) => [a.attempt, a.agentId]);
    expect(attempts).toEqual([
      [1, "a-sloppy"],
      [2, "b-careful"],
    ]);
    expect(system.inspectAgent("a-sloppy").metrics).toMatchObject({ tasksFailed: 1, tasksCompleted: 0 });
    const failed = system.engine.history(result.runId).find((e) => e.type === "step.retried");
    expect(JSON.stringify(failed)).toContain("RESULT_REJECTED");
    // a rejected agent is now ranked below the careful one
    const ranked = system.balancer.rank("term_extraction", system.registry.capableOf("term_extraction"));
    expect(ranked[0]!.agentId).toBe("b-careful");
  });

  it("refuses before running anything when no agent has a required capability, naming it", async () => {
    const { terms } = legalTestSpecialists();
    system.installSpecialist(terms);
    const runsBefore = system.engine.listRuns().length;
    const attempt = system.delegate({ type: "legal_document_analysis", input: { document: LEASE } });
    await expect(attempt).rejects.toThrow(NoCapableAgentError);
    await expect(system.delegate({ type: "legal_document_analysis", input: { document: LEASE } })).rejects.toThrow("no registered agent has the capability 'risk_assessment'");
    expect(system.engine.listRuns().length).toBe(runsBefore);
  });

  it("reports a failed delegation with the run id and the subtask's reason once retries run out", async () => {
    const { risk, compliance } = legalTestSpecialists();
    system.installSpecialist(risk);
    system.installSpecialist(compliance);
    const lowConfidence: StepHandler<never> = { type: "test.unsure_terms", execute: async () => ({ ...extractTerms(LEASE), confidence: 0.2 }) } as unknown as StepHandler<never>;
    system.installSpecialist(defineSpecialist({ id: "unsure", name: "Unsure", capabilities: { term_extraction: lowConfidence } }));
    const error = (await system.delegate({ type: "legal_document_analysis", input: { document: LEASE } }).catch((e: unknown) => e)) as DelegationFailedError;
    expect(error).toBeInstanceOf(DelegationFailedError);
    expect(error.message).toMatch(/task 'legal_document_analysis' \(run '.+'\) ended failed: .*confidence 0.2 is below the threshold 0.7/);
    expect(system.engine.getRun(error.runId).status).toBe("failed");
    expect(system.inspectAgent("unsure").metrics.tasksFailed).toBe(3);
  });

  it("decomposes an ad-hoc task from its requirements and aggregates with a custom aggregator", async () => {
    const { terms, compliance } = legalTestSpecialists();
    system.installSpecialist(terms);
    system.installSpecialist(compliance);
    system.coordinator.defineTaskType("quick_check", {
      requirements: ["term_extraction", "compliance_check"],
      aggregate: (results) => ({ termCount: ((results["term_extraction"] as { terms: unknown[] }).terms).length, compliant: (results["compliance_check"] as { compliant: boolean }).compliant }),
    });
    const result = await system.delegate({ type: "quick_check", input: { document: LEASE } });
    expect(result.output).toEqual({ termCount: 4, compliant: true });
    const adhoc = await system.delegate({ type: "one_off", requirements: ["compliance_check"], input: { document: LEASE } });
    expect(adhoc.results["compliance_check"]).toMatchObject({ compliant: true });
    await expect(system.delegate({ type: "unknown_kind", input: {} })).rejects.toThrow("task type 'unknown_kind' is not defined and the task lists no requirements");
  });

  it("a coordinated task's subtasks run in the matter of the run (or delegate call) that asked, never in another", async () => {
    const seen: Array<string | null> = [];
    const echo: StepHandler<never> = { type: "test.matter_echo", execute: async (ctx: { matter?: string }) => (seen.push(ctx.matter ?? null), { matter: ctx.matter ?? null }) } as unknown as StepHandler<never>;
    system.installSpecialist(defineSpecialist({ id: "echo", name: "Echo", capabilities: { matter_echo: echo } }));
    const task = { type: "echo", requirements: ["matter_echo"], input: {} };
    // from a workflow step of a run of matter acme: the nested run is kept with matter acme
    const outer = await system.engine.run({ name: "outer", steps: [{ id: "t", type: "agent.task", parameters: { capability: "task_coordination", input: task } }] }, {}, { matter: "acme" });
    expect(outer.status).toBe("completed");
    const nested = (outer.outputs["t"] as unknown as DelegationResult).runId;
    expect(system.engine.getRun(nested).matter).toBe("acme");
    expect((await system.delegate(task, { matter: "globex" })).results["matter_echo"]).toEqual({ matter: "globex" });
    // a delegation for no matter gives its subtasks none (a step that needs one refuses)
    expect((await system.delegate(task)).results["matter_echo"]).toEqual({ matter: null });
    expect(seen).toEqual(["acme", "globex", null]);
  });

  it("a coordinated task's nested run acts as whoever started the parent run (or delegated), not as the parent run", async () => {
    const seen: Array<{ runId: string; actor: string | null }> = [];
    const who: StepHandler<never> = { type: "test.actor_echo", execute: async (ctx: { runId: string; actor?: string }) => (seen.push({ runId: ctx.runId, actor: ctx.actor ?? null }), { actor: ctx.actor ?? null }) } as unknown as StepHandler<never>;
    system.installSpecialist(defineSpecialist({ id: "who", name: "Who", capabilities: { actor_echo: who } }));
    const task = { type: "who", requirements: ["actor_echo"], input: {} };
    const outer = await system.engine.run({ name: "outer", steps: [{ id: "t", type: "agent.task", parameters: { capability: "task_coordination", input: task } }] }, {}, { runId: "outer-run", matter: "acme", actor: "alice" });
    expect(outer.status).toBe("completed");
    const nested = (outer.outputs["t"] as unknown as DelegationResult).runId;
    expect(system.engine.getRun(nested)).toMatchObject({ actor: "alice", matter: "acme" });
    expect(seen).toEqual([{ runId: nested, actor: "alice" }]);
    expect((await system.delegate(task, { actor: "bob" })).results["actor_echo"]).toEqual({ actor: "bob" });
    // a parent run started by nobody named: its nested run names nobody either
    const unnamed = await system.engine.run({ name: "outer", steps: [{ id: "t", type: "agent.task", parameters: { capability: "task_coordination", input: task } }] });
    expect(system.engine.getRun((unnamed.outputs["t"] as unknown as DelegationResult).runId).actor).toBeNull();
    await expect(system.delegate(task, { actor: "bob\nforged" })).rejects.toThrow(/invalid actor/);
  });
});
