import { defineSpecialist, type Specialist } from "@bear/agents";
import type { AgentExtension } from "@bear/plugins";
import type { JsonValue, StepHandler } from "@bear/workflow-engine";

const NAME = /[^a-z0-9_.-]/g;

/**
 * A plugin's `agent` extension as a specialist: its capability is the extension id, and each task
 * crosses the plugin RPC into the plugin's own contained process (input and output are JSON,
 * checked by the host). Returns undefined for an id no capability can be made of.
 */
export function pluginSpecialist(extension: AgentExtension): Specialist | undefined {
  const capability = extension.id.toLowerCase();
  if (!/^[a-z][a-z0-9_.:-]{0,127}$/.test(capability)) return undefined;
  const plugin = extension.plugin.toLowerCase().replace(NAME, "-");
  const handler = {
    type: `plugin:${plugin}:${capability}`.slice(0, 128),
    execute: async (ctx: { parameters: unknown }) => (await extension.invoke(ctx.parameters as never)) as JsonValue,
  } as unknown as StepHandler<never>;
  return defineSpecialist({
    id: `plugin.${plugin}.${capability}`.slice(0, 64).replace(/^[^a-z0-9]+/, ""),
    name: `${extension.id} (plugin ${extension.plugin})`,
    ...(extension.description ? { description: extension.description } : {}),
    capabilities: { [capability]: handler },
  });
}
