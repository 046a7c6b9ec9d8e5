import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import type { StepHandler } from "@bear/workflow-engine";
import { z } from "zod";
import { AgentSystem, DelegationFailedError, Pipeline, defineSpecialist, scrubbingSpecialist } from "../src/index";
import { LEASE } from "./support/fixtures";
import { RegexScrubber } from "./support/regex-scrubber";
import { ScriptedLlm } from "./support/scripted-llm";

/** Quotes what the (scrubbed) document says; on its first call it also leaks an email it "remembers". */
function analyst(leakOnFirstCall: boolean): ScriptedLlm {
  let calls = 0;
  return new ScriptedLlm("scripted-analyst", (prompt) => {
    calls++;
    const doc = prompt.slice(prompt.indexOf("\n\n") + 2);
    const quote = (re: RegExp): { quote: string } => ({ quote: re.exec(doc)?.[0] ?? "(not found)" });
    const leak = leakOnFirstCall && calls === 1 ? " Contact jane.roe@example.com." : "";
    return JSON.stringify({
      summary: `${/<PERSON_\d+>/.exec(doc)?.[0] ?? "The tenant"} pays monthly rent and may leave on notice.${leak}`,
      obligations: [
        { obligation: "pay rent monthly", citations: [quote(/pay rent of EUR [\d,]+/)] },
        { obligation: "give notice", citations: [quote(/\d+ days' written notice/)] },
      ],
      confidence: 0.8,
    });
  });
}

const formatter = defineSpecialist({
  id: "report-formatter",
  name: "Report formatter",
  capabilities: {
    report_formatting: {
      type: "test.format_report",
      parameters: z.object({ analysis: z.object({ summary: z.string(), obligations: z.array(z.object({ obligation: z.string() })) }) }),
      execute: async (ctx: { parameters: { analysis: { summary: string; obligations: Array<{ obligation: string }> } } }) => ({
        markdown: [`# Lease review`, ctx.parameters.analysis.summary, ...ctx.parameters.analysis.obligations.map((o) => `- ${o.obligation}`)].join("\n"),
      }),
    } as unknown as StepHandler<never>,
  },
});

function intakePipeline(): Pipeline {
  return new Pipeline("lease-intake", "extract → scrub → analyse → validate → format")
    .stage({ id: "extract", capability: "file_operations", input: { operation: "read", path: "{{ inputs.input.path }}" } })
    .stage({ id: "scrub", capability: "pii_scrubbing", input: { text: "{{ steps.extract.output.content }}", document_id: "lease" } })
    .stage({
      id: "analyse",
      capability: "llm_generation",
      input: { prompt: "List the tenant's obligations, quoting the lease.\n\n{{ steps.scrub.output.text }}", json_schema: { type: "object" }, temperature: 0 },
      validate: { pii: "scrubbed" },
      attempts: 2,
    })
    .gate({ id: "validate", validate: { pii: "scrubbed", require_citations: true, sources: "{{ steps.scrub.output.text }}", min_confidence: 0.6 } })
    .stage({ id: "format", capability: "report_formatting", input: { analysis: "{{ steps.validate.output.subject.json }}" } });
}

describe("the pipeline pattern (in-memory engine)", () => {
  let dir: string;
  let system: AgentSystem | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agents-pipeline-"));
    fs.mkdirSync(path.join(dir, "contracts"));
    fs.writeFileSync(path.join(dir, "contracts/lease.txt"), LEASE);
  });
  afterEach(async () => {
    await system?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("extracts, scrubs, analyses (retrying a leaky answer), validates and formats", async () => {
    const scrubber = new RegexScrubber(["Jane Roe"]);
    const llm = analyst(true);
    system = await AgentSystem.open({ llm, scrubber, specialists: [scrubbingSpecialist(scrubber), formatter], config: { workspaceRoot: dir } });
    const result = await system.runPipeline(intakePipeline(), { path: "contracts/lease.txt" });

    expect(result.output).toEqual({
      markdown: "# Lease review\n<PERSON_1> pays monthly rent and may leave on notice.\n- pay rent monthly\n- give notice",
    });
    expect(result.outputs["scrub"]).toMatchObject({ replacements: [{ type: "PERSON" }, { type: "EMAIL" }] });
    expect(JSON.stringify(result.outputs["scrub"])).not.toContain("Jane Roe");
    expect(result.outputs["validate"]).toMatchObject({ valid: true, checked: ["citations", "pii", "confidence"] });
    // the first analysis leaked an email: rejected by the in-step check, retried, accepted
    expect(llm.calls).toBe(2);
    expect(result.assignments.map((a) => `${a.stepId}:${a.agentId}#${a.attempt}`)).toEqual([
      "extract:file-executor#1",
      "scrub:pii-scrubber#1",
      "analyse:llm-executor#1",
      "analyse:llm-executor#2",
      "format:report-formatter#1",
    ]);
    expect(system.llm!.usage()).toMatchObject({ modelId: "scripted-analyst", generations: 2 });
  });

  it("runs the gate's fallback when validation fails, and fails the run without one", async () => {
    const scrubber = new RegexScrubber(["Jane Roe"]);
    const withheld = defineSpecialist({
      id: "withholder",
      name: "Withholder",
      capabilities: { withhold: { type: "test.withhold", execute: async () => ({ subject: { json: { summary: "[analysis withheld]", obligations: [] } } }) } as unknown as StepHandler<never> },
    });
    system = await AgentSystem.open({ llm: new ScriptedLlm("no-citations", () => JSON.stringify({ summary: "ok", confidence: 0.9 })), scrubber, specialists: [scrubbingSpecialist(scrubber), formatter, withheld], config: { workspaceRoot: dir } });
    const build = (fallback: boolean): Pipeline =>
      new Pipeline("gated")
        .stage({ id: "scrub", capability: "pii_scrubbing", input: { text: "{{ inputs.input }}" } })
        .stage({ id: "analyse", capability: "llm_generation", input: { prompt: "Summarise.\n\n{{ steps.scrub.output.text }}", json_schema: { type: "object" } } })
        .gate({ id: "validate", validate: { require_citations: true, sources: "{{ steps.scrub.output.text }}" }, ...(fallback ? { fallback: { id: "withhold", capability: "withhold" } } : {}) })
        .stage({ id: "format", capability: "report_formatting", input: { analysis: "{{ steps.validate.output.subject.json }}" } });

    const rescued = await system.runPipeline(build(true), LEASE);
    expect(rescued.output).toEqual({ markdown: "# Lease review\n[analysis withheld]" });

    const error = (await system.runPipeline(build(false), LEASE).catch((e: unknown) => e)) as DelegationFailedError;
    expect(error).toBeInstanceOf(DelegationFailedError);
    expect(error.message).toContain("the result cites nothing, and citations are required");
  });

  it("names a missing stage capability before starting", async () => {
    system = await AgentSystem.open({});
    await expect(system.runPipeline(intakePipeline(), { path: "x" })).rejects.toThrow("no registered agent has the capability 'file_operations'");
  });
});
