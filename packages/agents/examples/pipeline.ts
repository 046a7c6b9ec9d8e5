// Pipeline: extract → scrub → analyse → validate → format, one durable workflow.
// Run: npx tsx packages/agents/examples/pipeline.ts
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { GenerateRequest, GenerateResult, Llm, ScrubbedText, Scrubber } from "@bear/core";
import { z } from "zod";
// In an app: `from "@bear/agents"`.
import { AgentSystem, Pipeline, defineSpecialist, scrubbingSpecialist, type PipelineResult } from "../src/index";

/** Stand-in for @bear/security's scrubber: replaces e-mail addresses and one known name. */
const scrubber: Scrubber = {
  async scrub(text): Promise<ScrubbedText> {
    const replacements: Array<{ type: string; start: number; end: number }> = [];
    let out = "";
    let last = 0;
    for (const m of text.matchAll(/[\w.+-]+@[\w.-]+\.[a-z]{2,}|Jane Roe/g)) {
      out += text.slice(last, m.index);
      const placeholder = m[0].includes("@") ? "<EMAIL_1>" : "<PERSON_1>";
      replacements.push({ type: m[0].includes("@") ? "EMAIL" : "PERSON", start: out.length, end: out.length + placeholder.length });
      out += placeholder;
      last = m.index + m[0].length;
    }
    return { text: out + text.slice(last), replacements, toOriginalSpan: (s, e) => ({ start: s, end: e }) };
  },
};

/** Stand-in for a real model (swap in `modelManager.llm("…")`): answers with quotes from the prompt. */
const llm: Llm = {
  id: "example-analyst",
  contextSize: 4096,
  countTokens: async (t) => t.split(/\s+/).length,
  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const doc = request.prompt ?? (request.messages ?? []).map((m) => m.content).join("\n");
    const text = JSON.stringify({
      summary: "<PERSON_1> rents the flat and may leave on notice.",
      obligations: [
        { obligation: "pay rent monthly", citations: [{ quote: /pay rent of EUR [\d,]+/.exec(doc)?.[0] ?? "" }] },
        { obligation: "give notice", citations: [{ quote: /\d+ days' written notice/.exec(doc)?.[0] ?? "" }] },
      ],
      confidence: 0.8,
    });
    return { text, tokensUsed: 40, promptTokens: 60, generationTime: 1, tokensPerSecond: 40_000, finishReason: "stop" };
  },
  async *stream(request) {
    const result = await this.generate(request);
    yield { text: result.text };
    return result;
  },
};

const formatter = defineSpecialist({
  id: "report-formatter",
  name: "Report formatter",
  capabilities: {
    report_formatting: {
      type: "example.format_report",
      parameters: z.object({ analysis: z.object({ summary: z.string(), obligations: z.array(z.object({ obligation: z.string() })) }) }),
      execute: async (ctx: { parameters: { analysis: { summary: string; obligations: Array<{ obligation: string }> } } }) => ({
        markdown: [`# Lease review`, ctx.parameters.analysis.summary, ...ctx.parameters.analysis.obligations.map((o) => `- ${o.obligation}`)].join("\n"),
      }),
    } as never,
  },
});

export async function main(): Promise<PipelineResult> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "bear-pipeline-"));
  fs.writeFileSync(path.join(workspace, "lease.txt"), "Jane Roe (jane@example.com) shall pay rent of EUR 1,200 monthly and may terminate with 60 days' written notice.");
  const system = await AgentSystem.open({ llm, scrubber, specialists: [scrubbingSpecialist(scrubber), formatter], config: { workspaceRoot: workspace } });
  try {
    const pipeline = new Pipeline("lease-intake")
      .stage({ id: "extract", capability: "file_operations", input: { operation: "read", path: "{{ inputs.input.path }}" } })
      .stage({ id: "scrub", capability: "pii_scrubbing", input: { text: "{{ steps.extract.output.content }}" } })
      .stage({
        id: "analyse",
        capability: "llm_generation",
        input: { prompt: "List the tenant's obligations, quoting the lease.\n\n{{ steps.scrub.output.text }}", json_schema: { type: "object" } },
        validate: { pii: "scrubbed" }, // a leaky answer is rejected and retried
        attempts: 2,
      })
      .gate({ id: "validate", validate: { pii: "scrubbed", require_citations: true, sources: "{{ steps.scrub.output.text }}", min_confidence: 0.6 } })
      .stage({ id: "format", capability: "report_formatting", input: { analysis: "{{ steps.validate.output.subject.json }}" } });
    const result = await system.runPipeline(pipeline, { path: "lease.txt" });
    process.stdout.write(`${(result.output as { markdown: string }).markdown}\n`);
    process.stdout.write(`stages: ${result.assignments.map((a) => `${a.stepId}→${a.agentId}`).join(", ")}\n`);
    return result;
  } finally {
    await system.dispose();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
