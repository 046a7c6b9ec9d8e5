import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Command } from "commander";
import { ensureWorkspace, isOfflineEnforced } from "@bear/core";
import { loadCliConfig, type GlobalFlags } from "../cli-config";
import { emit } from "../output";

interface DemoFlags {
  readonly keep?: boolean;
}

/**
 * The product end to end on an embedded default, with nothing downloaded. It grows as the
 * packages land; today it prepares a throw-away workspace and shows what BEAR would use.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description("run BEAR end to end in a temporary workspace, offline, with no model needed")
    .option("--keep", "keep the temporary workspace afterwards")
    .addHelpText("after", "\nExamples:\n  bear demo\n  bear demo --json --keep")
    .action((flags: DemoFlags) => {
      const globals = program.opts<GlobalFlags>();
      const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-demo-"));
      try {
        const { config, files } = loadCliConfig({ ...globals, dataDir: path.join(demoDir, "data") });
        const layout = ensureWorkspace(config.dataDir);
        const report = {
          workspace: layout,
          configFiles: files,
          offline: { enforced: isOfflineEnforced(), configured: config.offline.enforce },
          server: `http://${config.server.host}:${config.server.port}`,
          models: config.models.llm ?? "none configured: lexical search and extractive answers",
          kept: Boolean(flags.keep),
        };
        emit({ json: Boolean(globals.json) }, report, () =>
          [
            "BEAR demo: everything stays on this machine.",
            `  workspace   ${layout.root} (folders 0700: models, indexes, state, audit, cache, plugins, tmp)`,
            `  offline     guard ${report.offline.enforced ? "on" : "off"}: only loopback connections are allowed`,
            `  server      would listen on ${report.server}`,
            `  models      ${report.models}`,
            `  config      ${files.length ? files.join(", ") : "defaults (no config file found)"}`,
            flags.keep ? `  kept        ${demoDir}` : "  cleaned     the temporary workspace is removed",
            "",
            "Next: `bear config` shows every setting and where it came from.",
          ].join("\n"),
        );
      } finally {
        if (!flags.keep) fs.rmSync(demoDir, { recursive: true, force: true });
      }
    });
}
