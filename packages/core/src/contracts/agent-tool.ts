/** A JSON Schema (draft 2020-12) object, as tools declare their input. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** What a tool call runs for: its cancellation, and the run and matter a workflow gave it. */
export interface AgentToolContext {
  readonly signal: AbortSignal;
  /** The workflow run calling the tool, when a workflow does ("(direct)" otherwise). */
  readonly runId?: string;
  /** The matter the run works for: a tool that reads documents must stay inside it. */
  readonly matter?: string;
  /**
   * Who started the run calling the tool (its StartRunOptions.actor), when the starter said: the
   * tool's audited acts name them. None: the run itself (`workflow:<runId>`) acts.
   */
  readonly actor?: string;
}

/**
 * Something an agent or a workflow's `tool_execution` step can call by name. Capability packages
 * contribute tools through this contract (rag: search; legal: review, extract_key_terms; security:
 * redact), plugins contribute theirs, and @bear/agents' ToolRegistry holds them all. Bind any
 * number to the `AgentTool` token (multi-binding).
 */
export const AgentTool = Symbol.for("@bear/core:AgentTool");
export interface AgentTool {
  /** Lower-case name: letters, digits, '_', '.', ':' or '-' (e.g. 'search', 'legal.review'). */
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the input object: calls (and workflows naming the tool) are checked against it first. */
  readonly inputSchema: JsonSchema;
  /** Runs the tool on an input that passed `inputSchema`; returns JSON (no functions, no undefined). */
  execute(input: Readonly<Record<string, unknown>>, context: AgentToolContext): Promise<unknown>;
}
