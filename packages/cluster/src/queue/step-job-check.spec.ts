import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { z } from "zod";
import { checkedStepJob, checkedStepResult } from "./step-job-check";
import { STEP_JOB_VERSION, readStepJob, readStepResult, stepJobDataSchema, stepJobResultSchema } from "./step-job";

// the schema of another version: this one's with its own `v` (the check must hold to `v` too)
const schemaOf = (v: number) => (v === STEP_JOB_VERSION ? stepJobDataSchema : stepJobDataSchema.extend({ v: z.literal(v) }));

/** fc.record makes objects without a prototype; JSON.parse and object literals make plain ones. */
const plain = <T extends object>(a: fc.Arbitrary<T>): fc.Arbitrary<T> => a.map((r) => ({ ...r }));
/** A field's value: mostly well-formed, sometimes anything a forged or garbled job could hold. */
const either = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: fc.oneof(fc.constant(undefined), fc.constant(null), fc.string({ maxLength: 3 }), fc.integer(), fc.double(), fc.constant(Infinity), fc.object({ maxDepth: 1 }), fc.array(fc.integer(), { maxLength: 2 })) });
const goodPayload = fc.oneof(
  plain(fc.record({ inline: fc.jsonValue({ maxDepth: 2 }) })),
  plain(fc.record({ file: fc.string({ minLength: 1, maxLength: 40 }) })),
  plain(fc.record({ sealed: fc.string({ minLength: 1, maxLength: 40 }) })),
);
const badPayload = fc.oneof(
  fc.constant({}),
  fc.constant({ inline: undefined }),
  plain(fc.record({ file: fc.string({ maxLength: 2 }), sealed: fc.string({ maxLength: 2 }) })),
  plain(fc.record({ file: fc.constantFrom("", "x".repeat(501)) })),
  plain(fc.record({ other: fc.string() })),
  fc.record({ sealed: fc.string({ minLength: 1, maxLength: 4 }) }), // no prototype
);
const edgeString = (min: number, max: number) => fc.oneof({ weight: 6, arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, 30) }) }, fc.constantFrom("", "x".repeat(max), "x".repeat(max + 1), "\u{1F600}".repeat(Math.floor(max / 2) + 1)));
const job = plain(fc.record(
  {
    v: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(STEP_JOB_VERSION - 1, STEP_JOB_VERSION) }, fc.constantFrom(STEP_JOB_VERSION + 1, String(STEP_JOB_VERSION))),
    actor: either(fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, fc.constantFrom("alice", "bob@example.org", "a b", "", "x".repeat(200), "x".repeat(201), "svc:1"))),
    runId: either(fc.oneof({ weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,20}$/) }, fc.constantFrom("r".repeat(128), "r".repeat(129), "run 1", ""))),
    stepId: either(edgeString(1, 200)),
    key: either(edgeString(1, 240)),
    type: either(edgeString(1, 200)),
    agent: either(edgeString(0, 200)),
    attempt: either(fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 5 }) }, fc.constantFrom(2 ** 53, 1.5, -1))),
    index: either(fc.oneof(fc.integer({ min: -2, max: 5 }), fc.constant(0.5))),
    matter: either(fc.oneof(fc.constant(null), edgeString(1, 200))),
    payload: fc.oneof({ weight: 12, arbitrary: goodPayload }, { weight: 1, arbitrary: badPayload }),
    reply: either(fc.oneof({ weight: 6, arbitrary: fc.stringMatching(/^[0-9a-f]{16}$/) }, fc.constantFrom("0123456789ABCDEF", "0123456789abcde"))),
    queuedAt: either(fc.oneof(fc.integer(), fc.double({ noNaN: false }))),
    act: either(fc.constant(true)),
    extra: fc.string(),
  },
  // an unknown key now and then (the record leaves out each optional key half the time: `extra` is required, then cut)
  { requiredKeys: ["extra", "v", "actor", "runId", "stepId", "key", "type", "attempt", "matter", "payload", "reply", "queuedAt"] },
)).map(({ extra, ...rest }) => (extra.length === 1 ? { ...rest, extra } : rest));
const result = plain(fc.record(
  {
    output: fc.oneof({ weight: 4, arbitrary: goodPayload }, { weight: 1, arbitrary: badPayload }),
    workerId: either(fc.string({ maxLength: 20 })),
    handlerMs: either(fc.double()),
    startedAt: either(fc.integer()),
    extra: fc.string(),
  },
  { requiredKeys: ["output", "workerId", "handlerMs", "startedAt"] },
));

describe("the step job's hand-written checks (step-job-check.ts)", () => {
  it("accept only what the job's schema accepts, and give back what it gives, on generated and garbled jobs", () => {
    let accepted = 0;
    fc.assert(
      fc.property(job, (data) => {
        for (const version of [STEP_JOB_VERSION - 1, STEP_JOB_VERSION]) {
          const checked = checkedStepJob(data, version);
          const parsed = schemaOf(version).safeParse(data);
          if (checked === undefined) continue;
          accepted++;
          expect(parsed.success).toBe(true);
          expect(checked).toEqual(parsed.data);
        }
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(100); // the property was not vacuous
    // and where the schema accepts, so does the check, but for the edges it leaves to the schema
    const sample = fc.sample(job, { numRuns: 3000, seed: 7 }).filter((d) => schemaOf(d.v === STEP_JOB_VERSION - 1 ? STEP_JOB_VERSION - 1 : STEP_JOB_VERSION).safeParse(d).success);
    // (a key present as undefined, a payload object without a prototype, which no JSON holds, or a string the
    // schema measures in code points, not UTF-16 units, as the check does: astral characters near its bounds)
    const edge = (d: Record<string, unknown>): boolean =>
      Object.values(d).includes(undefined) || Object.values(d.payload as object).includes(undefined) || Object.getPrototypeOf(d.payload) === null || Object.values(d).some((v) => typeof v === "string" && /[\uD800-\uDFFF]/.test(v));
    const left = sample.filter((d) => checkedStepJob(d, d.v as number) === undefined);
    expect(left.filter((d) => !edge(d))).toEqual([]);
    expect(sample.length - left.length).toBeGreaterThan(100);
  });

  it("accept every job a sender of this release writes (the schema is never reached on the step's path)", () => {
    const wellFormed = plain(fc.record(
      {
        v: fc.constant(STEP_JOB_VERSION),
        runId: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,128}$/),
        stepId: fc.string({ minLength: 1, maxLength: 200 }),
        key: fc.string({ minLength: 1, maxLength: 240 }),
        type: fc.string({ minLength: 1, maxLength: 200 }),
        agent: fc.string({ maxLength: 200 }),
        attempt: fc.integer({ min: 1, max: 1000 }),
        index: fc.nat(1000),
        matter: fc.option(fc.string({ minLength: 1, maxLength: 200 }), { nil: null }),
        actor: fc.option(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}$/), { nil: null }),
        payload: goodPayload,
        reply: fc.stringMatching(/^[0-9a-f]{16}$/),
        queuedAt: fc.integer({ min: 0 }),
        act: fc.constant(true as const),
      },
      { requiredKeys: ["v", "runId", "stepId", "key", "type", "attempt", "matter", "actor", "payload", "reply", "queuedAt"] },
    ));
    fc.assert(
      fc.property(wellFormed, (data) => {
        expect(stepJobDataSchema.safeParse(data).success).toBe(true);
        expect(checkedStepJob(data, STEP_JOB_VERSION)).toEqual(data);
      }),
      { numRuns: 500 },
    );
  });

  it("accept only the results the result's schema accepts, with the same value, and every result a worker writes", () => {
    let accepted = 0;
    fc.assert(
      fc.property(result, (value) => {
        const checked = checkedStepResult(value);
        const parsed = stepJobResultSchema.safeParse(value);
        if (checked === undefined) return;
        accepted++;
        expect(parsed.success).toBe(true);
        expect(checked).toEqual(parsed.data);
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(50);
    const written = { output: { sealed: "b1.abc" }, workerId: "host-1-abcd", handlerMs: 0, startedAt: 1_765_000_000_000 };
    expect(checkedStepResult(written)).toEqual(written);
  });

  it("leave everything else to the schemas, whose refusals and messages are unchanged", () => {
    const base = { v: STEP_JOB_VERSION, runId: "run-1", stepId: "s", key: "s", type: "x", attempt: 1, matter: "acme", actor: null, payload: { inline: { parameters: {} } }, reply: "0123456789abcdef", queuedAt: 1 };
    expect(checkedStepJob({ ...base, extra: 1 }, STEP_JOB_VERSION)).toBeUndefined();
    expect(checkedStepJob(JSON.parse(`{"__proto__":1,${JSON.stringify(base).slice(1)}`), STEP_JOB_VERSION)).toBeUndefined();
    expect(checkedStepJob(Object.assign(Object.create({ inherited: 1 }) as object, base), STEP_JOB_VERSION)).toBeUndefined();
    expect(checkedStepJob(base, STEP_JOB_VERSION - 1)).toBeUndefined(); // its `v` is another
    expect(() => readStepJob("j", { ...base, extra: 1 })).toThrow(/not a BEAR step job \(Unrecognized key/);
    expect(() => readStepJob("j", { ...base, payload: { inline: undefined } })).not.toThrow(); // the schema's own reading: it drops the key
    expect(readStepResult({ output: { file: "" }, workerId: "w", handlerMs: 1, startedAt: 1 }).success).toBe(false);
  });
});
