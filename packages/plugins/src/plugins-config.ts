import { z } from "zod";
import { bearToken, ConfigError } from "@bear/core";
import { PLUGIN_PERMISSIONS } from "./manifest/plugin-manifest";

/** The plugin API version this host implements; a plugin's bearApi range must include it. */
export const PLUGIN_API_VERSION = "0.1.0";

export const pluginsConfigSchema = z
  .object({
    /** Folders whose sub-folders are plugins. */
    directories: z.array(z.string().min(1)).min(1),
    /** Permissions the host may grant; a plugin asking for any other is refused. */
    allowedPermissions: z.array(z.enum(PLUGIN_PERMISSIONS)).default(["fs.read.plugin"]),
    /** The workspace folder granted to plugins with fs.read.workspace / fs.write.workspace. */
    workspaceDir: z.string().min(1).optional(),
    hostApiVersion: z.string().default(PLUGIN_API_VERSION),
    limits: z
      .object({
        memoryMb: z.number().int().min(16).max(16384).default(128),
        /** Cap on a plugin process's whole address space (RLIMIT_AS on Linux); default memoryMb + 1024. */
        addressSpaceMb: z.number().int().min(512).max(65536).optional(),
        callTimeoutMs: z.number().int().min(1).max(3_600_000).default(5_000),
        loadTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
        /** While no call runs, the host pings the plugin this often; a ping still unanswered at the next one stops it. */
        heartbeatMs: z.number().int().min(100).max(600_000).default(5_000),
      })
      .strict()
      .default({ memoryMb: 128, callTimeoutMs: 5_000, loadTimeoutMs: 10_000, heartbeatMs: 5_000 }),
    /** The sandbox runner script; defaults to runner.mjs next to this package's dist/index.js. */
    runnerPath: z.string().min(1).optional(),
  })
  .strict();

export type PluginsConfig = z.infer<typeof pluginsConfigSchema>;
export type PluginsConfigInput = z.input<typeof pluginsConfigSchema>;

export const PluginsConfig = bearToken("plugins", "PluginsConfig");

/** Validates a plugins config and fills the defaults. */
export function parsePluginsConfig(input: PluginsConfigInput): PluginsConfig {
  const parsed = pluginsConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError("CONFIG_INVALID", `plugins config: ${issue?.path.join(".") || "config"} ${issue?.message ?? "is invalid"}`, {
      hint: "See PluginsConfig in the @bear/plugins README.",
    });
  }
  return parsed.data;
}
