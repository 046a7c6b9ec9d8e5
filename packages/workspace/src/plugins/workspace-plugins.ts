import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { AuditSink, BearConfig, Logger } from "@bear/core";
import type { ToolRegistry } from "@bear/agents";
import { copyPluginFolder, discoverPlugins, inspectPluginFolder, PLUGIN_API_VERSION, type AgentExtension, type PluginHost, type PluginPermission, type PluginsConfigInput } from "@bear/plugins";
import type { PiiFinding } from "@bear/security";
import type { StepHandlerRegistry } from "@bear/workflow-engine";
import { BearWorkspaceError } from "../errors";
import type { WorkspacePaths } from "../folder/workspace-paths";
import { syncPluginTools } from "../agents/plugin-tools";

/** One plugin as `bear plugins list` and the admin API show it. */
export interface PluginRow {
  readonly name: string;
  readonly version?: string;
  readonly folder: string;
  /** In the workspace's own plugin folder (not a configured one). */
  readonly installed: boolean;
  readonly state: "valid" | "refused";
  readonly description?: string;
  readonly provides?: ReadonlyArray<{ point: string; id: string }>;
  readonly permissions?: readonly string[];
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly error?: unknown;
}

/** The plugin host settings of a workspace: its own plugin folder first, then the configured ones. */
export function workspacePluginsConfig(paths: WorkspacePaths, config: BearConfig): PluginsConfigInput & { directories: string[]; allowedPermissions: PluginPermission[] } {
  return {
    directories: [paths.plugins, ...config.plugins.dirs.map((d) => path.resolve(d))],
    allowedPermissions: ["fs.read.plugin", ...(config.plugins.allowedPermissions as PluginPermission[])],
    // Plugins granted fs.read.workspace / fs.write.workspace get the files workflows read and write, never the
    // workspace root: its state (keys, token vault, principals), audit trail, indexes, uploads and plugin folders.
    workspaceDir: paths.workflows,
  };
}

/** Where `install --force` keeps the replaced version of `name` until the new one runs. */
function setAsideFolder(paths: Pick<WorkspacePaths, "tmp">, name: string): string {
  return path.join(paths.tmp, `plugin-${name}-${randomUUID()}.previous`);
}
const SET_ASIDE = /^plugin-([a-z0-9][a-z0-9-]*)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.previous$/;

/** A plugin version `install --force` set aside and never removed: the install was interrupted (a crash, a kill). */
export interface SetAsidePlugin {
  readonly plugin: string;
  readonly folder: string;
  readonly version?: string;
  /** Whether `plugins/<plugin>` exists; when not, this folder holds the only copy of the plugin. */
  readonly installed: boolean;
}

/** The plugin versions left in the workspace's tmp folder by interrupted `plugins install --force` runs (`bear doctor`). */
export function setAsidePlugins(paths: Pick<WorkspacePaths, "tmp" | "plugins">): SetAsidePlugin[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(paths.tmp);
  } catch {
    return [];
  }
  return entries.sort().flatMap((entry) => {
    const plugin = SET_ASIDE.exec(entry)?.[1];
    if (plugin === undefined) return [];
    const folder = path.join(paths.tmp, entry);
    let version: unknown;
    try {
      version = (JSON.parse(fs.readFileSync(path.join(folder, "bear-plugin.json"), "utf8")) as { version?: unknown }).version;
    } catch {
      version = undefined;
    }
    return [{ plugin, folder, ...(typeof version === "string" ? { version: version.slice(0, 64) } : {}), installed: fs.existsSync(path.join(paths.plugins, plugin)) }];
  });
}

/** Valid and refused plugins of a workspace's folders, without starting any (`bear doctor`). */
export async function discoverWorkspacePlugins(paths: WorkspacePaths, config: BearConfig): Promise<{ valid: number; problems: string[] }> {
  const found = await discoverPlugins({ ...workspacePluginsConfig(paths, config), hostApiVersion: PLUGIN_API_VERSION });
  return { valid: found.plugins.length, problems: found.problems.map((p) => p.error.message) };
}

/**
 * The workspace's plugins: what is installed, installing and removing, and the one PluginHost
 * (sandboxed processes) every front door shares, with its PII recognizers and step types.
 */
export class WorkspacePlugins {
  #loaded: Promise<PluginHost> | undefined;
  #watchers: fs.FSWatcher[] = [];
  /** Tool name → plugin, for the tools this workspace's plugins added to the agents' registry. */
  readonly #tools = new Map<string, string>();

  constructor(
    private readonly paths: WorkspacePaths,
    private readonly config: ReturnType<typeof workspacePluginsConfig>,
    private readonly host: () => PluginHost,
    private readonly audit: AuditSink,
  ) {}

  get directories(): readonly string[] {
    return this.config.directories;
  }

  async list(): Promise<PluginRow[]> {
    const found = await discoverPlugins({ ...this.config, hostApiVersion: PLUGIN_API_VERSION });
    const own = fs.realpathSync(this.paths.plugins);
    const installed = (folder: string): boolean => path.dirname(folder) === own;
    const rows: PluginRow[] = [
      ...found.plugins.map((p) => ({
        name: p.manifest.name,
        version: p.manifest.version,
        folder: p.folder,
        installed: installed(p.folder),
        state: "valid" as const,
        ...(p.manifest.description ? { description: p.manifest.description } : {}),
        provides: p.manifest.provides,
        permissions: p.manifest.permissions,
        dependencies: (p.manifest as { dependencies?: Record<string, string> }).dependencies ?? {},
      })),
      ...found.problems.map((p) => ({ name: p.plugin, folder: p.folder, installed: installed(p.folder), state: "refused" as const, error: p.error.toJSON() })),
    ];
    return rows.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** True when some valid plugin provides this extension point (so starting the host is worth it). */
  async provides(point: string): Promise<boolean> {
    const found = await discoverPlugins({ ...this.config, hostApiVersion: PLUGIN_API_VERSION });
    return found.plugins.some((p) => p.manifest.provides.some((x) => x.point === point));
  }

  /** The host with every valid plugin started (once). */
  loaded(): Promise<PluginHost> {
    this.#loaded ??= (async () => {
      const host = this.host();
      await host.loadAll();
      return host;
    })();
    return this.#loaded;
  }

  /** Validates a plugin folder, copies it into the workspace and proves it starts in its sandbox. */
  async install(folder: string, options: { force?: boolean; actor: string }): Promise<{ name: string; version: string; folder: string; provides: ReadonlyArray<{ point: string; id: string }>; permissions: readonly string[] }> {
    const source = path.resolve(folder);
    if (!fs.existsSync(source) || !fs.statSync(source).isDirectory()) {
      throw new BearWorkspaceError("INPUT_NOT_FOUND", `plugin folder '${folder}' does not exist`, { hint: "Give the folder that holds bear-plugin.json." });
    }
    const plugin = await inspectPluginFolder(source, { hostApiVersion: PLUGIN_API_VERSION, allowedPermissions: this.config.allowedPermissions, workspaceDir: this.config.workspaceDir });
    const name = plugin.manifest.name;
    const target = path.join(this.paths.plugins, name);
    // A replaced version is kept aside (not in a plugin folder, where discovery would see it) until the new one runs.
    let previous: string | undefined;
    if (fs.existsSync(target)) {
      if (!options.force) throw new BearWorkspaceError("PLUGIN_EXISTS", `plugin '${name}' is already installed`, { hint: "Pass --force to replace it, or remove it first." });
      previous = setAsideFolder(this.paths, name);
      fs.renameSync(target, previous);
    }
    const host = await this.loaded();
    const running = host.plugins().some((p) => p.name === name && p.state === "running");
    let failure: string | undefined;
    let failureHint: string | undefined;
    try {
      copyPluginFolder(source, target, name); // links stay relative; links out of the folder are refused
      // A running old version is restarted from the new code; otherwise the new plugin is started.
      if (running) await host.reload(name);
      else await host.loadAll();
      const started = host.plugins().find((p) => p.name === name);
      if (!started || started.state === "refused" || started.state === "failed") {
        failure = started?.error?.message ?? "unknown reason";
        failureHint = started?.error?.hint;
      }
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      failure = error.message;
    }
    if (failure !== undefined) {
      fs.rmSync(target, { recursive: true, force: true });
      if (previous !== undefined) {
        fs.renameSync(previous, target);
        if (running) await host.reload(name).catch(() => host.loadAll());
      }
      throw new BearWorkspaceError("PLUGIN_FAILED", `plugin '${name}' did not start: ${failure}`, {
        hint: failureHint ?? (previous !== undefined ? "Fix the plugin and install it again; the installed version was kept." : "Fix the plugin and install it again; nothing was installed."),
      });
    }
    if (previous !== undefined) fs.rmSync(previous, { recursive: true, force: true });
    await this.audit.record({ action: "plugin.install", outcome: "success", actor: options.actor, resource: name });
    return { name, version: plugin.manifest.version, folder: target, provides: plugin.manifest.provides, permissions: plugin.manifest.permissions };
  }

  /** Removes a plugin installed in the workspace; returns the plugins that depend on it. */
  async remove(name: string, actor: string): Promise<{ folder: string; dependants: string[] }> {
    if (!/^[a-z0-9][a-z0-9-]{1,63}$/.test(name)) throw new BearWorkspaceError("INPUT_INVALID", `'${name}' is not a plugin name (lowercase letters, digits and dashes)`);
    const rows = await this.list();
    const row = rows.find((r) => r.name === name && r.installed) ?? rows.find((r) => r.installed && path.basename(r.folder) === name);
    if (!row) {
      const elsewhere = rows.find((r) => r.name === name);
      throw new BearWorkspaceError("PLUGIN_NOT_FOUND", `plugin '${name}' is not installed in this workspace`, {
        hint: elsewhere ? `It comes from the configured folder '${path.dirname(elsewhere.folder)}'; remove it there or from plugins.dirs.` : "`bear plugins list` shows the installed plugins.",
      });
    }
    const dependants = rows.filter((r) => r.name !== name && r.state === "valid" && Object.keys(r.dependencies ?? {}).includes(name)).map((r) => r.name);
    fs.rmSync(row.folder, { recursive: true, force: true });
    await this.audit.record({ action: "plugin.remove", outcome: "success", actor, resource: name });
    return { folder: row.folder, dependants };
  }

  /** Installed `step-type` plugins become step types (built-in types win). Starts the host only if one exists. */
  async addStepTypes(registry: StepHandlerRegistry): Promise<void> {
    if (!(await this.provides("step-type"))) return;
    const host = await this.loaded();
    for (const step of host.stepTypes()) {
      if (registry.has(step.id)) continue;
      registry.register({ type: step.id, execute: async (context) => step.run(context.parameters as never) });
    }
  }

  /**
   * Installed `tool` plugins join the agents' tool registry (built-in tools win a name), and tools of
   * plugins that are gone leave it. Starts the host only if some plugin provides a tool.
   */
  async addTools(registry: ToolRegistry, logger: Logger): Promise<void> {
    if (this.#tools.size === 0 && !(await this.provides("tool"))) return;
    syncPluginTools(registry, await this.loaded(), this.#tools, logger);
  }

  /** The `agent` extensions of the installed plugins (each call runs in the plugin's sandbox). */
  async agents(): Promise<AgentExtension[]> {
    if (!(await this.provides("agent"))) return [];
    return (await this.loaded()).agents();
  }

  /** Findings of the `pii-recognizer` plugins (each runs in its sandbox), and which took part. */
  async piiFindings(text: string): Promise<{ findings: PiiFinding[]; used: string[] }> {
    if (!(await this.provides("pii-recognizer"))) return { findings: [], used: [] };
    const host = await this.loaded();
    const findings: PiiFinding[] = [];
    const used: string[] = [];
    for (const recognizer of host.piiRecognizers()) {
      used.push(`${recognizer.plugin}:${recognizer.id}`);
      for (const span of await recognizer.recognize(text)) {
        findings.push({ type: span.type, start: span.start, end: span.end, score: span.score ?? 0.85, recognizer: `plugin:${recognizer.plugin}` });
      }
    }
    return { findings, used };
  }

  /**
   * Hot reload: when a plugin folder changes (a plugin copied in, edited or removed), the host
   * rescans, stops the plugins whose folder is gone and starts what is new, a moment after the
   * last change. Only a host already started is touched (one that never started starts fresh on
   * first use anyway).
   */
  watch(onReload?: (error?: unknown) => void): void {
    let timer: NodeJS.Timeout | undefined;
    const reload = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void this.#reload().then(() => onReload?.(), (error: unknown) => onReload?.(error));
      }, 300);
      timer.unref();
    };
    for (const dir of this.config.directories) {
      try {
        const watcher = fs.watch(dir, { recursive: true }, reload);
        watcher.unref();
        this.#watchers.push(watcher);
      } catch {
        // a configured folder that does not exist yet: nothing to watch
      }
    }
  }

  async #reload(): Promise<void> {
    if (!this.#loaded) return;
    const host = await this.#loaded;
    for (const p of host.plugins()) {
      const running = p.state !== "unloaded" && p.state !== "refused";
      if (running && p.folder && !fs.existsSync(path.join(p.folder, "bear-plugin.json"))) await host.unload(p.name, { cascade: true }).catch(() => undefined);
    }
    await host.loadAll();
  }

  stopWatching(): void {
    for (const w of this.#watchers.splice(0)) w.close();
  }
}
