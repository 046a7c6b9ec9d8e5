import { BearError } from "@bear/core";

export type PluginErrorCode = "PLUGIN_MANIFEST_INVALID" | "PLUGIN_INCOMPATIBLE";

export class PluginManifestError extends BearError<"PLUGIN_MANIFEST_INVALID"> {
  constructor(
    readonly plugin: string,
    readonly field: string,
    problem: string,
  ) {
    super("PLUGIN_MANIFEST_INVALID", `plugin '${plugin}': ${field} ${problem}`, {
      hint: "Fix bear-plugin.json in the plugin's folder; see the plugins README for the manifest format.",
      details: { plugin, field },
    });
  }
}

export class PluginIncompatibleError extends BearError<"PLUGIN_INCOMPATIBLE"> {
  constructor(plugin: string, wanted: string, actual: string) {
    super("PLUGIN_INCOMPATIBLE", `plugin '${plugin}' supports BEAR API ${wanted}, but this BEAR provides ${actual}`, {
      hint: "Install a version of the plugin built for this BEAR, or update BEAR.",
      details: { plugin, wanted, actual },
    });
  }
}
