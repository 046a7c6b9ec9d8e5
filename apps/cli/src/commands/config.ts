import type { Command } from "commander";
import { loadCliConfig, type GlobalFlags } from "../cli-config";
import { emit } from "../output";

export function registerConfigCommand(program: Command): void {
  program
    .command("config")
    .description("show the resolved configuration and where each setting came from")
    .addHelpText("after", "\nExamples:\n  bear config\n  BEAR_SERVER_PORT=8080 bear config --json")
    .action(() => {
      const flags = program.opts<GlobalFlags>();
      const loaded = loadCliConfig(flags);
      emit({ json: Boolean(flags.json) }, loaded, () => {
        const lines = Object.entries(loaded.sources)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([key, source]) => `  ${key.padEnd(28)} ${JSON.stringify(valueAt(loaded.config, key)).padEnd(24)} ${source}`);
        const warnings = loaded.warnings.map((w) => `warning: ${w}`);
        return [`config files: ${loaded.files.length ? loaded.files.join(", ") : "(none)"}`, ...lines, ...warnings].join("\n");
      });
    });
}

function valueAt(config: object, key: string): unknown {
  return key.split(".").reduce<unknown>((node, k) => (node as Record<string, unknown> | undefined)?.[k], config);
}
