import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { CliError } from "../cli-error";
import { CommandContext } from "../context";
import { bold, dim, displayPath, yellow } from "../output";
import { readDocumentText } from "../document-text";
import { withServices, type Services } from "../services";
import { disposeHost, pluginsConfig } from "./plugins";
import type { PiiFinding } from "@bear/security";

interface RedactFlags {
  readonly out?: string;
  readonly policy: string;
  readonly force?: boolean;
  /** Use the PII recognizers of installed plugins (default true; `--no-plugins`). */
  readonly plugins?: boolean;
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
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  bear redact client-letter.eml                 # writes client-letter.redacted.txt",
        "  bear redact intake.pdf --policy mask-numbers -o intake.safe.txt",
        "  bear redact memo.md --json > report.json      # the report never repeats the removed values",
        "  bear redact brief.md --policy reversible       # tokens; `bear restore brief.redacted.md` puts the values back",
        "",
        "Plain text and Markdown keep their layout; other formats are redacted as their extracted text.",
      ].join("\n"),
    )
    .action(async (file: string, flags: RedactFlags, command: Command) => {
      const ctx = CommandContext.of(command);
      ctx.manifest();
      const report = await redactFile(ctx, file, flags);
      ctx.emit(report, () => renderReport(report));
    });
}

export async function redactFile(ctx: CommandContext, file: string, flags: RedactFlags): Promise<RedactionReport> {
  const { input, bytes, text, format, extension } = await readDocumentText(file);
  const output = path.resolve(flags.out ?? path.join(path.dirname(input), `${path.basename(input, path.extname(input))}.redacted${extension}`));
  if (output === input) throw new CliError("INPUT_INVALID", "the redacted copy would overwrite the original", { hint: "Choose another --out path." });
  if (fs.existsSync(output) && !flags.force) {
    throw new CliError("INPUT_INVALID", `'${displayPath(output)}' already exists`, { hint: "Pass --force to overwrite it, or choose another --out path." });
  }
  const documentId = createHash("sha256").update(bytes).digest("hex").slice(0, 24);
  const { assessRisk, PiiScanner, resolveOverlaps } = await import("@bear/security");
  return withServices(ctx, {}, async (services) => {
    const extra = flags.plugins === false ? { findings: [], used: [] } : await pluginFindings(ctx, text, services);
    let result;
    if (extra.findings.length === 0) {
      result = await services.scrubber().scrub(text, { policy: flags.policy, documentId });
    } else {
      const findings = resolveOverlaps([...new PiiScanner().scan(text), ...extra.findings]);
      result = services.scrubber().apply(text, findings, { policy: flags.policy, documentId });
      await services.audit.record({ action: "scrub", outcome: "success", actor: "cli", resource: documentId, details: { policy: result.policy, entities: findings.length, chars: text.length, plugins: extra.used.length } });
    }
    fs.writeFileSync(output, result.text, { mode: 0o600 });
    if (result.policy === "reversible") services.saveVault();
    const byType: Record<string, number> = {};
    for (const f of result.findings) byType[f.type] = (byType[f.type] ?? 0) + 1;
    const lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
    const locate = (offset: number): { line: number; column: number } => {
      let lo = 0;
      let hi = lineStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
        else hi = mid - 1;
      }
      return { line: lo + 1, column: offset - (lineStarts[lo] ?? 0) + 1 };
    };
    const sorted = [...result.findings].sort((a, b) => a.start - b.start);
    const items = sorted.map((f, i) => ({
      type: f.type,
      ...locate(f.start),
      length: f.end - f.start,
      replacement: tokenSafe(result.text.slice(result.replacements[i]?.start ?? 0, result.replacements[i]?.end ?? 0), flags.policy),
      score: Math.round(f.score * 100) / 100,
    }));
    const risk = assessRisk(result.findings);
    await services.audit.record({ action: "export", outcome: "success", actor: "cli", resource: documentId, details: { kind: "redacted-copy", format, policy: result.policy, entities: result.findings.length } });
    return { input, output, format, policy: result.policy, removed: result.findings.length, byType, risk: { level: risk.level, reasons: risk.reasons }, plugins: extra.used, items };
  });
}

/** Findings of the `pii-recognizer` plugins installed in the workspace (each runs in its sandbox). */
async function pluginFindings(ctx: CommandContext, text: string, services: Services): Promise<{ findings: PiiFinding[]; used: string[] }> {
  const { discoverPlugins, PLUGIN_API_VERSION, PluginHost } = await import("@bear/plugins");
  const config = pluginsConfig(ctx);
  const found = await discoverPlugins({ directories: config.directories, hostApiVersion: PLUGIN_API_VERSION, allowedPermissions: config.allowedPermissions, workspaceDir: config.workspaceDir });
  if (!found.plugins.some((p) => p.manifest.provides.some((x) => x.point === "pii-recognizer"))) return { findings: [], used: [] };
  const host = new PluginHost(config, services.logger, services.audit);
  try {
    await host.loadAll();
    const findings: PiiFinding[] = [];
    const used: string[] = [];
    for (const recognizer of host.piiRecognizers()) {
      used.push(`${recognizer.plugin}:${recognizer.id}`);
      for (const span of await recognizer.recognize(text)) {
        findings.push({ type: span.type, start: span.start, end: span.end, score: span.score ?? 0.85, recognizer: `plugin:${recognizer.plugin}` });
      }
    }
    return { findings, used };
  } finally {
    await disposeHost(host);
  }
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
    for (const [type, n] of Object.entries(report.byType).sort()) lines.push(`  ${type.padEnd(16)} ${n}`);
    lines.push("", bold("Where:"));
    for (const item of report.items) lines.push(`  line ${String(item.line).padStart(3)}:${String(item.column).padEnd(3)} ${item.type.padEnd(16)} ${dim(`${item.length} chars`)} -> ${item.replacement || "(deleted)"}`);
  }
  if (report.plugins.length > 0) lines.push(dim(`  plugin recognizers used: ${report.plugins.join(", ")}`));
  lines.push("", dim("Automatic detection misses some names and places: read the copy before you share it."));
  return lines.join("\n");
}
