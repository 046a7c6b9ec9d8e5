import type { AgentTool, AgentToolContext } from "@bear/core";

/** How the tool redacts: the app passes its audited redaction (the Workspace's). */
export type RedactFunction = (text: string, options: { readonly policy?: string }, context: AgentToolContext) => Promise<{ readonly text: string; readonly replacements: ReadonlyArray<{ readonly type: string; readonly start: number; readonly end: number }> }>;

/** `redact` as a tool for agents and `tool_execution` steps: the text with personal data replaced. */
export function redactTool(redact: RedactFunction): AgentTool {
  return {
    name: "redact",
    description: "Replaces personal data (names, e-mail addresses, phone numbers, IDs…) with placeholders; returns the text and where each replacement stands.",
    inputSchema: {
      type: "object",
      additionalProperties: false,
      required: ["text"],
      properties: { text: { type: "string", maxLength: 5_000_000 }, policy: { type: "string", minLength: 1, maxLength: 64 } },
    },
    async execute(input, context) {
      const { text, policy } = input as { text: string; policy?: string };
      const out = await redact(text, policy ? { policy } : {}, context);
      return { text: out.text, replacements: out.replacements.map((r) => ({ type: r.type, start: r.start, end: r.end })) };
    },
  };
}
