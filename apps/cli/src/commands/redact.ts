import path from "node:path";
import type { Command } from "commander";
import { assertMatterId, terminalSafe } from "@bear/core";
import { CliError } from "../cli-error";
import { CLI_ACTOR, CommandContext } from "../context";
import { bold, dim, displayPath, yellow } from "../output";
import { assertOutputFree, writeOutputFile } from "../output-file";
import { clusterRedisUrl, instanceCluster } from "./options";

interface RedactFlags {
  readonly out?: string;
  readonly policy: string;
  readonly force?: boolean;
  /** Use the PII recognizers of installed plugins (default true; `--no-plugins`). */
  readonly plugins?: boolean;
  /** Share placeholders with the matter's earlier redactions (`--matter M`). */
  readonly matter?: string;
  /** Scan on the cluster's workers (`--redis URL`, default BEAR_REDIS_URL). */
  readonly redis?: string;
}

/** One removed value, located but not repeated (the report must be safe to share). */
export interface RedactedItem {
  readonly type: string;
  readonly line: number;
  readonly column: number;
  readonly length: number;
  readonly replacement: string;
  readonly score: number;
}

export interface RedactionReport {
  readonly input: string;
  readonly output: string;
  readonly format: string;
  readonly policy: string;
  readonly removed: number;
  readonly byType: Readonly<Record<string, number>>;
  readonly risk: { readonly level: string; readonly reasons: readonly string[] };
  /** Plugin recognizers that took part (plugin:id). */
  readonly plugins: readonly string[];
  readonly items: readonly RedactedItem[];
}

export function registerRedactCommand(program: Command): void {
  program
    .command("redact")
    .description("write a copy of a document with personal data removed, and report what was removed")
    .argument("<file>", "the document (txt, md, html, eml, pdf, docx)")
    .option("-o, --out <file>", "where to write the redacted copy (default: <name>.redacted.<ext> beside it)")
    .option("--policy <name>", "default (<PERSON_1> placeholders), mask-numbers, pseudonymize, redact (delete) or reversible (vault tokens)", "default")
    .option("--force", "overwrite the output file if it exists")
    .option("--no-plugins", "do not use the PII recognizers of installed plugins")
    .option("--matter <id>", "number placeholders across the matter's documents: the same person keeps <PERSON_1> (table sealed in the workspace)")
    .option("--redis <url>", "scan on a `bear worker --capabilities redact` through this Redis (default: BEAR_REDIS_URL; none: here)")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  bear redact client-letter.eml                 # writes client-letter.redacted.txt",
        "  bear redact intake.pdf --policy mask-numbers -o intake.safe.txt",
        "  bear redact memo.md --json > report.json      # the report never repeats the removed values",
        "  bear redact brief.md --policy reversible       # tokens; `bear restore brief.redacted.md` puts the values back",
        "  bear redact a.pdf --matter acme-v-roe          # then b.pdf with --matter acme-v-roe: same placeholders",
        "",
        "Plain text and Markdown keep their layout; other formats are redacted as their extracted text.",
      ].join("\n"),
    )
    .action(async (file: string, flags: RedactFlags, command: Command) => {
      const ctx = CommandContext.of(command);
      await ctx.requireWorkspace();
      const report = await redactFile(ctx, file, flags, await clusterRedisUrl(flags.redis));
      ctx.emit(report, () => renderReport(report));
    });
}

/** `redisUrl`: the scan runs on the cluster's workers (the policy, vault and matter tables stay here). */
export async function redactFile(ctx: CommandContext, file: string, flags: RedactFlags, redisUrl?: string): Promise<RedactionReport> {
  if (flags.matter !== undefined) assertMatterId(flags.matter, "--matter");
  const { readDocumentText, assessRisk } = await import("@bear/workspace");
  const doc = await readDocumentText(file);
  const { input, bytes, text, format, extension } = doc;
  const output = path.resolve(flags.out ?? path.join(path.dirname(input), `${path.basename(input, path.extname(input))}.redacted${extension}`));
  if (output === input) throw new CliError("INPUT_INVALID", "the redacted copy would overwrite the original", { hint: "Choose another --out path." });
  assertOutputFree(output, flags.force);
  return ctx.withWorkspace({ llm: false, ...instanceCluster(redisUrl) }, async (workspace) => {
    const documentId = workspace.contentId(bytes);
    const { result, plugins } = await workspace.redact(doc.scanText, { actor: CLI_ACTOR, policy: flags.policy, documentId, plugins: flags.plugins !== false, ...(flags.matter !== undefined ? { matterId: flags.matter } : {}) });
    writeOutputFile(output, doc.copyOf(result), flags.force);
    const byType: Record<string, number> = {};
    for (const f of result.findings) byType[f.type] = (byType[f.type] ?? 0) + 1;
    const located = lineLocator(format === "markdown" ? bytes.toString("utf8") : text); // Markdown: line and column in the file
    const locate = (offset: number): { line: number; column: number } => located(doc.sourceOffset(offset));
    const sorted = [...result.findings].sort((a, b) => a.start - b.start);
    const items = sorted.map((f, i) => ({
      type: f.type,
      ...locate(f.start),
      length: f.end - f.start,
      replacement: tokenSafe(result.text.slice(result.replacements[i]?.start ?? 0, result.replacements[i]?.end ?? 0), flags.policy),
      score: Math.round(f.score * 100) / 100,
    }));
    const risk = assessRisk(result.findings);
    await workspace.audit.exported(CLI_ACTOR, documentId, { kind: "redacted-copy", format, policy: result.policy, entities: result.findings.length });
    return { input, output, format, policy: result.policy, removed: result.findings.length, byType, risk: { level: risk.level, reasons: risk.reasons }, plugins, items };
  });
}

/** Line and column (1-based) of an offset. */
function lineLocator(text: string): (offset: number) => { line: number; column: number } {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (lineStarts[lo] ?? 0) + 1 };
  };
}

/** Masked values keep their last digits by design; everything else in the report is a placeholder. */
function tokenSafe(replacement: string, policy: string): string {
  return policy === "redact" ? "" : replacement;
}

export function renderReport(report: RedactionReport): string {
  const rel = displayPath;
  const lines = [
    `Redacted ${rel(report.input)} -> ${rel(report.output)} (${report.format}, policy '${report.policy}')`,
    `  removed ${report.removed} item(s); risk of the original: ${report.risk.level}`,
  ];
  if (report.removed === 0) lines.push(yellow("  No personal data was found. Review the document yourself before sharing it."));
  else {
    lines.push("", bold("What was removed (by type):"));
    for (const [type, n] of Object.entries(report.byType).sort()) lines.push(`  ${terminalSafe(type).padEnd(16)} ${n}`);
    lines.push("", bold("Where:"));
    for (const item of report.items) lines.push(`  line ${String(item.line).padStart(3)}:${String(item.column).padEnd(3)} ${terminalSafe(item.type).padEnd(16)} ${dim(`${item.length} chars`)} -> ${terminalSafe(item.replacement) || "(deleted)"}`);
  }
  if (report.plugins.length > 0) lines.push(dim(`  plugin recognizers used: ${terminalSafe(report.plugins.join(", "))}`));
  lines.push("", dim("Automatic detection misses some names and places: read the copy before you share it."));
  return lines.join("\n");
}
