import { RunMatterMissingError } from "../errors";

/** What a matter check reads of a step's or a tool call's context. */
export interface MatterContext {
  readonly matter?: string | undefined;
  readonly runId?: string | undefined;
  /** Who started the run (StartRunOptions.actor), named in the refusal. */
  readonly actor?: string | undefined;
}

/**
 * The matter of the run `context` belongs to, for `what` ("step 'extract'", "tool 'search'") to read, search or
 * write documents in. A run with none, or with the empty matter (it would read as "no filter" further down), is
 * refused (RunMatterMissingError), never given a default one or every matter.
 */
export function requireMatter(context: MatterContext, what: string): string {
  if (context.matter === undefined || context.matter === "") throw new RunMatterMissingError(context.runId ?? "direct", what, context.actor);
  return context.matter;
}
