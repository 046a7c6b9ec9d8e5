import { describe, expect, it } from "@jest/globals";
import { z } from "zod";
import { RegexScrubber } from "../../test/support/regex-scrubber";
import { ValidatorAgent } from "./validator-agent";

const LEASE = "The Tenant shall pay rent of EUR 1,200 on the first day of each month.\nEither party may terminate with 60 days' written notice.";

describe("ValidatorAgent", () => {
  const validator = new ValidatorAgent({ scrubber: new RegexScrubber(["Jane Roe"]), schemas: { term_extraction: z.object({ terms: z.array(z.object({ name: z.string() })) }) } });

  it("accepts citations that quote the source exactly, by offsets or by text", async () => {
    const start = LEASE.indexOf("60 days' written notice");
    const report = await validator.validate({
      output: { citations: [{ quote: "pay rent of EUR 1,200" }, { quote: "60 days' written notice", start, end: start + 23 }, { quote: "first   day of\neach month" }] },
      spec: { require_citations: true, sources: LEASE },
    });
    expect(report).toEqual({ valid: true, issues: [], checked: ["citations"] });
  });

  it("rejects a quote the source does not contain, wrong offsets, and unknown sources, without echoing the text", async () => {
    const report = await validator.validate({
      output: { findings: [{ citations: [{ quote: "rent of EUR 9,999" }, { quote: "Tenant", start: 0, end: 6 }, { quote: "rent", source: "nda" }] }] },
      spec: { sources: { lease: LEASE } },
    });
    expect(report.valid).toBe(false);
    expect(report.issues).toEqual([
      { rule: "citations", path: "output.findings[0].citations[0]", message: "the 17-character quote does not occur in source 'lease'" },
      { rule: "citations", path: "output.findings[0].citations[1]", message: "the 6-character quote differs from source 'lease' at [0, 6)" },
      { rule: "citations", path: "output.findings[0].citations[2]", message: "it cites source 'nda', which is not among the sources (lease)" },
    ]);
    expect(JSON.stringify(report)).not.toContain("9,999");
  });

  it("requires at least one citation when asked", async () => {
    const report = await validator.validate({ output: { summary: "fine" }, spec: { require_citations: true, sources: LEASE } });
    expect(report.issues).toEqual([{ rule: "citations", path: "output", message: "the result cites nothing, and citations are required" }]);
  });

  it("finds unredacted PII where policy says scrubbed, and passes placeholders", async () => {
    const clean = await validator.validate({ output: { summary: "<PERSON_1> must pay rent; contact <EMAIL_1>." }, spec: { pii: "scrubbed" } });
    expect(clean.valid).toBe(true);
    const leaked = await validator.validate({ output: { summary: "Jane Roe must pay", notes: ["mail jane@example.com or +44 20 7946 0958"] }, spec: { pii: "scrubbed" } });
    expect(leaked.issues).toEqual([
      { rule: "pii", path: "output.summary", message: "contains 1 unredacted PII span(s) of type PERSON (at 0-8)" },
      { rule: "pii", path: "output.notes[0]", message: "contains 2 unredacted PII span(s) of type EMAIL, PHONE (at 5-21, 25-41)" },
    ]);
    expect(JSON.stringify(leaked)).not.toContain("jane@");
  });

  it("fails closed when policy says scrubbed but there is no detector", async () => {
    const bare = new ValidatorAgent({ id: "bare" });
    const report = await bare.validate({ output: "anything", spec: { pii: "scrubbed" } });
    expect(report.valid).toBe(false);
    expect(report.issues[0]!.message).toMatch(/no PII detector/);
  });

  it("enforces confidence thresholds everywhere in the result", async () => {
    const report = await validator.validate({ output: { confidence: 0.9, items: [{ confidence: 0.4 }, { confidence: 0.75 }] }, spec: { min_confidence: 0.7 } });
    expect(report.issues).toEqual([{ rule: "confidence", path: "output.items[0].confidence", message: "confidence 0.4 is below the threshold 0.7" }]);
    const none = await validator.validate({ output: { text: "x" }, spec: { min_confidence: 0.5 } });
    expect(none.issues[0]!.message).toMatch(/reports no confidence/);
  });

  it("validates a capability's output against its registered schema", async () => {
    expect((await validator.validate({ capability: "term_extraction", output: { terms: [{ name: "rent" }] }, spec: {} })).valid).toBe(true);
    const bad = await validator.validate({ capability: "term_extraction", output: { terms: [{ title: "rent" }] }, spec: {} });
    expect(bad.issues).toEqual([{ rule: "schema", path: "output.terms[0].name", message: expect.stringMatching(/expected string/i) }]);
    expect((await validator.validate({ output: 1, spec: { schema: "nope" } })).issues[0]!.message).toBe("no schema named 'nope' is registered with the validator");
  });

  it("as an agent, takes { capability, output, spec } and returns the report, counting the task", async () => {
    const v = new ValidatorAgent({ id: "v2", piiDetector: () => [] });
    const report = await v.run({ id: "t", capability: "validation", input: { output: { confidence: 0.1 }, spec: { min_confidence: 0.5 } } });
    expect(report).toMatchObject({ valid: false, checked: ["confidence"] });
    await expect(v.run({ id: "t2", capability: "validation", input: { spec: { bogus: 1 } } })).rejects.toThrow(/input.spec/);
    expect(v.metrics).toMatchObject({ tasksCompleted: 1, tasksFailed: 0, tasksRefused: 1 }); // an invalid input is a refusal, not a failure (de26ed3)
  });
});

describe("citations as spans", () => {
  it("checks every { start, end, quote } object in the output, wherever it is", async () => {
    const validator = new ValidatorAgent({ id: "spans" });
    const rent = LEASE.indexOf("EUR 1,200");
    const ok = await validator.validate({ output: { amounts: [{ amount: 1200, span: { start: rent, end: rent + 9, quote: "EUR 1,200" } }] }, spec: { require_citations: true, sources: LEASE } });
    expect(ok).toMatchObject({ valid: true });
    const bad = await validator.validate({ output: { amounts: [{ span: { start: rent, end: rent + 9, quote: "EUR 9,999" } }] }, spec: { sources: LEASE } });
    expect(bad.issues).toEqual([{ rule: "citations", path: "output.amounts[0].span", message: `the 9-character quote differs from source 'document' at [${rent}, ${rent + 9})` }]);
  });
});
