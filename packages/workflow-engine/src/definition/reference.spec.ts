import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { ReferenceSyntaxError } from "../errors";
import { formatReference, parseReference, parseTemplate, resolvePath, resolveTemplates, type PathSegment } from "./reference";

const ident = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/);
const segment: fc.Arbitrary<PathSegment> = fc.oneof(ident, fc.nat({ max: 1000 }), fc.string({ maxLength: 8 }));
const path = fc.tuple(ident, fc.array(segment, { maxLength: 6 })).map(([root, rest]) => [root, ...rest] as PathSegment[]);

describe("reference paths", () => {
  it("parsing the canonical text of any path gives the path back", () => {
    fc.assert(
      fc.property(path, (segments) => {
        expect(parseReference(formatReference(segments)).segments).toEqual(segments);
      }),
    );
  });

  it("any string either parses or throws ReferenceSyntaxError with a position inside it — never anything else", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        try {
          parseReference(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ReferenceSyntaxError);
          const position = (error as ReferenceSyntaxError).details?.["position"] as number;
          expect(position).toBeGreaterThanOrEqual(0);
          expect(position).toBeLessThanOrEqual(text.length);
        }
      }),
    );
  });

  it("reads nested objects and array indices", () => {
    const scope = { steps: { extract: { output: { clauses: [{ title: "Term" }, { title: "Fees" }] } } } };
    expect(resolvePath(scope, parseReference("steps.extract.output.clauses[1].title").segments)).toBe("Fees");
    expect(resolvePath(scope, parseReference("steps.extract.output.clauses.length").segments)).toBe(2);
    expect(resolvePath(scope, parseReference("steps['extract'].output").segments)).toEqual(scope.steps.extract.output);
    expect(resolvePath(scope, parseReference("steps.missing.output").segments)).toBeUndefined();
  });

  it("never reaches prototypes, constructors or getters", () => {
    let getterRan = false;
    const scope = {
      inputs: { text: "x" },
      get trap() {
        getterRan = true;
        return 1;
      },
    };
    expect(resolvePath(scope, ["inputs", "text", "constructor"])).toBeUndefined();
    expect(resolvePath(scope, ["inputs", "__proto__"])).toBeUndefined();
    expect(resolvePath(scope, ["inputs", "toString"])).toBeUndefined();
    expect(resolvePath(scope, ["trap"])).toBeUndefined();
    expect(getterRan).toBe(false);
    fc.assert(
      fc.property(path, (segments) => {
        const v = resolvePath({ inputs: {} }, segments);
        expect(v === undefined || typeof v === "object").toBe(true);
      }),
    );
  });

  it("points at the broken character of a malformed reference", () => {
    expect(() => parseReference("steps.extract.")).toThrow(/character 14: expected a name, found the end/);
    expect(() => parseReference("steps[x]")).toThrow(/expected an index or a quoted key/);
    expect(() => parseReference("a b")).toThrow(/unexpected 'b' after the reference/);
    expect(() => parseTemplate("hello {{ inputs.x")).toThrow(/'\{\{' is never closed/);
    expect(() => parseTemplate("{{ }}")).toThrow(/empty reference/);
  });
});

describe("templates", () => {
  const scope = { inputs: { n: 3, list: [1, 2], name: "Acme" }, steps: {} };

  it("a string that is exactly one reference becomes the referenced value itself", () => {
    expect(resolveTemplates("{{ inputs.list }}", scope)).toEqual([1, 2]);
    expect(resolveTemplates("{{inputs.n}}", scope)).toBe(3);
    expect(resolveTemplates("{{ inputs.nothing }}", scope)).toBeNull();
  });

  it("mixed text is interpolated and nested parameters are resolved everywhere", () => {
    expect(resolveTemplates({ a: ["{{ inputs.name }} has {{ inputs.n }} items: {{ inputs.list }}"], b: 1 }, scope)).toEqual({ a: ["Acme has 3 items: [1,2]"], b: 1 });
  });

  it("text without braces is returned unchanged, whatever it contains", () => {
    fc.assert(
      fc.property(fc.string().filter((s) => !s.includes("{{")), (text) => {
        expect(resolveTemplates(text, scope)).toBe(text);
      }),
    );
  });

  it("interpolating a string value into text reproduces the surrounding text exactly", () => {
    const safe = fc.string({ maxLength: 20 }).filter((s) => !s.includes("{{") && !s.includes("}") && !s.includes("{"));
    fc.assert(
      fc.property(safe, safe, fc.string({ maxLength: 20 }), (before, after, value) => {
        expect(resolveTemplates(`${before}{{ inputs.v }}${after}`, { inputs: { v: value } })).toBe(`${before}${value}${after}`);
      }),
    );
  });

  it("an own __proto__ key in parameters stays data and never changes a prototype", () => {
    const params = JSON.parse('{"__proto__": {"polluted": true}, "x": "{{ inputs.n }}"}') as Record<string, unknown>;
    const out = resolveTemplates(params, scope) as Record<string, unknown>;
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toEqual({ polluted: true });
    expect(out["x"]).toBe(3);
  });
});
