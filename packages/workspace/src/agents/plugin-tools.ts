import type { AgentTool, Logger } from "@bear/core";
import type { ToolRegistry } from "@bear/agents";
import type { JsonValue, PluginHost, ToolExtension } from "@bear/plugins";
import { BearWorkspaceError } from "../errors";

/**
 * A plugin's `tool` extension as a tool of the agents' registry: its JSON Schema checks the
 * arguments on the host (before a workflow naming it starts, and at each call), then the call
 * crosses the plugin RPC into the plugin's own contained process, like its other extensions. The
 * current extension is looked up at each call, so a reloaded plugin serves its new code and an
 * unloaded one fails clearly.
 */
export function pluginTool(extension: ToolExtension, current: () => ToolExtension | undefined): AgentTool {
  return {
    name: extension.id,
    description: extension.description ?? `${extension.id} (plugin ${extension.plugin})`,
    inputSchema: extension.inputSchema,
    async execute(input, context) {
      context.signal.throwIfAborted();
      const live = current();
      if (!live) {
        throw new BearWorkspaceError("PLUGIN_NOT_FOUND", `tool '${extension.id}' of plugin '${extension.plugin}' is not loaded any more`, {
          hint: "`bear plugins list` shows the plugins and their state; reinstall or fix the plugin.",
          details: { tool: extension.id, plugin: extension.plugin },
        });
      }
      // Neither the run nor the matter is sent: the plugin gets its arguments only.
      return live.call(input as Readonly<Record<string, JsonValue>>);
    },
  };
}

/**
 * Keeps the registry's plugin tools in step with the host: new tools join, tools of plugins that
 * are gone leave. A name a package's tool already has stays the package's (built-ins win).
 */
export function syncPluginTools(registry: ToolRegistry, host: PluginHost, registered: Map<string, string>, logger: Logger): void {
  const tools = host.tools();
  for (const [name] of registered) {
    if (!tools.some((t) => t.id === name)) {
      registry.unregister(name);
      registered.delete(name);
    }
  }
  for (const extension of tools) {
    if (registered.has(extension.id)) continue;
    if (registry.has(extension.id)) {
      logger.warn({ plugin: extension.plugin, tool: extension.id }, "a plugin tool has the name of a built-in tool and was not added");
      continue;
    }
    try {
      registry.register(pluginTool(extension, () => host.tools().find((t) => t.id === extension.id && t.plugin === extension.plugin)));
      registered.set(extension.id, extension.plugin);
    } catch (error) {
      // e.g. a schema zod cannot read: the other plugins' tools still join
      logger.warn({ plugin: extension.plugin, tool: extension.id, error: (error as Error).message }, "a plugin tool could not be added");
    }
  }
}
