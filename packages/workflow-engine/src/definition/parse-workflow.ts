import { parse as parseYaml } from "yaml";
import { WorkflowParseError } from "../errors";

export type WorkflowFormat = "json" | "yaml";

/**
 * Parses workflow text (JSON or YAML; YAML is a superset, so it is the default) into plain data.
 * YAML aliases are capped so a small file cannot expand into a huge one.
 */
export function parseWorkflowText(text: string, options: { format?: WorkflowFormat; source?: string } = {}): unknown {
  const source = options.source ?? "text";
  if (typeof text !== "string") throw new WorkflowParseError(source, "expected a string");
  const format = options.format ?? (text.trimStart().startsWith("{") ? "json" : "yaml");
  try {
    if (format === "json") return JSON.parse(text) as unknown;
    return parseYaml(text, { maxAliasCount: 100, prettyErrors: true, uniqueKeys: true }) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    throw new WorkflowParseError(source, `${format.toUpperCase()} syntax: ${reason}`, error);
  }
}
