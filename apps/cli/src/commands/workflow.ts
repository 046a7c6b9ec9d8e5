import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { assertMatterId, terminalSafe, terminalSafeJson } from "@bear/core";
import type { LiveRuns, RunDetails, RunHandle, RunOutcome, RunResult, RunStatus, RunStepView, WorkflowEngine, WorkflowEvent, Workspace } from "@bear/workspace";
import { CliError } from "../cli-error";
import { CLI_ACTOR, CommandContext } from "../context";
import { bold, dim, green, red, yellow } from "../output";
import { progressBar } from "../progress";
import { clusterRedisUrl, instanceCluster, parsePositiveInt } from "./options";

interface RunFlags {
  readonly redis?: string;
  readonly input?: string[];
  readonly runId?: string;
  readonly matter: string;
  readonly files?: string;
  readonly parallelism?: string;
  readonly progress: boolean;
}

const STEPS_BAR = " {bar} {value}/{total} steps | {running}";

export function registerWorkflowCommand(program: Command): void {
  const workflow = program
    .command("workflow")
    .description("run durable workflows (YAML or JSON) and follow their progress")
    .addHelpText("after", "\nExamples:\n  bear workflow run digest.yaml --input export_file=clauses.json\n  bear workflow list\n  bear workflow status <run-id>\n  bear workflow resume <run-id>\n  bear workflow cancel <run-id>");

  workflow
    .command("run")
    .description("validate a workflow file, run it and show each step's progress live")
    .argument("<file>", "workflow definition (.yaml, .yml or .json), or the name of a built-in workflow")
    .option("-i, --input <key=value...>", "workflow inputs (values are parsed as JSON when they can be)")
    .option("--run-id <id>", "id for the run (default: a random UUID)")
    .option("--matter <name>", "the matter (client file) the run works for: its steps read and index that matter's documents only", "default")
    .option("--files <dir>", "folder file_operations steps may read and write (default: the current folder)")
    .option("--parallelism <n>", "steps run at once")
    .option("--no-progress", "no progress bar, even at a terminal")
    .option("--redis <url>", "send step work to `bear worker`s through this Redis (default: BEAR_REDIS_URL; none: run here)")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  bear workflow run digest.yaml",
        "  bear workflow run contract_folder_risks --files ./contracts -i folder=.   # built-in: every contract's risks",
        "  bear workflow run extract_redact_index -i path=lease.txt            # built-in: extract, redact, index",
        "  bear workflow run clause_summary -i path=lease.txt                  # built-in: draft, review, refine",
        "  BEAR_REDIS_URL=redis://:secret@127.0.0.1:6379 bear workflow run review.yaml   # steps on the workers",
        "  bear workflow run digest.yaml -i export_file=export.json -i min_risk=8 --run-id digest-1",
        "  bear workflow run digest.yaml --json | jq .outputs",
        "",
        "Step types: data_processing, file_operations (confined to --files), llm_generation (when a model",
        "is configured), tool_execution, agent.task (by capability; `bear workflow builtins` lists the",
        "built-in workflows). Exit codes: 0 completed, 2 invalid workflow or inputs, 3 run failed, 130 cancelled.",
      ].join("\n"),
    )
    .action(async (file: string, flags: RunFlags, command: Command) => {
      const ctx = CommandContext.of(command);
      assertMatterId(flags.matter, "--matter");
      await ctx.requireWorkspace();
      // Syntax errors are reported before the workflow database is opened (one process owns it at a time).
      const { workflowSource, submittedWorkflow } = await import("@bear/workspace");
      const { text, source } = workflowSource(file);
      const inputs = parseInputs(flags.input ?? []);
      const parallelism = flags.parallelism === undefined ? undefined : parsePositiveInt("--parallelism", flags.parallelism, 1024);
      const redisUrl = await clusterRedisUrl(flags.redis);
      const outcome = await withRunningEngine(ctx, { folder: flags.files }, redisUrl, async (engine, live) => {
        // Validate first so a bad file fails before anything is written.
        const definition = engine.load(text, { source });
        // nor one naming BEAR's own step types (review, redact, llm.*…), whose acts audit and the steps do not
        const submitted = submittedWorkflow(engine, definition);
        const bar = await progressBar(flags.progress && !ctx.json, STEPS_BAR, definition.steps.length, { running: "starting" });
        return follow(ctx, engine, live, () => engine.start(submitted, inputs, { matter: flags.matter, actor: CLI_ACTOR, ...(flags.runId ? { runId: flags.runId } : {}), ...(parallelism ? { parallelism } : {}) }), bar);
      });
      await reportRun(ctx, outcome);
    });

  workflow
    .command("builtins")
    .description("the built-in workflows (run one by name with `bear workflow run <name>`)")
    .option("--show <name>", "print one built-in workflow's definition (YAML)")
    .addHelpText("after", "\nExamples:\n  bear workflow builtins\n  bear workflow builtins --show clause_summary > my-summary.yaml")
    .action(async (flags: { show?: string }, command: Command) => {
      const ctx = CommandContext.of(command);
      const { BUILT_IN_WORKFLOWS, builtInWorkflow } = await import("@bear/workspace");
      if (flags.show !== undefined) {
        const one = builtInWorkflow(flags.show);
        if (!one) throw new CliError("INPUT_NOT_FOUND", `no built-in workflow '${flags.show}'`, { hint: `Built-in workflows: ${BUILT_IN_WORKFLOWS.map((w) => w.name).join(", ")}.` });
        return ctx.emit({ ...one }, () => one.definition.trimEnd());
      }
      const workflows = BUILT_IN_WORKFLOWS.map((w) => ({ name: w.name, pattern: w.pattern, description: w.description }));
      ctx.emit({ workflows }, () => workflows.map((w) => `  ${bold(w.name.padEnd(24))} ${dim((w.pattern ?? "steps").padEnd(14))} ${w.description}`).join("\n"));
    });

  workflow
    .command("resume")
    .description("resume runs a stopped `bear` process left unfinished (completed steps are not run again)")
    .argument("[run-id]", "the run to resume (default: every interrupted run)")
    .option("--files <dir>", "without a run id: resume the runs started with this folder for their file steps (default: the current folder)")
    .option("--no-progress", "no progress bar, even at a terminal")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  bear workflow list --status running     # runs left unfinished by a crash or a kill",
        "  bear workflow resume digest-1",
        "  bear workflow resume --json",
        "",
        "A step that was running when the process stopped runs again if it has attempts left, else it",
        "fails with INTERRUPTED. A run resumes in the file area it started with: a run started with",
        "`bear workflow run` in the folder it was given (--files or the current folder then), a run started",
        "over the API in its matter's area of the workspace, never in the folder you resume from.",
        "Exit codes as for `run`; 2 when the run is unknown, already finished or of another folder.",
      ].join("\n"),
    )
    .action(async (runId: string | undefined, flags: { files?: string; progress: boolean }, command: Command) => {
      const ctx = CommandContext.of(command);
      await ctx.requireWorkspace();
      const area = runId === undefined || flags.files !== undefined ? { folder: flags.files } : await resumeArea(ctx, runId);
      const outcomes = await withRunningEngine(ctx, area, undefined, async (engine, live) => {
        const { resumeRun } = await import("@bear/workspace");
        const handles = runId === undefined ? engine.resumeInterrupted() : [resumeRun(engine, runId)];
        if (runId === undefined) reportRunsLeft(ctx, engine, handles);
        if (handles.length === 1) {
          const total = engine.getRun(handles[0]!.runId).progress.total;
          const bar = await progressBar(flags.progress && !ctx.json, STEPS_BAR, total, { running: "resuming" });
          return [await follow(ctx, engine, live, () => handles[0]!, bar)];
        }
        return Promise.all(handles.map((handle) => follow(ctx, engine, live, () => handle, undefined)));
      });
      if (outcomes.length === 1) return reportRun(ctx, outcomes[0]!);
      const { runSteps } = await import("@bear/workspace");
      const runs = outcomes.map(({ result, details }) => ({ ...result, steps: runSteps(details).map(({ agent: _agent, ...step }) => step), progress: details.progress }));
      ctx.emit({ runs }, () => (outcomes.length === 0 ? "No interrupted runs to resume." : outcomes.map(({ result, details }) => renderResult(result, details, runSteps(details))).join("\n")));
      const failed = outcomes.filter((o) => o.result.status !== "completed");
      if (failed.length > 0) {
        throw new CliError("PARTIAL_FAILURE", `${failed.length} of ${outcomes.length} resumed runs did not complete`, {
          hint: "`bear workflow status <run-id>` shows each step.",
          details: { runIds: failed.map((o) => o.result.runId) },
        });
      }
    });

  workflow
    .command("list")
    .description("recent runs and their status")
    .option("--status <status>", "only runs with this status (pending, running, completed, failed, cancelled)")
    .option("--limit <n>", "at most this many runs", "20")
    .addHelpText("after", "\nExamples:\n  bear workflow list\n  bear workflow list --status failed --json")
    .action(async (flags: { status?: string; limit: string }, command: Command) => {
      const ctx = CommandContext.of(command);
      await ctx.requireWorkspace();
      const limit = parsePositiveInt("--limit", flags.limit, 10_000);
      const statuses = ["pending", "running", "completed", "failed", "cancelled"];
      if (flags.status && !statuses.includes(flags.status)) throw new CliError("USAGE", `--status must be one of ${statuses.join(", ")}, not '${flags.status}'`);
      const { listRuns } = await import("@bear/workspace");
      const runs = await ctx.withWorkspace({ llm: false }, (workspace) => listRuns(workspace, { limit, ...(flags.status ? { status: flags.status as RunStatus } : {}) }));
      ctx.emit({ runs }, () => {
        if (runs.length === 0) return "No workflow runs yet. Start one with `bear workflow run <file.yaml>`.";
        const lines = runs.map((r) => `  ${colourStatus(String(r.status)).padEnd(20)} ${String(r.runId).padEnd(38)} ${String(r.workflow)} ${dim(String(r.createdAt ?? ""))}${r.interrupted ? yellow(" interrupted") : ""}`);
        if (runs.some((r) => r.interrupted)) lines.push(dim("Interrupted runs were left by a process that stopped: `bear workflow resume <run-id>` continues one."));
        return lines.join("\n");
      });
    });

  workflow
    .command("status")
    .description("one run's status and each step's progress")
    .argument("<run-id>", "the run id (see `bear workflow list`)")
    .addHelpText("after", "\nExamples:\n  bear workflow status digest-1\n  bear workflow status digest-1 --json | jq .progress")
    .action(async (runId: string, _flags: unknown, command: Command) => {
      const ctx = CommandContext.of(command);
      await ctx.requireWorkspace();
      const { runStatus } = await import("@bear/workspace");
      const status = await ctx.withWorkspace({ llm: false }, (workspace) => runStatus(workspace, runId));
      ctx.emit(status, () => {
        const lines = [`${bold(String(status.runId))} ${String(status.workflow)}: ${colourStatus(String(status.status))}${status.live ? dim(" (running in another process)") : ""}`];
        const p = status.progress;
        lines.push(`  steps: ${p.completed} completed, ${p.running} running, ${p.pending} pending, ${p.failed} failed, ${p.skipped} skipped, ${p.cancelled} cancelled (of ${p.total})`);
        for (const s of status.steps) {
          const agent = s.agent;
          lines.push(`  ${colourStatus(s.status).padEnd(20)} ${s.index === null ? s.id : `${s.id}[${s.index}]`}${s.attempt > 1 ? dim(` attempt ${s.attempt}`) : ""}${agent ? dim(` ${describeAssignment(agent)}`) : ""}`);
          const breakdown = agent?.["breakdown"] as { capability: number; history: number; load: number; time: number } | null | undefined;
          if (breakdown) lines.push(dim(`      score = 0.4×capability ${breakdown.capability} + 0.3×history ${breakdown.history} + 0.2×load ${breakdown.load} + 0.1×time ${breakdown.time}`));
        }
        if (status.error) lines.push(red(`  ${status.error.code}: ${terminalSafe(status.error.message)}`));
        return lines.join("\n");
      });
    });

  workflow
    .command("cancel")
    .description("cancel a running run (in this or another `bear` process)")
    .argument("<run-id>", "the run id")
    .addHelpText("after", "\nExamples:\n  bear workflow cancel digest-1\n  bear workflow cancel digest-1 --json")
    .action(async (runId: string, _flags: unknown, command: Command) => {
      const ctx = CommandContext.of(command);
      await ctx.requireWorkspace();
      const { cancelRun } = await import("@bear/workspace");
      // A run of a live `bear workflow run` is cancelled by asking that process, which says when it has.
      const outcome = await ctx.withWorkspace({ llm: false }, (workspace) => cancelRun(workspace, runId, "cancelled with `bear workflow cancel`", CLI_ACTOR));
      ctx.emit(outcome, () => (outcome.cancelled ? `Cancelled ${runId}.` : `Run ${runId} had already finished; nothing to cancel.`));
    });
}

/** The exit of a finished run: 0 completed, 3 failed, 130 cancelled (the output says why). */
async function reportRun(ctx: CommandContext, { result, details }: RunOutcome): Promise<void> {
  const { runSteps } = await import("@bear/workspace");
  ctx.emit({ ...result, steps: runSteps(details), progress: details.progress }, () => renderResult(result, details, runSteps(details)));
  if (result.status === "cancelled") throw new CliError("CANCELLED", `run '${result.runId}' was cancelled`);
  if (result.status === "failed") {
    throw new CliError("PARTIAL_FAILURE", `run '${result.runId}' failed: ${result.error?.message ?? "a step failed"}`, {
      hint: `\`bear workflow status ${result.runId}\` shows each step.`,
      details: { runId: result.runId, ...(result.error ? { error: result.error } : {}) },
    });
  }
}

function parseInputs(pairs: readonly string[]): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new CliError("USAGE", `--input '${pair}' must look like key=value`);
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a plain string
    }
    inputs[pair.slice(0, eq)] = value;
  }
  return inputs;
}

/** Where an engine's file steps work: a folder (`--files`, default the current one) or the workspace's matter areas. */
type FileAreaChoice = { readonly folder: string | undefined } | { readonly matters: true };

/**
 * Opens the workspace's engine to run steps (`file_operations` confined to the chosen folder, or to
 * each run's matter area; installed plugins' step types), runs `fn`, and closes it all.
 */
async function withRunningEngine<T>(ctx: CommandContext, area: FileAreaChoice, redisUrl: string | undefined, fn: (engine: WorkflowEngine, live: LiveRuns) => Promise<T>): Promise<T> {
  let files = {};
  if ("folder" in area) {
    const filesRoot = path.resolve(area.folder ?? process.cwd());
    if (!fs.existsSync(filesRoot)) throw new CliError("INPUT_NOT_FOUND", `--files folder '${area.folder}' does not exist`);
    files = { workflowFiles: filesRoot };
  }
  // With a Redis URL this process is one instance of a cluster: steps go to the workers' queues.
  const cluster = instanceCluster(redisUrl);
  const { runningEngine } = await import("@bear/workspace");
  return ctx.withWorkspace({ ...files, ...cluster }, async (workspace: Workspace) => fn(await runningEngine(workspace), workspace.liveRuns));
}

/**
 * The file area a run started with, so that `resume` runs it there and nowhere else: the folder a
 * `bear workflow run` was given, or the matter areas of a run started over the API (and of runs an
 * older release did not record: the stricter choice).
 */
async function resumeArea(ctx: CommandContext, runId: string): Promise<FileAreaChoice> {
  const { parseFileArea, recordedFileArea } = await import("@bear/workspace");
  const recorded = parseFileArea(await ctx.withWorkspace({ llm: false }, (workspace) => recordedFileArea(workspace, runId)));
  if (recorded.kind === "none") return { folder: undefined };
  if (recorded.kind === "folder") {
    const folder = recorded.root;
    if (!fs.existsSync(folder)) throw new CliError("INPUT_NOT_FOUND", `run '${runId}' works in the folder '${folder}', which no longer exists`, { hint: "Restore the folder, or start the workflow again with `bear workflow run`." });
    return { folder };
  }
  return { matters: true };
}

/** Says which interrupted runs `resume` left alone because they belong to another file area. */
function reportRunsLeft(ctx: CommandContext, engine: WorkflowEngine, resumed: readonly RunHandle[]): void {
  const taken = new Set(resumed.map((h) => h.runId));
  const left = engine.listRuns({ status: ["pending", "running"], limit: 1000 }).filter((r) => !taken.has(r.id));
  if (left.length === 0 || ctx.json) return;
  process.stderr.write(`${left.length} interrupted run(s) work in another file area and were left: ${left.map((r) => r.id).join(", ")}. Resume each with \`bear workflow resume <run-id>\`.\n`);
}

/**
 * Starts (or takes) a run and follows it to its end: progress on the bar (or one line per event on
 * stderr); Ctrl-C cancels it. `start` runs in the same turn as the subscription: events begin on the next tick.
 */
async function follow(ctx: CommandContext, engine: WorkflowEngine, live: LiveRuns, start: () => RunHandle, bar: Awaited<ReturnType<typeof progressBar>>): Promise<RunOutcome> {
  const { followRun } = await import("@bear/workspace");
  const interrupt = new AbortController();
  const onSigint = (): void => interrupt.abort("interrupted (Ctrl-C)");
  process.on("SIGINT", onSigint);
  try {
    return await followRun(engine, live, start(), {
      interrupt: interrupt.signal,
      onEvent: (event) => (!bar && !ctx.json ? void process.stderr.write(`${describeEvent(event)}\n`) : undefined),
      onProgress: (d) => bar?.update(d.progress.completed + d.progress.skipped + d.progress.failed, { running: d.steps.filter((s) => s.status === "running" && s.index === null).map((s) => s.stepId).join(", ") || "-" }),
    });
  } finally {
    process.off("SIGINT", onSigint);
    bar?.stop();
  }
}

function describeEvent(e: WorkflowEvent): string {
  const step = "stepId" in e ? `${e.stepId}${e.index === undefined ? "" : `[${e.index}]`}` : "";
  switch (e.type) {
    case "run.started":
      return `run ${e.runId} (${e.workflow}) started`;
    case "step.started":
      return `  ${step} started${e.attempt > 1 ? ` (attempt ${e.attempt})` : ""}`;
    case "step.progress":
      return `  ${step} ${e.fraction === undefined ? "" : `${Math.round(e.fraction * 100)}% `}${terminalSafe(e.message ?? "")}`;
    case "step.completed":
      return `  ${step} ${green("completed", process.stderr)} (${e.durationMs} ms)`;
    case "step.failed":
      return `  ${step} ${red("failed", process.stderr)}: ${e.error.code}: ${terminalSafe(e.error.message)}`;
    case "step.retried":
      return `  ${step} ${yellow("retrying", process.stderr)} in ${e.delayMs} ms (${e.error.code})`;
    case "step.assigned":
      return `  ${step} ${describeAssignment(e.assignment)}`;
    case "step.skipped":
      return `  ${step} skipped: ${e.reason}`;
    case "step.cancelled":
      return `  ${step} cancelled`;
    case "run.completed":
      return `run ${e.runId} ${e.status} in ${e.durationMs} ms`;
  }
}

/** "by data-executor (score 0.84), validator: valid" — what the agents reported for an attempt. */
function describeAssignment(a: Readonly<Record<string, unknown>>): string {
  const verdict = a["verdict"] as { valid?: boolean; issues?: unknown[] } | null | undefined;
  const score = typeof a["score"] === "number" ? ` (score ${a["score"]})` : "";
  const judged = verdict ? `, validator: ${verdict.valid ? "valid" : `rejected (${verdict.issues?.length ?? 0} issue(s))`}` : "";
  return `by ${String(a["agentId"] ?? "?")}${score}${judged}`;
}

function colourStatus(status: string): string {
  if (status === "completed") return green(status);
  if (status === "failed") return red(status);
  if (status === "running" || status === "pending") return yellow(status);
  return status;
}

function renderResult(result: RunResult, details: RunDetails, steps: readonly RunStepView[]): string {
  const p = details.progress;
  const lines = [`Run ${bold(result.runId)}: ${colourStatus(result.status)} (${p.completed}/${p.total} steps completed${p.skipped ? `, ${p.skipped} skipped` : ""}${p.failed ? `, ${p.failed} failed` : ""})`];
  if (result.error) lines.push(red(`  ${result.error.code}: ${terminalSafe(result.error.message)}`));
  for (const s of steps) {
    if (s.agent) lines.push(dim(`  ${s.index === null ? s.id : `${s.id}[${s.index}]`} ${describeAssignment(s.agent)}`));
  }
  if (result.status === "completed") lines.push(`  outputs: ${truncate(terminalSafeJson(result.outputs))}`);
  return lines.join("\n");
}

function truncate(text: string, max = 400): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
