import fs from "node:fs/promises";
import path from "node:path";
import { BearError, confinePath, PathOutsideWorkspaceError } from "@bear/core";
import { PluginDuplicateError, PluginManifestError, PluginPermissionError } from "../errors";
import { assertSelfContained } from "./plugin-files";
import { assertApiCompatible, deniedPermissions, parsePluginManifest, PLUGIN_MANIFEST_FILE, type PluginManifest, type PluginPermission } from "../manifest/plugin-manifest";

/** A plugin folder whose manifest passed every check. */
export interface DiscoveredPlugin {
  readonly manifest: PluginManifest;
  /** Real (symlink-free) path of the plugin folder. */
  readonly folder: string;
  /** Real path of the entry module, inside `folder`. */
  readonly entryPath: string;
}

/** A plugin that was found but refused, with the error naming it and the field at fault. */
export interface PluginProblem {
  readonly plugin: string;
  readonly folder: string;
  readonly error: BearError;
}

export interface DiscoveryOptions {
  readonly directories: readonly string[];
  /** The plugin API version of this host; every plugin's bearApi range must include it. */
  readonly hostApiVersion: string;
  readonly allowedPermissions: readonly PluginPermission[];
  /** Needed by plugins asking for fs.read.workspace / fs.write.workspace. */
  readonly workspaceDir?: string | undefined;
}

export interface PluginDiscovery {
  readonly plugins: DiscoveredPlugin[];
  readonly problems: PluginProblem[];
}

const WORKSPACE_PERMISSIONS: readonly PluginPermission[] = ["fs.read.workspace", "fs.write.workspace"];

/** Validates one plugin folder: manifest schema, API range, entry file confined to the folder, permissions. */
export async function inspectPluginFolder(folder: string, options: Omit<DiscoveryOptions, "directories">): Promise<DiscoveredPlugin> {
  const folderName = path.basename(folder);
  const manifestPath = path.join(folder, PLUGIN_MANIFEST_FILE);
  let raw: string;
  try {
    raw = await fs.readFile(manifestPath, "utf8");
  } catch (error) {
    throw new PluginManifestError(folderName, PLUGIN_MANIFEST_FILE, `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    throw new PluginManifestError(folderName, PLUGIN_MANIFEST_FILE, `is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const manifest = parsePluginManifest(data, folder);
  assertApiCompatible(manifest, options.hostApiVersion);

  let entryPath: string;
  try {
    entryPath = confinePath(folder, manifest.entry);
  } catch (error) {
    if (error instanceof PathOutsideWorkspaceError) {
      throw new PluginManifestError(manifest.name, "entry", `'${manifest.entry}' leads outside the plugin folder`, { cause: error });
    }
    throw error;
  }
  const stat = await fs.stat(entryPath).catch(() => undefined);
  if (!stat?.isFile()) throw new PluginManifestError(manifest.name, "entry", `'${manifest.entry}' does not exist or is not a file`);
  if (!/\.(mjs|js)$/.test(entryPath)) throw new PluginManifestError(manifest.name, "entry", `'${manifest.entry}' must be an ES module (.mjs, or .js with "type": "module")`);

  // Node's permission model follows links: no file of the folder may lead outside it.
  assertSelfContained(folder, manifest.name);

  const denied = deniedPermissions(manifest, options.allowedPermissions);
  if (denied.length > 0) throw new PluginPermissionError(manifest.name, denied);
  const needsWorkspace = manifest.permissions.filter((p) => WORKSPACE_PERMISSIONS.includes(p));
  if (needsWorkspace.length > 0 && options.workspaceDir === undefined) {
    throw new PluginPermissionError(manifest.name, needsWorkspace, "need a workspaceDir in the plugins config");
  }
  return { manifest, folder, entryPath };
}

/**
 * Scans each configured directory for plugin folders (sub-folders holding a bear-plugin.json) and
 * validates them. Never throws for a bad plugin: each refusal is a problem naming the plugin and
 * the field; the valid plugins are returned. A folder whose symlink leads out of its directory is refused.
 */
export async function discoverPlugins(options: DiscoveryOptions): Promise<PluginDiscovery> {
  const plugins: DiscoveredPlugin[] = [];
  const problems: PluginProblem[] = [];
  const seen = new Map<string, string>();
  for (const directory of options.directories) {
    const root = path.resolve(directory);
    const entries = await fs.readdir(root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return [];
      throw error;
    });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
      let folder: string;
      try {
        folder = confinePath(root, entry.name);
      } catch (error) {
        if (!(error instanceof PathOutsideWorkspaceError)) throw error;
        problems.push({ plugin: entry.name, folder: path.join(root, entry.name), error: new PluginManifestError(entry.name, "folder", "is a symbolic link leading outside the plugin directory", { cause: error }) });
        continue;
      }
      const hasManifest = await fs.stat(path.join(folder, PLUGIN_MANIFEST_FILE)).then((s) => s.isFile(), () => false);
      if (!hasManifest) continue;
      try {
        const plugin = await inspectPluginFolder(folder, options);
        const first = seen.get(plugin.manifest.name);
        if (first !== undefined) {
          problems.push({ plugin: plugin.manifest.name, folder, error: new PluginDuplicateError(plugin.manifest.name, first, folder) });
          continue;
        }
        seen.set(plugin.manifest.name, folder);
        plugins.push(plugin);
      } catch (error) {
        if (!BearError.isInstance(error)) throw error;
        const plugin = typeof (error.details as { plugin?: unknown } | undefined)?.plugin === "string" ? String(error.details?.plugin) : entry.name;
        problems.push({ plugin, folder, error });
      }
    }
  }
  return { plugins, problems };
}
