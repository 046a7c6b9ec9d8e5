import { terminalSafe } from "@bear/core";
import type { Command } from "commander";
import { CliError } from "../cli-error";
import { CLI_ACTOR, CommandContext } from "../context";
import { bold, dim, green, red } from "../output";

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
      await ctx.requireWorkspace();
      const { rows, directories } = await ctx.withWorkspace({ llm: false }, async (workspace) => ({ rows: await workspace.plugins.list(), directories: workspace.plugins.directories }));
      ctx.emit({ plugins: rows, directories }, () =>
        rows.length === 0
          ? `No plugins installed. Install one with \`bear plugins install <folder>\` (folders: ${directories.join(", ")}).`
          : rows
              .map((r) =>
                r.state === "valid"
                  ? `  ${green("ok     ")} ${bold(terminalSafe(r.name))} ${terminalSafe(r.version ?? "")} ${dim(terminalSafe(`${(r.provides ?? []).map((p) => `${p.point}:${p.id}`).join(", ")}${r.installed ? "" : " (configured folder)"}`))}`
                  : `  ${red("refused")} ${bold(terminalSafe(r.name))} ${terminalSafe(String((r.error as { message?: string } | undefined)?.message ?? ""))}`,
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
      await ctx.requireWorkspace();
      const info = await ctx.withWorkspace({ llm: false }, (workspace) => workspace.plugins.install(folder, { force: Boolean(flags.force), actor: CLI_ACTOR }));
      ctx.emit(info, () => `Installed ${terminalSafe(`${info.name} ${info.version} (${info.provides.map((p) => `${p.point}:${p.id}`).join(", ")})`)} into ${info.folder}; it started in its sandbox.`);
    });

  plugins
    .command("remove")
    .description("remove a plugin installed in the workspace")
    .argument("<name>", "the plugin's name")
    .addHelpText("after", "\nExamples:\n  bear plugins remove us-case-numbers\n  bear plugins remove us-case-numbers --json")
    .action(async (name: string, _flags: unknown, command: Command) => {
      const ctx = CommandContext.of(command);
      await ctx.requireWorkspace();
      if (!/^[a-z0-9][a-z0-9-]{1,63}$/.test(name)) throw new CliError("USAGE", `'${name}' is not a plugin name (lowercase letters, digits and dashes)`);
      const row = await ctx.withWorkspace({ llm: false }, (workspace) => workspace.plugins.remove(name, CLI_ACTOR));
      const dependants = row.dependants;
      ctx.emit({ name, removed: true, folder: row.folder, dependants }, () =>
        [`Removed ${name}.`, ...(dependants.length ? [`These plugins depend on it and will be refused: ${dependants.join(", ")}`] : [])].join("\n"),
      );
    });
}
