/** The extension points a plugin can provide, each registered through the typed host API. */
export const EXTENSION_POINTS = ["step-type", "agent", "pii-recognizer", "extractor", "embedder", "tool"] as const;
export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

/** Permissions a plugin may ask for; the host grants only those its config allows. */
export const PLUGIN_PERMISSIONS = ["fs.read.plugin", "fs.read.workspace", "fs.write.workspace", "llm.generate", "embed"] as const;
export type PluginPermission = (typeof PLUGIN_PERMISSIONS)[number];
