import os from "node:os";
import type { Command } from "commander";
import type { HealthCheck } from "@bear/workspace";
import { CommandContext } from "../context";
import { CliError } from "../cli-error";
import { bold, dim, green, red, yellow } from "../output";
import { passphraseFromEnv, redisUrlFromEnv } from "../cli-config";
import { warnOfPasswordInArguments } from "./options";

export function registerDoctorCommand(program: Command): void {
  program
    .command("doctor")
    .description("check hardware, models, workspace, index, audit log, plugins and offline status, and say what to fix")
    .option("--redis <url>", "also check the cluster's Redis server, as `bear serve --redis` would use it (default: BEAR_REDIS_URL; cache.redisUrl is always checked)")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  bear doctor",
        "  bear doctor --json | jq '.checks[] | select(.level != \"ok\")'",
        "  BEAR_REDIS_URL=redis://:secret@127.0.0.1:6379 bear doctor",
        "",
        "Exit codes: 0 nothing to fix (warnings are advice), 2 something must be fixed.",
      ].join("\n"),
    )
    .action(async (flags: { redis?: string }, command: Command) => {
      const ctx = CommandContext.of(command);
      const { diagnoseWorkspace } = await import("@bear/workspace");
      // the cluster's URL as serve and worker take it (a bad one is a failed "redis" row, not an error)
      warnOfPasswordInArguments(flags.redis);
      const redisUrl = flags.redis ?? redisUrlFromEnv();
      const found = await diagnoseWorkspace({
        config: ctx.config,
        canUnseal: passphraseFromEnv() !== undefined || Boolean(process.stdin.isTTY),
        ...(redisUrl === undefined ? {} : { redisUrl }),
        withWorkspace: (fn) => ctx.withWorkspace({ llm: false }, fn),
      });
      // The configuration files are the CLI's own (the workspace is handed a resolved config).
      const config: HealthCheck = {
        area: "config",
        level: ctx.loaded.warnings.length ? "warn" : "ok",
        summary: ctx.loaded.files.length ? `read ${ctx.loaded.files.join(", ")}` : "defaults (no config file)",
        ...(ctx.loaded.warnings.length ? { fix: ctx.loaded.warnings.join("; ") } : {}),
      };
      const checks = [...found.slice(0, 2), config, ...found.slice(2)];
      const fixes = checks.filter((c) => c.level !== "ok" && c.fix).map((c) => `${c.area}: ${c.fix}`);
      const healthy = !checks.some((c) => c.level === "fail");
      ctx.emit({ healthy, checks, fixes }, () => render(checks, fixes));
      if (!healthy) throw new CliError("INPUT_INVALID", `${checks.filter((c) => c.level === "fail").length} problem(s) need fixing (listed above)`);
    });
}

function render(checks: readonly HealthCheck[], fixes: readonly string[]): string {
  const mark = (l: HealthCheck["level"]): string => (l === "ok" ? green("ok  ") : l === "warn" ? yellow("warn") : red("FAIL"));
  const lines = [bold(`BEAR doctor (${os.hostname()}, node ${process.versions.node})`)];
  for (const c of checks) lines.push(`  ${mark(c.level)} ${c.area.padEnd(10)} ${c.summary}`);
  lines.push("");
  if (fixes.length === 0) lines.push(green("Nothing to fix."));
  else {
    lines.push(bold("What to fix:"));
    for (const f of fixes) lines.push(`  - ${f}`);
  }
  lines.push(dim("Everything above was checked on this machine; nothing was sent anywhere."));
  return lines.join("\n");
}
