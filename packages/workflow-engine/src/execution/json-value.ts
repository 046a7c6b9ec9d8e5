import { NotJsonError } from "../errors";
import { RawJson } from "./raw-json";

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

const MAX_DEPTH = 512;

/**
 * Proves `value` is plain JSON (so it survives a trip to another worker unchanged): objects with
 * a plain prototype, arrays, strings, finite numbers, booleans and null. Throws NotJsonError naming
 * the first offending path. `allowRaw`: a RawJson (a step output kept as its text, see RawJson) counts
 * as JSON without a look inside: the engine's step parameters may hold earlier steps' outputs so.
 */
export function assertJson(value: unknown, what: string, root = "$", allowRaw = false): asserts value is JsonValue {
  const seen = new Set<object>();
  const walk = (v: unknown, path: string, depth: number): void => {
    if (v === null || typeof v === "string" || typeof v === "boolean") return;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) throw new NotJsonError(what, path, `${v} is not a finite number`);
      return;
    }
    if (typeof v !== "object") throw new NotJsonError(what, path, `a ${typeof v} cannot be serialised`);
    if (allowRaw && RawJson.isInstance(v)) return;
    if (depth > MAX_DEPTH) throw new NotJsonError(what, path, `nested deeper than ${MAX_DEPTH} levels`);
    if (seen.has(v)) throw new NotJsonError(what, path, "it refers back to itself (a cycle)");
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(v[i], `${path}[${i}]`, depth + 1);
    } else {
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        const name = (v as { constructor?: { name?: string } }).constructor?.name ?? "object";
        throw new NotJsonError(what, path, `a ${name} instance is not a plain object`);
      }
      for (const key of Object.keys(v)) walk((v as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
    }
    seen.delete(v);
  };
  walk(value, root, 0);
}

/** True when `value` is plain JSON. */
export function isJson(value: unknown): value is JsonValue {
  try {
    assertJson(value, "value");
    return true;
  } catch {
    return false;
  }
}
