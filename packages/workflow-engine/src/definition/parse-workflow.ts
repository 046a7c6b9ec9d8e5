import { parse as parseYaml } from "yaml";
import { WorkflowParseError } from "../errors";

export type WorkflowFormat = "json" | "yaml";

/**
 * Parses workflow text (JSON or YAML; YAML is a superset, so it is the default) into plain data.
 * YAML aliases are capped so a small file cannot expand into a huge one. The same text sent again
 * (a client posting the built-in review for each contract) is parsed once: a YAML parse of the
 * contract_review workflow cost the API ~15 ms of CPU per run, 1/4 of its work per contract in a
 * cluster; each caller gets its own copy, so nothing it changes reaches the next.
 */
export function parseWorkflowText(text: string, options: { format?: WorkflowFormat; source?: string } = {}): unknown {
  const source = options.source ?? "text";
  if (typeof text !== "string") throw new WorkflowParseError(source, "expected a string");
  const format = options.format ?? (text.trimStart().startsWith("{") ? "json" : "yaml");
  if (format === "json") return parseText(text, format, source);
  const known = parsed.get(text);
  if (known !== undefined) {
    parsed.delete(text); // most recently used last
    parsed.set(text, known);
    return copyData(known);
  }
  const value = parseText(text, format, source);
  if (text.length <= MAX_MEMO_CHARS) {
    parsed.set(text, copyData(value));
    if (parsed.size > MAX_MEMO_ENTRIES) parsed.delete(parsed.keys().next().value!);
  }
  return value;
}

function parseText(text: string, format: WorkflowFormat, source: string): unknown {
  try {
    if (format === "json") return JSON.parse(text) as unknown;
    return parseYaml(text, { maxAliasCount: 100, prettyErrors: true, uniqueKeys: true }) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    throw new WorkflowParseError(source, `${format.toUpperCase()} syntax: ${reason}`, error);
  }
}

/** YAML texts parsed lately (errors are not kept: a bad text fails each time with its message). */
const parsed = new Map<string, unknown>();
const MAX_MEMO_ENTRIES = 64;
const MAX_MEMO_CHARS = 256 * 1024;

/**
 * A copy of parsed data (objects, arrays, scalars) made in this realm (structuredClone makes objects
 * of the realm it belongs to, which a vm context sees as foreign). A value the YAML shared through an
 * alias stays shared in the copy, so aliases are not expanded.
 */
function copyData(value: unknown, seen = new Map<object, unknown>()): unknown {
  if (value === null || typeof value !== "object") return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(copyData(item, seen));
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [k, item] of Object.entries(value)) {
    // defineProperty: an own "__proto__" key stays data and never sets a prototype
    Object.defineProperty(out, k, { value: copyData(item, seen), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
