import type { JsonValue, StepHandler } from "@bear/workflow-engine";
import { InvalidArgumentError } from "@bear/core";
import { z } from "zod";
import { AgentError, TaskInputError, ToolNotFoundError } from "../errors";

/** Something an agent can call by name: typed arguments, JSON result, honours the signal. */
export interface Tool<A = unknown> {
  /** Lower-case name, e.g. 'date_diff' or 'clauses.lookup'. */
  readonly name: string;
  readonly description?: string;
  readonly parameters?: z.ZodType<A>;
  execute(args: A, context: { readonly signal: AbortSignal }): Promise<JsonValue>;
}

const TOOL_NAME = /^[a-z][a-z0-9_.:-]{0,63}$/;

/** A tool of any argument type (what lists of tools hold). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the arguments type varies per tool; each tool's own schema checks them
export type AnyTool = Tool<any>;

/** The tools executor agents may call. Plugins register theirs here at run time. */
export class ToolRegistry {
  readonly #tools = new Map<string, Tool>();

  constructor(tools: readonly AnyTool[] = []) {
    for (const tool of tools) this.register(tool);
  }

  register<A>(tool: Tool<A>): this {
    if (!TOOL_NAME.test(tool.name)) throw new InvalidArgumentError("tool name", tool.name, "lower-case letters, digits, '_', '.', ':' or '-' (at most 64)");
    if (this.#tools.has(tool.name)) throw new AgentError("TOOL_EXISTS", `a tool named '${tool.name}' is already registered`, { hint: "Unregister it first.", details: { tool: tool.name } });
    this.#tools.set(tool.name, tool as unknown as Tool);
    return this;
  }

  unregister(name: string): boolean {
    return this.#tools.delete(name);
  }

  get(name: string): Tool {
    const tool = this.#tools.get(name);
    if (!tool) throw new ToolNotFoundError(name, this.names());
    return tool;
  }

  names(): string[] {
    return [...this.#tools.keys()].sort();
  }

  list(): Array<{ name: string; description: string | undefined }> {
    return this.names().map((name) => ({ name, description: this.#tools.get(name)!.description }));
  }
}

export const toolExecutionParameters = z.strictObject({
  tool: z.string().min(1),
  arguments: z.record(z.string(), z.custom<JsonValue>(() => true)).default({}),
});
export type ToolExecutionParameters = z.infer<typeof toolExecutionParameters>;

/** The `tool_execution` step: calls a registered tool with validated arguments. */
export function toolExecutionHandler(tools: ToolRegistry): StepHandler<ToolExecutionParameters> {
  return {
    type: "tool_execution",
    parameters: toolExecutionParameters,
    async execute(ctx) {
      const tool = tools.get(ctx.parameters.tool);
      let args: unknown = ctx.parameters.arguments;
      if (tool.parameters) {
        const parsed = tool.parameters.safeParse(args);
        if (!parsed.success) {
          throw new TaskInputError(ctx.agent ?? "(engine)", `tool_execution:${tool.name}`, parsed.error.issues.map((i) => `${["arguments", ...i.path].join(".")}: ${i.message}`).join("; "));
        }
        args = parsed.data;
      }
      ctx.signal.throwIfAborted();
      return tool.execute(args as never, { signal: ctx.signal });
    },
  };
}
