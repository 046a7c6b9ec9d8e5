import { z } from "zod";

const id = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/i, "1-64 letters, digits, '.', '_' or '-'");
const common = { id, name: z.string().min(1).max(200).optional(), maxConcurrentTasks: z.number().int().min(1).max(256).optional() };

/**
 * An agent to create at run time, as the server's POST /api/v1/agents receives it. Coordinator
 * and monitor are one per system and are not created this way.
 */
export const agentSpecSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("executor"), capability: z.enum(["llm_generation", "tool_execution", "data_processing", "file_operations"]), ...common }),
  z.strictObject({ type: z.literal("validator"), ...common }),
  /** Another instance of an installed specialist. */
  z.strictObject({ type: z.literal("specialist"), specialist: z.string().min(1), ...common }),
]);
export type AgentSpec = z.input<typeof agentSpecSchema>;
