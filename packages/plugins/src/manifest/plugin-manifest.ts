import path from "node:path";
import semver from "semver";
import { z } from "zod";
import { PluginIncompatibleError, PluginManifestError } from "../errors";

import { EXTENSION_POINTS, PLUGIN_PERMISSIONS, type PluginPermission } from "./extension-points";

export { EXTENSION_POINTS, PLUGIN_PERMISSIONS, type ExtensionPoint, type PluginPermission } from "./extension-points";

export const PLUGIN_MANIFEST_FILE = "bear-plugin.json";

const semverString = z.string().refine((v) => semver.valid(v) !== null, { message: "must be a semantic version such as 1.2.3" });
const semverRange = z.string().refine((v) => semver.validRange(v) !== null, { message: "must be a semver range such as ^1.0.0" });

const manifestSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, { message: "must be 2-64 lowercase letters, digits or dashes, starting with a letter" }),
    version: semverString,
    description: z.string().max(500).optional(),
    entry: z
      .string()
      .min(1)
      .refine((e) => !path.isAbsolute(e) && !path.normalize(e).startsWith(".."), { message: "must be a relative path inside the plugin folder" }),
    bearApi: semverRange,
    provides: z
      .array(z.object({ point: z.enum(EXTENSION_POINTS), id: z.string().regex(/^[a-z][a-z0-9_.-]*$/, { message: "must be a lowercase identifier" }) }).strict())
      .min(1, { message: "must list at least one extension point" }),
    permissions: z.array(z.enum(PLUGIN_PERMISSIONS)).default([]),
    dependencies: z.record(z.string(), semverRange).default({}),
  })
  .strict();

export type PluginManifest = z.infer<typeof manifestSchema>;

/**
 * Validates a parsed bear-plugin.json. Errors name the plugin (its folder when the name itself is
 * broken) and the exact field, e.g. "plugin 'bar-numbers': provides[0].point must be one of …".
 */
export function parsePluginManifest(data: unknown, folder: string): PluginManifest {
  const fallbackName = path.basename(folder);
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const pluginName =
      typeof (data as { name?: unknown })?.name === "string" && !issue?.path.includes("name") ? (data as { name: string }).name : fallbackName;
    const field = issue?.path.length
      ? issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("")
      : "manifest";
    const problem =
      issue?.code === "invalid_value" && "values" in issue
        ? `must be one of ${(issue.values as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`
        : issue?.code === "unrecognized_keys" && "keys" in issue
          ? `has unknown field(s) ${(issue.keys as string[]).join(", ")}`
          : (issue?.message ?? "is invalid");
    throw new PluginManifestError(pluginName, field, problem);
  }
  return parsed.data;
}

/** Refuses a plugin whose declared API range does not include the host's API version. */
export function assertApiCompatible(manifest: PluginManifest, hostApiVersion: string): void {
  if (!semver.satisfies(hostApiVersion, manifest.bearApi)) {
    throw new PluginIncompatibleError(manifest.name, manifest.bearApi, hostApiVersion);
  }
}

/** Permissions the plugin asks for that the host configuration does not allow. */
export function deniedPermissions(manifest: PluginManifest, allowed: readonly string[]): PluginPermission[] {
  return manifest.permissions.filter((p) => !allowed.includes(p));
}
