import { RawJson, type JsonValue } from "@bear/workflow-engine";
import type { PayloadBinding } from "./payload-store";

/** A part of a step's parameters kept in a file of the run's own: where it goes, and which file. */
export interface SharedPart {
  readonly path: ReadonlyArray<string | number>;
  readonly file: string;
}

/** Strings at least this long are written once per run and referred to (a contract's text; ids and options stay inline). */
const SHARE_MIN_CHARS = 4_096;
/** How deep into parameters shared values are looked for (`parameters.outputs.key_terms` is 3 deep). */
const SHARE_MAX_DEPTH = 4;
/** Runs whose shared strings are remembered at most (a run that fails is never removed; the oldest go). */
const MAX_RUNS = 256;

/**
 * The API side of writing a run's large values once. Every step of the review workflow names the
 * contract text, and later steps name earlier steps' outputs: rendered into each step's parameters,
 * the API wrote (and each worker read) the same 40 KB text six times and each output three times per
 * contract. Here a step's parameters keep a reference instead: a long string goes to a
 * content-addressed file of the run (written once per run and instance; any instance writing it
 * writes the same file), and an object the engine passes on unchanged from an earlier step's output
 * (the very object this process read from that output's file) refers to that file.
 */
export class SharedValues {
  /**
   * Per run, the file of each long string written or being written (a promise: the steps that start
   * together share one write). V8 keeps a string's hash, so a repeated lookup of the same text is cheap.
   */
  readonly #strings = new Map<string, Map<string, Promise<string>>>();
  /** Outputs this process read from files (parsed, or kept as text: RawJson), by object: an object the engine passes on as-is is that file's value. */
  readonly #outputs = new WeakMap<object, { readonly runId: string; readonly file: string }>();

  constructor(
    readonly enabled: boolean,
    private readonly writeString: (binding: PayloadBinding, text: string) => Promise<string>,
  ) {}

  /**
   * `value` with its shared parts cut out (null in their place), each recorded in `parts`; `value`
   * itself when it has none (a step's ids and options: nothing is copied). The walk is synchronous
   * and only the files are awaited, together: an `await` at every node of the parameters cost the
   * API a few microtask turns per value on each step's path, and the run's strings were written one
   * after another.
   */
  async slim(binding: PayloadBinding, value: JsonValue, parts: SharedPart[]): Promise<JsonValue> {
    if (!this.enabled || !this.#holdsShared(binding.runId, value, 0)) return value;
    const paths: Array<ReadonlyArray<string | number>> = [];
    const files: Array<Promise<string>> = [];
    const slim = this.#cut(binding, value, [], 0, paths, files);
    const names = await Promise.all(files);
    for (let i = 0; i < paths.length; i++) parts.push({ path: paths[i]!, file: names[i]! });
    return slim;
  }

  /** Does `v` hold a long string or one of the run's outputs (where #cut would cut one)? */
  #holdsShared(runId: string, v: JsonValue, depth: number): boolean {
    if (typeof v === "string") return v.length >= SHARE_MIN_CHARS;
    if (v === null || typeof v !== "object") return false;
    if (this.#outputs.get(v)?.runId === runId) return true;
    // an output kept as text but not of this run's files (never seen here): it is written out as its value
    if (RawJson.isInstance(v)) return true;
    if (depth >= SHARE_MAX_DEPTH) return false;
    for (const item of Array.isArray(v) ? v : Object.values(v)) if (this.#holdsShared(runId, item, depth + 1)) return true;
    return false;
  }

  /** A copy of `v` with its shared parts null, their paths and files (in order) pushed on `paths` and `files`. */
  #cut(binding: PayloadBinding, v: JsonValue, at: ReadonlyArray<string | number>, depth: number, paths: Array<ReadonlyArray<string | number>>, files: Array<Promise<string>>): JsonValue {
    if (typeof v === "string") {
      if (v.length < SHARE_MIN_CHARS) return v;
      paths.push(at);
      files.push(this.#fileOf(binding, v));
      return null;
    }
    if (v === null || typeof v !== "object") return v;
    const output = this.#outputs.get(v);
    if (output && output.runId === binding.runId) {
      paths.push(at);
      files.push(Promise.resolve(output.file));
      return null;
    }
    if (RawJson.isInstance(v)) return this.#cut(binding, v.value, at, depth, paths, files);
    if (depth >= SHARE_MAX_DEPTH) return v;
    if (Array.isArray(v)) {
      const out: JsonValue[] = [];
      for (let i = 0; i < v.length; i++) out.push(this.#cut(binding, v[i]!, [...at, i], depth + 1, paths, files));
      return out;
    }
    const out: Record<string, JsonValue> = {};
    for (const [k, item] of Object.entries(v)) {
      // defineProperty: an own "__proto__" key stays data and never sets a prototype
      Object.defineProperty(out, k, { value: this.#cut(binding, item, [...at, k], depth + 1, paths, files), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  async #fileOf(binding: PayloadBinding, text: string): Promise<string> {
    let known = this.#strings.get(binding.runId);
    if (!known) {
      known = new Map();
      this.#strings.set(binding.runId, known);
      if (this.#strings.size > MAX_RUNS) this.#strings.delete(this.#strings.keys().next().value!);
    }
    let file = known.get(text);
    if (file === undefined) {
      file = this.writeString(binding, text);
      known.set(text, file);
      // a failed write is tried again by the next step that names the text
      void file.catch(() => known.get(text) === file && known.delete(text));
    }
    return file;
  }

  /** `value` was read from `file` (a step's output): later steps given this object refer to the file. */
  rememberOutput(value: JsonValue | RawJson, runId: string, file: string): void {
    if (this.enabled && value !== null && typeof value === "object") this.#outputs.set(value, { runId, file });
  }

  forgetRun(runId: string): void {
    this.#strings.delete(runId);
  }
}

/** `root` with `value` put at `at` (an empty path replaces the root); `missing` when the place does not exist. */
export function placeAt(root: JsonValue, at: ReadonlyArray<string | number>, value: JsonValue, missing: () => never): JsonValue {
  if (at.length === 0) return value;
  let parent: unknown = root;
  for (const segment of at.slice(0, -1)) {
    if (parent === null || typeof parent !== "object" || !Object.prototype.hasOwnProperty.call(parent, segment)) missing();
    parent = (parent as Record<string | number, unknown>)[segment];
  }
  const last = at[at.length - 1]!;
  if (parent === null || typeof parent !== "object" || !Object.prototype.hasOwnProperty.call(parent, last)) missing();
  Object.defineProperty(parent, last, { value, enumerable: true, writable: true, configurable: true });
  return root;
}
