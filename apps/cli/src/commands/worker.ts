import type { Command } from "commander";
import { CliError } from "../cli-error";
import { CommandContext } from "../context";
import { bold, dim } from "../output";
import { clusterRedisUrl, parsePositiveInt } from "./options";

interface WorkerFlags {
  readonly redis?: string;
  readonly capabilities?: string;
  readonly concurrency: string;
  readonly lockMs: string;
}

export function registerWorkerCommand(program: Command): void {
  program
    .command("worker")
    .description("run workflow steps for API instances on other processes or machines (BullMQ queues on Redis)")
    .option("--redis <url>", "the cluster's Redis: redis://:PASSWORD@HOST:PORT (default: BEAR_REDIS_URL)")
    .option("--capabilities <list>", "step types to take, comma-separated; prefixes such as legal.* and * (all) work", "*")
    .option("--concurrency <n>", "jobs at once per step type", "1")
    .option("--lock-ms <ms>", "a job's lock: if this worker dies, its running jobs go to another worker after about this long", "15000")
    .addHelpText(
      "after",
      [
        "",
        "The worker opens this workspace (its models and shared folder) and takes step jobs from the",
        "queues of its capabilities until stopped. Redis must be on loopback, or on a private address",
        "with a password. Jobs carry ids; parameters and outputs stay in the workspace folder.",
        "",
        "Examples:",
        "  BEAR_REDIS_URL=redis://:secret@127.0.0.1:6379 bear worker",
        "  BEAR_REDIS_URL=redis://:secret@10.0.0.5:6379 bear worker --capabilities legal.*,llm_generation --concurrency 2",
        "  bear worker --json    # one JSON line { worker, capabilities } once taking jobs",
      ].join("\n"),
    )
    .action(async (flags: WorkerFlags, command: Command) => {
      const ctx = CommandContext.of(command);
      await ctx.requireWorkspace();
      const concurrency = parsePositiveInt("--concurrency", flags.concurrency, 64);
      const lockDurationMs = parsePositiveInt("--lock-ms", flags.lockMs, 3_600_000);
      if (lockDurationMs < 1000) throw new CliError("USAGE", `--lock-ms must be at least 1000, not '${flags.lockMs}'`);
      const capabilities = (flags.capabilities ?? "*").split(",").map((c) => c.trim()).filter(Boolean);
      if (capabilities.length === 0) throw new CliError("USAGE", "--capabilities names no step type");
      const redisUrl = await clusterRedisUrl(flags.redis);
      if (!redisUrl) throw new CliError("USAGE", "bear worker needs the cluster's Redis", { hint: "Give --redis redis://:PASSWORD@HOST:PORT or set BEAR_REDIS_URL." });
      await ctx.withWorkspace({ cluster: { redisUrl, role: "worker", failFast: true }, resumeWorkflows: false }, async (workspace) => {
        const worker = await workspace.startWorker({ capabilities, concurrency, lockDurationMs, stalledIntervalMs: Math.max(500, Math.round(lockDurationMs / 3)) });
        ctx.emit({ worker: worker.id, capabilities: worker.capabilities, concurrency }, () =>
          [`${bold("BEAR worker")} ${worker.id} is taking jobs`, `  step types: ${worker.capabilities.join(", ")}`, `  concurrency: ${concurrency} per step type`, dim("Ctrl-C to stop (running jobs finish first).")].join("\n"),
        );
        await new Promise<void>((resolve) => {
          process.once("SIGINT", resolve);
          process.once("SIGTERM", resolve);
        });
      });
    });
}
