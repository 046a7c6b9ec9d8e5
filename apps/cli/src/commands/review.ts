import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { terminalSafe, terminalSafeJson } from "@bear/core";
import type { ContractReviewReport, ReportFormat } from "@bear/workspace";
import { CliError } from "../cli-error";
import { CLI_ACTOR, CommandContext } from "../context";
import { displayPath } from "../output";
import { assertOutputFree, writeOutputFile } from "../output-file";
import { clusterRedisUrl, instanceCluster } from "./options";

interface ReviewFlags {
  readonly format: string;
  readonly out?: string;
  readonly playbook?: string;
  readonly force?: boolean;
  readonly model?: boolean;
  /** Review on the cluster's workers (`--redis URL`, default BEAR_REDIS_URL). */
  readonly redis?: string;
}

export function registerReviewCommand(program: Command): void {
  program
    .command("review")
    .description("review a contract: key terms, clause map, playbook risks and checklists, every finding cited to the character")
    .argument("<contract>", "the contract (txt, md, html, eml, pdf, docx)")
    .option("--format <format>", "markdown, html or json", "markdown")
    .option("-o, --out <file>", "write the report to a file instead of stdout")
    .option("--playbook <file.yaml>", "your own review playbook (default: BEAR's)")
    .option("--force", "overwrite the --out file if it exists")
    .option("--model", "let the configured model (models.llm or `bear models load`) refine the clause labels: slower")
    .option("--redis <url>", "review on `bear worker --capabilities review` through this Redis; the report is cached and audited here (default: BEAR_REDIS_URL)")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  bear review master-services-agreement.pdf",
        "  bear review lease.docx --format html -o lease-review.html",
        "  bear review nda.md --playbook our-playbook.yaml --json | jq .risks",
        "",
        "Works without a model (rules). With --model, the configured model refines the clause labels",
        "(one constrained generation per candidate clause: minutes on a CPU with a 1-3B model).",
      ].join("\n"),
    )
    .action(async (contract: string, flags: ReviewFlags, command: Command) => {
      const ctx = CommandContext.of(command);
      const format = parseFormat(flags.format);
      const folder = await ctx.requireWorkspace();
      if (flags.model && !folder.llmId(ctx.config)) throw new CliError("NOT_AVAILABLE", "--model needs a model, and none is configured", { hint: "Set models.llm (BEAR_MODELS_LLM) or run `bear models load <id>`." });
      const redisUrl = await clusterRedisUrl(flags.redis);
      const out = flags.out === undefined ? undefined : path.resolve(flags.out);
      if (out !== undefined) assertOutputFree(out, flags.force);
      // A rendered report (Markdown, HTML) handed out, to a file or the terminal, is an export, as over the API; the JSON report is the data view.
      const exported = format !== "json" && (out !== undefined || !ctx.json);
      const { report, rendered } = await reviewFile(ctx, contract, { format, exported, useModel: Boolean(flags.model), ...(flags.playbook ? { playbook: flags.playbook } : {}), ...(redisUrl ? { redisUrl } : {}) });
      if (out !== undefined) {
        writeOutputFile(out, rendered, flags.force);
        ctx.emit({ output: out, format, summary: report.summary }, () => `Wrote the ${format} review of ${displayPath(path.resolve(contract))} to ${displayPath(out)} (${summaryLine(report)}).`);
      } else if (ctx.json) {
        ctx.emit(report, () => "");
      } else {
        process.stdout.write(format === "json" ? `${terminalSafeJson(JSON.parse(rendered), 2)}\n` : terminalSafe(rendered.endsWith("\n") ? rendered : `${rendered}\n`, { keepLines: true })); // it quotes clauses
      }
    });
}

function parseFormat(format: string): ReportFormat {
  if (format === "markdown" || format === "html" || format === "json") return format;
  throw new CliError("USAGE", `--format must be markdown, html or json, not '${format}'`);
}

export function summaryLine(report: ContractReviewReport): string {
  const r = report.summary.risks;
  return `${r.critical} critical, ${r.high} high, ${r.medium} medium, ${r.low} low risk(s); ${report.summary.clauseCount} clauses`;
}

/**
 * Reviews one contract with @bear/legal, audited; the report and its rendering in `format`. `exported`:
 * the rendering leaves the workspace (a file, the terminal), audited as an export of kind `review-report`
 * as the API audits a report downloaded as Markdown or HTML.
 */
export async function reviewFile(ctx: CommandContext, file: string, options: { format: ReportFormat; exported?: boolean; useModel?: boolean; playbook?: string; redisUrl?: string }): Promise<{ report: ContractReviewReport; rendered: string }> {
  let playbook: string | undefined;
  if (options.playbook) {
    try {
      playbook = fs.readFileSync(options.playbook, "utf8");
    } catch (error) {
      throw new CliError("INPUT_NOT_FOUND", `cannot read playbook '${options.playbook}' (${(error as NodeJS.ErrnoException).code ?? "error"})`, { cause: error });
    }
  }
  const doc = await (await import("@bear/workspace")).readDocumentText(file); // loaded here: `bear --help` stays fast
  const cluster = instanceCluster(options.redisUrl);
  return ctx.withWorkspace({ llm: Boolean(options.useModel), ...cluster }, async (workspace) => {
    const resource = workspace.contentId(doc.bytes);
    const report = await workspace.review(doc.text, {
      actor: CLI_ACTOR,
      resource,
      documentName: path.basename(doc.input),
      useModel: Boolean(options.useModel),
      details: { format: doc.format },
      ...(playbook === undefined ? {} : { playbook }),
    });
    const rendered = workspace.renderReview(report, options.format);
    if (options.exported) await workspace.audit.exported(CLI_ACTOR, resource, { kind: "review-report", format: doc.format, report: options.format });
    return { report, rendered };
  });
}
