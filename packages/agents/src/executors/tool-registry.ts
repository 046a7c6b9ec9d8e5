import { InvalidArgumentError, type AgentTool, type AgentToolContext, type JsonSchema } from "@bear/core";
import type { JsonValue, StepHandler, StepIssue } from "@bear/workflow-engine";
import { z } from "zod";
import { AgentError, TaskInputError, ToolNotFoundError } from "../errors";

/**
 * Something an agent can call by name: an input schema (zod `parameters`, or the JSON Schema
 * `inputSchema` of core's AgentTool contract: every tool has one), JSON result, honours the signal.
 * A core `AgentTool` is a Tool.
 */
export interface Tool<A = unknown> {
  /** Lower-case name, e.g. 'search', 'legal.review' or 'clauses.lookup'. */
  readonly name: string;
  readonly description?: string;
  readonly parameters?: z.ZodType<A>;
  readonly inputSchema?: JsonSchema;
  execute(args: A, context: AgentToolContext): Promise<unknown>;
}

const TOOL_NAME = /^[a-z][a-z0-9_.:-]{0,63}$/;

/** A tool of any argument type (what lists of tools hold). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the arguments type varies per tool; each tool's own schema checks them
export type AnyTool = Tool<any> | AgentTool;

/** A registered tool: its checker and its JSON Schema, both always present. */
interface ToolEntry {
  readonly tool: Tool;
  readonly schema: z.ZodType;
  readonly inputSchema: JsonSchema;
}

/** What `list()` shows (GET /api/v1/tools, `bear tools`): no code, just the contract. */
export interface ToolInfo {
  readonly name: string;
  readonly description: string | undefined;
  readonly inputSchema: JsonSchema;
}

/** The tools executor agents and `tool_execution` steps may call. Packages and plugins contribute theirs. */
export class ToolRegistry {
  readonly #tools = new Map<string, ToolEntry>();

  constructor(tools: readonly AnyTool[] = []) {
    for (const tool of tools) this.register(tool);
  }

  register<A>(tool: Tool<A> | AgentTool): this {
    if (!TOOL_NAME.test(tool.name)) throw new InvalidArgumentError("tool name", tool.name, "lower-case letters, digits, '_', '.', ':' or '-' (at most 64)");
    if (this.#tools.has(tool.name)) throw new AgentError("TOOL_EXISTS", `a tool named '${tool.name}' is already registered`, { hint: "Unregister it first.", details: { tool: tool.name } });
    const t = tool as Tool;
    let schema: z.ZodType;
    let inputSchema: JsonSchema;
    try {
      if (t.parameters) {
        schema = t.parameters;
        inputSchema = t.inputSchema ?? (z.toJSONSchema(t.parameters, { unrepresentable: "any" }) as JsonSchema);
      } else if (t.inputSchema) {
        inputSchema = t.inputSchema;
        schema = z.fromJSONSchema(t.inputSchema as Parameters<typeof z.fromJSONSchema>[0]);
      } else {
        throw new Error("it has neither `parameters` nor `inputSchema`");
      }
    } catch (error) {
      throw new AgentError("TOOL_INVALID", `tool '${tool.name}' has no usable input schema: ${(error as Error).message}`, {
        hint: "Give the tool a JSON Schema object as `inputSchema` (or a zod schema as `parameters`).",
        details: { tool: tool.name },
        cause: error,
      });
    }
    this.#tools.set(tool.name, { tool: t, schema, inputSchema });
    return this;
  }

  unregister(name: string): boolean {
    return this.#tools.delete(name);
  }

  has(name: string): boolean {
    return this.#tools.has(name);
  }

  get(name: string): Tool {
    return this.#entry(name).tool;
  }

  names(): string[] {
    return [...this.#tools.keys()].sort();
  }

  list(): ToolInfo[] {
    return this.names().map((name) => {
      const e = this.#tools.get(name)!;
      return { name, description: e.tool.description, inputSchema: e.inputSchema };
    });
  }

  /** Problems with arguments, each with its path under `arguments` (none when they fit the tool's schema). */
  problems(name: string, args: unknown): Array<{ path: Array<string | number>; message: string }> {
    const parsed = this.#entry(name).schema.safeParse(args);
    return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path as Array<string | number>, message: i.message }));
  }

  /** Checks the arguments against the tool's schema, then calls it. */
  async call(name: string, args: unknown, context: AgentToolContext & { readonly caller?: string }): Promise<JsonValue> {
    const entry = this.#entry(name);
    const parsed = entry.schema.safeParse(args);
    if (!parsed.success) {
      throw new TaskInputError(context.caller ?? "(tool call)", `tool_execution:${name}`, parsed.error.issues.map((i) => `${["arguments", ...i.path].join(".")}: ${i.message}`).join("; "));
    }
    context.signal.throwIfAborted();
    const output = await entry.tool.execute(parsed.data as never, context);
    return (output === undefined ? null : output) as JsonValue;
  }

  #entry(name: string): ToolEntry {
    const entry = this.#tools.get(name);
    if (!entry) throw new ToolNotFoundError(name, this.names());
    return entry;
  }
}

/**
 * `tool_execution` parameters: `{ tool, arguments }`, or the seed's flat form where every other
 * parameter is an argument (`{ tool: search, query: "…", k: 5 }`).
 */
export const toolExecutionParameters = z.looseObject({
  tool: z.string().min(1),
  arguments: z.record(z.string(), z.custom<JsonValue>(() => true)).optional(),
});
export type ToolExecutionParameters = z.infer<typeof toolExecutionParameters>;

function argumentsOf(parameters: Readonly<Record<string, unknown>>): unknown {
  if (parameters["arguments"] !== undefined) return parameters["arguments"];
  const { tool: _tool, ...rest } = parameters;
  return rest;
}

const isTemplate = (value: unknown): boolean => typeof value === "string" && value.includes("{{");

/** Whether the value at `path` (or one of its parents) is still a `{{ reference }}` before the run. */
function templatedAt(root: unknown, path: ReadonlyArray<string | number>): boolean {
  let value = root;
  if (isTemplate(value)) return true;
  for (const key of path) {
    if (value === null || typeof value !== "object") return false;
    value = (value as Record<string | number, unknown>)[key];
    if (isTemplate(value)) return true;
  }
  return false;
}

/**
 * The `tool_execution` step: calls a registered tool with arguments checked against its schema.
 * Before a run starts, a tool that does not exist, or literal arguments that do not fit its
 * schema, fail validation (values that are still `{{ references }}` are checked when they resolve).
 */
export function toolExecutionHandler(tools: ToolRegistry): StepHandler<ToolExecutionParameters> {
  return {
    type: "tool_execution",
    parameters: toolExecutionParameters,
    check(parameters): StepIssue[] {
      const name = parameters["tool"];
      if (typeof name !== "string" || isTemplate(name)) return [];
      if (!tools.has(name)) return [{ path: "parameters.tool", message: `unknown tool '${name}' (tools: ${tools.names().join(", ") || "none"})` }];
      const args = argumentsOf(parameters);
      const base = parameters["arguments"] !== undefined ? "parameters.arguments" : "parameters";
      return tools
        .problems(name, args)
        .filter((p) => !templatedAt(args, p.path))
        .map((p) => ({ path: [base, ...p.path].map((k) => (typeof k === "number" ? `[${k}]` : k)).join(".").replace(/\.\[/g, "["), message: p.message }));
    },
    async execute(ctx) {
      return tools.call(ctx.parameters.tool, argumentsOf(ctx.parameters), {
        signal: ctx.signal,
        runId: ctx.runId,
        caller: ctx.agent ?? "(engine)",
        ...(ctx.matter === undefined ? {} : { matter: ctx.matter }),
        ...(ctx.actor === undefined ? {} : { actor: ctx.actor }),
      });
    },
  };
}
