import { InvalidArgumentError, type AgentTool, type AgentToolContext } from "@bear/core";
import { POLICIES_WITHOUT_VAULT } from "../scrub/scrub-policy";

/** How the tool redacts: the app passes its audited redaction (the Workspace's). */
export type RedactFunction = (text: string, options: { readonly policy?: string }, context: AgentToolContext) => Promise<{ readonly text: string; readonly replacements: ReadonlyArray<{ readonly type: string; readonly start: number; readonly end: number }> }>;

export interface RedactToolOptions {
  /**
   * The policies a caller may name (default: the built-in ones that need no vault, POLICIES_WITHOUT_VAULT). Whoever
   * may start a workflow calls this tool, so `reversible` (permanent vault entries that only a restore opens) is
   * offered only where that front door's rule allows it, as over HTTP, where it is not.
   */
  readonly policies?: readonly string[];
}

/** `redact` as a tool for agents and `tool_execution` steps: the text with personal data replaced. */
export function redactTool(redact: RedactFunction, options: RedactToolOptions = {}): AgentTool {
  const policies = [...(options.policies ?? POLICIES_WITHOUT_VAULT)];
  return {
    name: "redact",
    description: "Replaces personal data (names, e-mail addresses, phone numbers, IDs…) with placeholders; returns the text and where each replacement stands.",
    inputSchema: {
      type: "object",
      additionalProperties: false,
      required: ["text"],
      properties: { text: { type: "string", maxLength: 5_000_000 }, policy: { type: "string", enum: policies } },
    },
    async execute(input, context) {
      const { text, policy } = input as { text: string; policy?: string };
      // checked here too: a caller that skips the schema gets the same answer
      if (policy !== undefined && !policies.includes(policy)) throw new InvalidArgumentError("policy", policy, `one of ${policies.join(", ")} (the tool offers no reversible policy)`);
      const out = await redact(text, policy ? { policy } : {}, context);
      return { text: out.text, replacements: out.replacements.map((r) => ({ type: r.type, start: r.start, end: r.end })) };
    },
  };
}
