import { describe, expect, it } from "@jest/globals";
import { WorkflowParseError, WorkflowValidationError } from "../errors";
import { parseWorkflowText } from "./parse-workflow";
import { assertValidWorkflow, validateWorkflow } from "./validate-workflow";

const catalog = { has: (t: string) => ["work", "data_processing"].includes(t), types: () => ["work", "data_processing"] };
const step = (id: string, extra: Record<string, unknown> = {}) => ({ id, type: "work", ...extra });
const issuesOf = (wf: unknown) => {
  const result = validateWorkflow(wf, catalog);
  if (result.ok) throw new Error("expected the workflow to be invalid");
  return result.issues;
};

describe("validateWorkflow", () => {
  it("accepts a valid workflow and applies defaults", () => {
    const result = validateWorkflow({ name: "ok", steps: [step("a"), step("b", { depends_on: ["a"], parameters: { x: "{{ steps.a.output }}" } })] }, catalog);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.workflow.steps[0]).toMatchObject({ depends_on: [], parameters: {}, on_error: "fail" });
  });

  it("names the exact path of a missing dependency", () => {
    expect(issuesOf({ name: "w", steps: [step("a"), step("b"), step("c"), step("d", { depends_on: ["extrat"] })] })).toEqual([
      { path: "steps[3].depends_on[0]", message: "step 'extrat' does not exist (known steps: a, b, c, d)" },
    ]);
  });

  it("reports a dependency cycle with its members", () => {
    const issues = issuesOf({ name: "w", steps: [step("a", { depends_on: ["c"] }), step("b", { depends_on: ["a"] }), step("c", { depends_on: ["b"] })] });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toMatch(/^dependency cycle (a -> c -> b -> a|b -> a -> c -> b|c -> b -> a -> c)$/);
    expect(issues[0]!.path).toMatch(/^steps\[\d\]\.depends_on\[0\]$/);
  });

  it("detects cycles in a long chain without overflowing the stack", () => {
    const steps = Array.from({ length: 20_000 }, (_, i) => step(`s${i}`, { depends_on: [`s${(i + 1) % 20_000}`] }));
    expect(issuesOf({ name: "w", steps })[0]!.message).toMatch(/^dependency cycle/);
  });

  it("reports unknown step types, duplicate ids, self-dependencies and schema errors by path", () => {
    expect(
      issuesOf({
        name: "w",
        steps: [step("a"), { id: "a", type: "warp" }, step("c", { depends_on: ["c"] }), step("d", { retry: { attempts: 0 } }), step("e", { dependson: ["a"] })],
      }),
    ).toEqual(
      expect.arrayContaining([
        { path: "steps[3].retry.attempts", message: expect.stringContaining(">=1") },
        { path: "steps[4]", message: "unknown field 'dependson'" },
      ]),
    );
    expect(issuesOf({ name: "w", steps: [step("a"), { id: "a", type: "warp" }, step("c", { depends_on: ["c"] })] })).toEqual([
      { path: "steps[1].id", message: "duplicate step id 'a' (first used at steps[0])" },
      { path: "steps[1].type", message: "unknown step type 'warp' (registered: data_processing, work)" },
      { path: "steps[2].depends_on[0]", message: "step 'c' depends on itself" },
    ]);
    expect(issuesOf({ name: "", steps: [] })).toEqual([
      { path: "name", message: "expected a workflow name" },
      { path: "steps", message: "a workflow needs at least one step" },
    ]);
    expect(issuesOf({ name: "w", steps: [step("a", { timeout: "soon" })] })[0]).toMatchObject({ path: "steps[0].timeout" });
  });

  it("reports bad references: unknown roots, undeclared inputs, unknown steps, steps that are not dependencies, item outside for_each", () => {
    const issues = issuesOf({
      name: "w",
      inputs: { contract: { type: "string" } },
      steps: [
        step("a"),
        step("b", {
          parameters: {
            p1: "{{ env.HOME }}",
            p2: "{{ inputs.contrat }}",
            nested: { list: ["{{ steps.zzz.output }}", "{{ steps.a.output }}"] },
            p3: "{{ item }}",
            p4: "{{ steps.b.output }}",
            p5: "{{ steps. }}",
          },
        }),
        step("c", { depends_on: ["a"], parameters: { p: "{{ steps.a.result }}" }, when: "steps.b.output.ok" }),
      ],
    });
    expect(issues).toEqual([
      { path: "steps[1].parameters.p1", message: "reference 'env.HOME' must start with inputs, steps, item, index or run" },
      { path: "steps[1].parameters.p2", message: "reference 'inputs.contrat' names input 'contrat', which is not declared (declared: contract)" },
      { path: "steps[1].parameters.nested.list[0]", message: "reference 'steps.zzz.output' names step 'zzz', which does not exist (known steps: a, b, c)" },
      { path: "steps[1].parameters.nested.list[1]", message: "reference 'steps.a.output' reads step 'a', which is not among the dependencies of 'b'; add it to depends_on" },
      { path: "steps[1].parameters.p3", message: "reference 'item' is only available in a step with for_each" },
      { path: "steps[1].parameters.p4", message: "reference 'steps.b.output' reads the step's own output" },
      { path: "steps[1].parameters.p5", message: `reference "{{ steps. }}" is malformed at character 9: expected a name, found ' '` },
      { path: "steps[2].parameters.p", message: "reference 'steps.a.result' must continue with .output, .status or .error" },
      { path: "steps[2].when", message: "reference 'steps.b.output.ok' reads step 'b', which is not among the dependencies of 'c'; add it to depends_on" },
    ]);
  });

  it("accepts transitive dependencies and item/index inside for_each", () => {
    const result = validateWorkflow(
      {
        name: "w",
        steps: [step("a"), step("b", { depends_on: ["a"] }), step("c", { depends_on: ["b"], for_each: "{{ steps.a.output.list }}", parameters: { x: "{{ item.name }} {{ index }}" } })],
      },
      catalog,
    );
    expect(result.issues).toEqual([]);
  });

  it("checks fallbacks: existing, not chained, not depended on, and only on the primary's dependencies", () => {
    expect(
      issuesOf({
        name: "w",
        steps: [
          step("a"),
          step("p", { depends_on: ["a"], on_error: { fallback: "f" } }),
          step("f", { depends_on: ["x"] }),
          step("x"),
          step("q", { on_error: { fallback: "nope" } }),
          step("r", { depends_on: ["f"] }),
        ],
      }),
    ).toEqual([
      { path: "steps[2].depends_on[0]", message: "fallback step 'f' may only depend on steps that 'p' depends on, not 'x'" },
      { path: "steps[4].on_error.fallback", message: "fallback step 'nope' does not exist (known steps: a, p, f, x, q, r)" },
      { path: "steps[5].depends_on[0]", message: "'f' is the fallback of 'p' and runs only if it fails; depend on 'p' instead" },
    ]);
  });

  it("assertValidWorkflow throws one error listing every issue with its path", () => {
    expect(() => assertValidWorkflow({ name: "contract-review", steps: [step("a", { depends_on: ["b"] })] }, catalog)).toThrow(
      new WorkflowValidationError("contract-review", [{ path: "steps[0].depends_on[0]", message: "step 'b' does not exist (known steps: a)" }]),
    );
  });
});

describe("parseWorkflowText", () => {
  it("reads YAML and JSON to the same definition", () => {
    const yaml = "name: w\nsteps:\n  - id: a\n    type: work\n    depends_on: []\n";
    const json = JSON.stringify({ name: "w", steps: [{ id: "a", type: "work", depends_on: [] }] });
    expect(parseWorkflowText(yaml)).toEqual(parseWorkflowText(json));
  });

  it("parses a text sent again once, and hands each caller a copy of its own", () => {
    const yaml = `name: memo-${Math.random()}\nsteps:\n  - id: a\n    type: work\n    parameters: { list: [1, 2], text: "{{ inputs.text }}" }\n`;
    const first = parseWorkflowText(yaml) as { steps: Array<{ parameters: { list: number[] } }> };
    const again = parseWorkflowText(yaml) as typeof first;
    expect(again).toEqual(first);
    first.steps[0]!.parameters.list.push(3);
    (first as { name?: string }).name = "changed";
    const third = parseWorkflowText(yaml) as typeof first;
    expect(third.steps[0]!.parameters.list).toEqual([1, 2]);
    expect((third as { name?: string }).name).toMatch(/^memo-/);
    expect(third).not.toBe(again);
    // a bad text fails every time, with its message
    expect(() => parseWorkflowText("name: a\nname: b\n")).toThrow(WorkflowParseError);
    expect(() => parseWorkflowText("name: a\nname: b\n")).toThrow(WorkflowParseError);
  });

  it("reports syntax errors and duplicate keys as WorkflowParseError", () => {
    expect(() => parseWorkflowText("{ bad json", { format: "json", source: "w.json" })).toThrow(WorkflowParseError);
    expect(() => parseWorkflowText("name: a\nname: b\n", { source: "w.yaml" })).toThrow(/workflow w\.yaml could not be parsed: YAML syntax/);
  });

  it("refuses YAML alias bombs", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 8; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`);
    expect(() => parseWorkflowText(lines.join("\n"))).toThrow(WorkflowParseError);
  });
});
