import { NotJsonError } from "../errors";
import type { JsonValue } from "./json-value";

const BRAND = Symbol.for("@bear/workflow-engine:RawJson");

/**
 * A step output kept as the JSON text it arrived as, parsed only when something looks inside it.
 * An executor whose results come from elsewhere as text (@bear/cluster's queue: a worker's output
 * file) returns one instead of parsing it: the engine passes it on to later steps as it is (a
 * whole-output reference such as `{{ steps.extract.output }}`, which the queue forwards by
 * reference again), stores its text (SqliteRunStore), and parses it only when a template or
 * condition reads a field of it, or a caller reads the run's outputs. The text must be JSON as
 * JSON.stringify writes it (the executor vouches for it: the queue's comes from a payload file
 * bound to its run, step, attempt and matter, sealed when the workspace is encrypted).
 *
 * Handlers never see one: InProcessExecutor (and the queue, for the step types it runs locally)
 * gives them plain values (`plainJson`), and so do a run's result and the in-memory store.
 */
export class RawJson {
  readonly [BRAND] = true;
  #value: JsonValue | undefined;
  #parsed = false;

  /** `what` names the value in the error a text that does not parse gives (e.g. "the output of step 'x'"). */
  constructor(
    readonly text: string,
    private readonly what = "a step output",
  ) {}

  /** The parsed value (parsed once, on first use). Throws NotJsonError when the text is not JSON. */
  get value(): JsonValue {
    if (!this.#parsed) {
      try {
        this.#value = JSON.parse(this.text) as JsonValue;
      } catch (error) {
        throw new NotJsonError(this.what, "$", `its text does not parse (${(error as Error).message.slice(0, 120)})`);
      }
      this.#parsed = true;
    }
    return this.#value!;
  }

  /** JSON.stringify writes the value (it cannot splice text in: Node 20 has no JSON.rawJSON). */
  toJSON(): JsonValue {
    return this.value;
  }

  /** True for a RawJson of any copy of this package. */
  static isInstance(value: unknown): value is RawJson {
    return typeof value === "object" && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }
}

/**
 * A step's output as the engine holds it: plain JSON, a RawJson, or (a `for_each` step's) a list of
 * its items' outputs.
 */
export type StepOutput = JsonValue | RawJson | StepOutput[];

/** A step output as plain JSON: every RawJson in it parsed (`value` itself when it holds none). */
export function plainOf(value: StepOutput): JsonValue {
  return replaceRaw(value) as JsonValue;
}

/**
 * `value` with every RawJson inside parsed: `value` itself when it holds none (nothing is copied),
 * else a copy of the objects and arrays on the way to them.
 */
export function plainJson<T>(value: T): T {
  return replaceRaw(value) as T;
}

function replaceRaw(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (RawJson.isInstance(v)) return v.value;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const item = replaceRaw(v[i]);
      if (item !== v[i]) (out ??= v.slice())[i] = item;
    }
    return out ?? v;
  }
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(v)) {
    const item = (v as Record<string, unknown>)[key];
    const plain = replaceRaw(item);
    if (plain === item) continue;
    if (!out) {
      out = {};
      for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: (v as Record<string, unknown>)[k], enumerable: true, writable: true, configurable: true });
    }
    // defineProperty: an own "__proto__" key stays data and never sets a prototype
    Object.defineProperty(out, key, { value: plain, enumerable: true, writable: true, configurable: true });
  }
  return out ?? v;
}
