import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import type { JsonValue } from "@bear/workflow-engine";
import type { PayloadBinding } from "./payload-store";
import { placeAt, SharedValues, type SharedPart } from "./shared-values";

const binding: PayloadBinding = { runId: "run-7", key: "s", attempt: 1, matter: null, kind: "input", type: "t", agent: null, actor: null, act: false };
const LONG = "x".repeat(4_096);

/** A SharedValues whose "files" are names handed out in order (each text written once per run). */
function shared(): { values: SharedValues; written: string[] } {
  const written: string[] = [];
  const values = new SharedValues(true, async (_b, text) => {
    written.push(text);
    return `f${written.length}`;
  });
  return { values, written };
}

/** Puts the shared parts back as FilePayloads does once it has read each file. */
function filled(slim: JsonValue, parts: readonly SharedPart[], files: ReadonlyMap<string, JsonValue>): JsonValue {
  let root = slim;
  for (const part of parts) root = placeAt(root, part.path, files.get(part.file) ?? null, () => { throw new Error(`no place ${JSON.stringify(part.path)}`); });
  return root;
}

describe("SharedValues.slim", () => {
  it("hands back the very value when nothing in it is shared (a step's ids and options are not copied)", async () => {
    const { values, written } = shared();
    const value: JsonValue = { parameters: { mode: "fast", limits: [1, 2, { depth: 3 }], note: "short" } };
    const parts: SharedPart[] = [];
    expect(await values.slim(binding, value, parts)).toBe(value);
    expect(parts).toEqual([]);
    expect(written).toEqual([]);
  });

  it("starts every long string's write at once, not one after the other", async () => {
    const started: string[] = [];
    const release: Array<() => void> = [];
    const values = new SharedValues(true, (_b, text) => {
      started.push(text.slice(0, 1));
      return new Promise<string>((resolve) => release.push(() => resolve(`file-${text.slice(0, 1)}`)));
    });
    const parts: SharedPart[] = [];
    const slimming = values.slim(binding, { a: "a".repeat(5_000), b: ["b".repeat(5_000)] }, parts);
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(["a", "b"]);
    for (const done of release) done();
    expect(await slimming).toEqual({ a: null, b: [null] });
    expect(parts).toEqual([
      { path: ["a"], file: "file-a" },
      { path: ["b", 0], file: "file-b" },
    ]);
  });

  it("cuts long strings and the run's remembered outputs out, and putting them back gives the value again (property)", async () => {
    const leaf = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom(LONG, `${LONG}y`));
    const json = fc.letrec<{ v: JsonValue }>((tie) => ({
      v: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, fc.array(tie("v"), { maxLength: 4 }), fc.dictionary(fc.constantFrom("a", "b", "__proto__", "1", "z"), tie("v"), { maxKeys: 4 })),
    })).v;
    await fc.assert(
      fc.asyncProperty(json, fc.array(json, { maxLength: 2 }), async (value, outputs) => {
        const { values, written } = shared();
        const files = new Map<string, JsonValue>();
        // earlier steps' outputs, read from their files by this process, placed inside the parameters
        const withOutputs: JsonValue = { value, outputs: outputs.map((o, i) => {
          const object = { out: o, i };
          values.rememberOutput(object, binding.runId, `out-${i}`);
          files.set(`out-${i}`, object);
          return object;
        }) };
        const before = JSON.stringify(withOutputs);
        const parts: SharedPart[] = [];
        const slim = await values.slim(binding, withOutputs, parts);
        written.forEach((text, i) => files.set(`f${i + 1}`, text));
        expect(JSON.stringify(withOutputs)).toBe(before); // the caller's value is left alone
        expect(new Set(written).size).toBe(written.length); // each text once
        expect(JSON.stringify(filled(JSON.parse(JSON.stringify(slim)) as JsonValue, parts, files))).toBe(before);
      }),
      { numRuns: 300 },
    );
  });
});
