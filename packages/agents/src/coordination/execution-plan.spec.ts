import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { AgentError } from "../errors";
import { planWaves, stepIdFor, type Subtask } from "./execution-plan";

const sub = (id: string, dependsOn: string[] = []): Subtask => ({ id, capability: id, dependsOn, input: null });

describe("execution plan", () => {
  it("orders subtasks in waves of independent work", () => {
    expect(planWaves([sub("a"), sub("b", ["a"]), sub("c"), sub("d", ["b", "c"])])).toEqual([["a", "c"], ["b"], ["d"]]);
  });

  it("names a dependency cycle and an unknown dependency", () => {
    expect(() => planWaves([sub("a", ["c"]), sub("b", ["a"]), sub("c", ["b"]), sub("d")])).toThrow("the subtasks' dependencies form a cycle among: a, b, c");
    expect(() => planWaves([sub("a", ["zzz"])])).toThrow(AgentError);
    expect(() => planWaves([sub("a", ["zzz"])])).toThrow("subtask 'a' depends on 'zzz', which is not a subtask (subtasks: a)");
  });

  it("every subtask comes after all of its dependencies, for any acyclic plan (property)", () => {
    const arbPlan = fc.integer({ min: 1, max: 15 }).chain((n) =>
      fc.tuple(...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (_, j) => `s${j}`)))).map((deps) => deps.map((d, i) => sub(`s${i}`, d))),
    );
    fc.assert(
      fc.property(arbPlan, (subtasks) => {
        const waves = planWaves(subtasks);
        const waveOf = new Map(waves.flatMap((w, i) => w.map((id) => [id, i] as const)));
        expect(waveOf.size).toBe(subtasks.length);
        for (const s of subtasks) for (const d of s.dependsOn) expect(waveOf.get(d)!).toBeLessThan(waveOf.get(s.id)!);
      }),
    );
  });

  it("turns capabilities into unique step ids", () => {
    const taken = new Set<string>(["legal_extract_terms"]);
    expect(stepIdFor("legal.extract_terms", taken)).toBe("legal_extract_terms_2");
    expect(stepIdFor("9lives", new Set())).toBe("_9lives");
    expect(stepIdFor("_aggregate", new Set())).toBe("_aggregate_2");
  });
});
