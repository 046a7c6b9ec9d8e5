import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import type { PluginPermission } from "@bear/plugins";
import { CliError } from "../cli-error";
import { CommandContext } from "../context";
import { bold, dim, green, red } from "../output";
import { withServices } from "../services";

interface PluginRow {
  readonly name: string;
  readonly version?: string;
  readonly folder: string;
  readonly installed: boolean;
  readonly state: "valid" | "refused";
  readonly description?: string;
  readonly provides?: ReadonlyArray<{ point: string; id: string }>;
  readonly permissions?: readonly string[];
  readonly error?: unknown;
}

export function registerPluginsCommand(program: Command): void {
  const plugins = program
    .command("plugins")
    .description("local plugins (sandboxed, offline): list, install, remove")
    .addHelpText("after", "\nExamples:\n  bear plugins list\n  bear plugins install ./us-case-numbers\n  bear plugins remove us-case-numbers");

  plugins
    .command("list")
    .description("plugins in the workspace and the configured plugin folders, validated (manifest, API, permissions, entry)")
    .addHelpText("after", "\nExamples:\n  bear plugins list\n  bear plugins list --json | jq '.plugins[] | select(.state == \"refused\")'")
    .action(async (_flags: unknown, command: Command) => {
      const ctx = CommandContext.of(command);
      ctx.manifest();
      const rows = await discover(ctx);
      ctx.emit({ plugins: rows, directories: pluginDirs(ctx) }, () =>
        rows.length === 0
          ? `No plugins installed. Install one with \`bear plugins install <folder>\` (folders: ${pluginDirs(ctx).join(", ")}).`
          : rows
              .map((r) =>
                r.state === "valid"
                  ? `  ${green("ok     ")} ${bold(r.name)} ${r.version ?? ""} ${dim(`${(r.provides ?? []).map((p) => `${p.point}:${p.id}`).join(", ")}${r.installed ? "" : " (configured folder)"}`)}`
                  : `  ${red("refused")} ${bold(r.name)} ${String((r.error as { message?: string } | undefined)?.message ?? "")}`,
              )
              .join("\n"),
      );
    });

  plugins
    .command("install")
    .description("validate a plugin folder, copy it into the workspace and check it starts in its sandbox")
    .argument("<folder>", "a folder holding bear-plugin.json and its entry module")
    .option("--force", "replace an installed plugin of the same name")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  bear plugins install ./packages/plugins/examples/us-case-numbers",
        "  bear plugins install ./my-plugin --force --json",
        "",
        "Plugins run in a child process under Node's permission model, with no network. A plugin asking",
        "for a permission your configuration (plugins.allowedPermissions) does not allow is refused.",
      ].join("\n"),
    )
    .action(async (folder: string, flags: { force?: boolean }, command: Command) => {
      const ctx = CommandContext.of(command);
      ctx.manifest();
      const source = path.resolve(folder);
      if (!fs.existsSync(source) || !fs.statSync(source).isDirectory()) {
        throw new CliError("INPUT_NOT_FOUND", `plugin folder '${folder}' does not exist`, { hint: "Give the folder that holds bear-plugin.json." });
      }
      const { copyPluginFolder, inspectPluginFolder, PLUGIN_API_VERSION, PluginHost } = await import("@bear/plugins");
      const plugin = await inspectPluginFolder(source, { hostApiVersion: PLUGIN_API_VERSION, allowedPermissions: allowedPermissions(ctx), workspaceDir: ctx.layout.root });
      const target = path.join(ctx.layout.plugins, plugin.manifest.name);
      if (fs.existsSync(target)) {
        if (!flags.force) throw new CliError("INPUT_INVALID", `plugin '${plugin.manifest.name}' is already installed`, { hint: "Pass --force to replace it, or `bear plugins remove` it first." });
        fs.rmSync(target, { recursive: true, force: true });
      }
      copyPluginFolder(source, target, plugin.manifest.name); // links stay relative; links out of the folder are refused
      // Prove it starts in its sandbox (and that its dependencies are there) before calling it installed.
      const started = await withServices(ctx, {}, async (services) => {
        const host = new PluginHost(pluginsConfig(ctx), services.logger, services.audit);
        try {
          await host.loadAll();
          return host.plugins().find((p) => p.name === plugin.manifest.name);
        } finally {
          await disposeHost(host);
        }
      });
      if (!started || started.state === "refused" || started.state === "failed") {
        fs.rmSync(target, { recursive: true, force: true });
        throw new CliError("INPUT_INVALID", `plugin '${plugin.manifest.name}' did not start: ${started?.error?.message ?? "unknown reason"}`, {
          hint: started?.error?.hint ?? "Fix the plugin and install it again; nothing was installed.",
        });
      }
      const info = { name: plugin.manifest.name, version: plugin.manifest.version, folder: target, provides: plugin.manifest.provides, permissions: plugin.manifest.permissions };
      ctx.emit(info, () => `Installed ${info.name} ${info.version} (${info.provides.map((p) => `${p.point}:${p.id}`).join(", ")}) into ${target}; it started in its sandbox.`);
    });

  plugins
    .command("remove")
    .description("remove a plugin installed in the workspace")
    .argument("<name>", "the plugin's name")
    .addHelpText("after", "\nExamples:\n  bear plugins remove us-case-numbers\n  bear plugins remove us-case-numbers --json")
    .action(async (name: string, _flags: unknown, command: Command) => {
      const ctx = CommandContext.of(command);
      ctx.manifest();
      if (!/^[a-z0-9][a-z0-9-]{1,63}$/.test(name)) throw new CliError("USAGE", `'${name}' is not a plugin name (lowercase letters, digits and dashes)`);
      const rows = await discover(ctx);
      const row = rows.find((r) => r.name === name && r.installed) ?? rows.find((r) => r.installed && path.basename(r.folder) === name);
      if (!row) {
        const elsewhere = rows.find((r) => r.name === name);
        throw new CliError("INPUT_NOT_FOUND", `plugin '${name}' is not installed in this workspace`, {
          hint: elsewhere ? `It comes from the configured folder '${path.dirname(elsewhere.folder)}'; remove it there or from plugins.dirs.` : "`bear plugins list` shows the installed plugins.",
        });
      }
      const dependants = rows.filter((r) => r.name !== name && r.state === "valid").filter((r) => Object.keys((r as { dependencies?: Record<string, string> }).dependencies ?? {}).includes(name));
      fs.rmSync(row.folder, { recursive: true, force: true });
      await withServices(ctx, {}, (services) => services.audit.record({ action: "plugin.remove", outcome: "success", actor: "cli", resource: name }));
      ctx.emit({ name, removed: true, folder: row.folder, dependants: dependants.map((d) => d.name) }, () =>
        [`Removed ${name}.`, ...(dependants.length ? [`These plugins depend on it and will be refused: ${dependants.map((d) => d.name).join(", ")}`] : [])].join("\n"),
      );
    });
}

export function pluginDirs(ctx: CommandContext): string[] {
  return [ctx.layout.plugins, ...ctx.config.plugins.dirs.map((d) => path.resolve(d))];
}

export function allowedPermissions(ctx: CommandContext): PluginPermission[] {
  return ["fs.read.plugin", ...(ctx.config.plugins.allowedPermissions as PluginPermission[])];
}

export function pluginsConfig(ctx: CommandContext) {
  return { directories: pluginDirs(ctx), allowedPermissions: allowedPermissions(ctx), workspaceDir: ctx.layout.root };
}

async function discover(ctx: CommandContext): Promise<(PluginRow & { dependencies?: Record<string, string> })[]> {
  const { discoverPlugins, PLUGIN_API_VERSION } = await import("@bear/plugins");
  const config = pluginsConfig(ctx);
  const found = await discoverPlugins({ directories: config.directories, hostApiVersion: PLUGIN_API_VERSION, allowedPermissions: config.allowedPermissions, workspaceDir: config.workspaceDir });
  const installed = (folder: string): boolean => path.dirname(folder) === fs.realpathSync(ctx.layout.plugins);
  const rows = [
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

/**
 * Stops the plugin processes. PluginHost.dispose() awaits their exit without holding a ref'd
 * handle, so a plain CLI process would end mid-await with exit code 13: keep the loop alive.
 */
export async function disposeHost(host: { dispose(): Promise<void> }): Promise<void> {
  const keepAlive = setInterval(() => undefined, 50);
  try {
    await host.dispose();
  } finally {
    clearInterval(keepAlive);
  }
}
