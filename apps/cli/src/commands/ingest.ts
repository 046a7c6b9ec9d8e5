import path from "node:path";
import type { Command } from "commander";
import { assertMatterId, terminalSafe } from "@bear/core";
import type { FileOutcome, IngestEvent, IngestReport } from "@bear/workspace";
import { CliError, PartialFailure } from "../cli-error";
import { CLI_ACTOR, CommandContext } from "../context";
import { dim, displayPath, green, red, yellow } from "../output";
import { formatBytes, formatSeconds, progressBar } from "../progress";
import { clusterRedisUrl, instanceCluster } from "./options";

interface IngestFlags {
  readonly matter: string;
  readonly progress: boolean;
  readonly redis?: string;
}

export function registerIngestCommand(program: Command): void {
  program
    .command("ingest")
    .description("add documents (txt, md, html, pdf, docx, eml, scanned pdf/png/jpeg/tiff via OCR; folders recursively) to the workspace index")
    .argument("<paths...>", "files or folders")
    .option("--matter <name>", "the matter (client file) the documents belong to", "default")
    .option("--no-progress", "no progress bar, even at a terminal")
    .option("--redis <url>", "extract, chunk and embed on `bear worker --capabilities ingest.*` through this Redis; commits stay here (default: BEAR_REDIS_URL)")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  bear ingest ./contracts",
        "  bear ingest nda.pdf lease.docx --matter acme-2026",
        "  bear ingest ./inbox --json | jq '.files[] | select(.status == \"failed\")'",
        "",
        "Re-ingesting an unchanged file does nothing. Files that cannot be read are listed at the end;",
        "the exit code is 3 when some files failed and 2 when all did.",
      ].join("\n"),
    )
    .action(async (paths: string[], flags: IngestFlags, command: Command) => {
      const ctx = CommandContext.of(command);
      assertMatterId(flags.matter, "--matter");
      await ctx.requireWorkspace();
      const plan = (await import("@bear/workspace")).planIngest(paths);
      const redisUrl = await clusterRedisUrl(flags.redis);
      const report = await ctx.withWorkspace({ ingestRoot: plan.root, ...instanceCluster(redisUrl) }, async (workspace) => {
        const rag = await workspace.rag();
        // A new matter's id is recorded as it is in the audit log: refuse one its screen would refuse as text.
        if (!rag.documents().some((d) => d.matter === flags.matter)) (await import("@bear/workspace")).assertAuditableId("--matter", flags.matter);
        const bar = await progressBar(flags.progress && !ctx.json, " {bar} {value}/{total} files | {speed} MB/s | ETA {etaText} | {file}{ocr}", plan.files, {
          speed: "0.00",
          etaText: "--",
          file: "",
          ocr: "",
        });
        const started = Date.now();
        let bytesDone = 0;
        let done = 0;
        const subscription = rag.onDidIngestProgress.subscribe((event: IngestEvent) => {
          if (event.type === "ingest-waiting") {
            const who = event.holder === undefined ? "another process" : `process ${event.holder}`;
            const text = `waiting for ${who} to finish writing to this index (another \`bear ingest\`, or an upload to \`bear serve\`)`;
            if (bar) bar.update(0, { file: `waiting for ${who}` });
            else ctx.note(text);
            return;
          }
          if (event.type === "ocr-page") {
            // Scanned pages take seconds each: the bar counts them inside the file.
            if (bar) bar.update(done, { file: terminalSafe(path.basename(event.file)).slice(0, 40), ocr: ` | OCR page ${event.done}/${event.total}` });
            else if (event.failure && !ctx.json) process.stderr.write(`  ${yellow("page failed", process.stderr)} ${displayPath(event.file)}: ${terminalSafe(event.failure.message)}\n`);
            return;
          }
          if (event.type !== "file-finished") return;
          done++;
          bytesDone += plan.sizeOf(event.outcome.file);
          const seconds = Math.max(0.001, (Date.now() - started) / 1000);
          const rate = bytesDone / seconds;
          if (bar) {
            if (done > bar.getTotal()) bar.setTotal(done);
            const remaining = Math.max(0, plan.bytes - bytesDone);
            bar.update(done, { speed: (rate / 1024 / 1024).toFixed(2), etaText: formatSeconds(rate > 0 ? remaining / rate : undefined), file: terminalSafe(path.basename(event.outcome.file)).slice(0, 40), ocr: "" });
          } else if (!ctx.json) {
            process.stderr.write(`${describeOutcome(event.outcome)}\n`);
          }
        });
        // Ctrl-C stops after the files in flight; what was ingested stays (re-running skips it).
        const abort = new AbortController();
        const onSigint = (): void => abort.abort();
        process.once("SIGINT", onSigint);
        try {
          return await rag.ingest([...plan.inputs], { matter: flags.matter, actor: CLI_ACTOR, signal: abort.signal });
        } catch (error) {
          if (abort.signal.aborted) throw new CliError("CANCELLED", "ingest interrupted; files already ingested are kept, run the same command to finish", { cause: error });
          throw error;
        } finally {
          process.off("SIGINT", onSigint);
          subscription.unsubscribe();
          bar?.stop();
        }
      });
      ctx.emit(report, () => summarise(report));
      const ok = report.added + report.updated + report.unchanged;
      if (report.failed > 0 && ok === 0) {
        throw new CliError("INPUT_INVALID", `none of the ${report.failed} file(s) could be ingested`, { hint: "See the errors above; each names the file and what to do." });
      }
      if (report.failed > 0) throw new PartialFailure(`${report.failed} of ${report.files.length} files could not be ingested (see above)`);
    });
}

function describeOutcome(outcome: FileOutcome): string {
  const file = displayPath(outcome.file);
  switch (outcome.status) {
    case "failed":
      return `  ${red("failed   ", process.stderr)} ${file}: ${outcome.error?.code ?? "ERROR"}`;
    case "unchanged":
      return `  ${dim("unchanged", process.stderr)} ${file}`;
    default:
      return `  ${green(outcome.status.padEnd(9), process.stderr)} ${file} (${outcome.chunks ?? 0} chunks${outcome.ocr ? `, OCR ${outcome.ocr.pages} page(s) at ${Math.round(outcome.ocr.meanConfidence)}%` : ""})`;
  }
}

function summarise(report: IngestReport): string {
  const seconds = report.durationMs / 1000;
  const lines = [
    `Ingested into matter '${report.matter}': ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ${report.failed} failed`,
    `  ${report.chunksWritten} chunks written, ${formatBytes(report.bytesRead)} read in ${seconds.toFixed(1)} s (${(report.bytesRead / 1024 / 1024 / Math.max(seconds, 0.001)).toFixed(2)} MB/s)`,
  ];
  const scanned = report.files.filter((f) => f.ocr || f.pageFailures);
  if (scanned.length > 0) {
    lines.push("", `OCR read ${scanned.reduce((s, f) => s + (f.ocr?.pages ?? 0), 0)} scanned page(s) in ${scanned.length} file(s):`);
    for (const f of scanned) {
      const low = f.ocr?.lowConfidencePages.length ? yellow(`; low confidence on page(s) ${f.ocr.lowConfidencePages.join(", ")}: check them against the scan`) : "";
      lines.push(`  ${displayPath(f.file)}: ${f.ocr ? `${f.ocr.pages} page(s), mean confidence ${Math.round(f.ocr.meanConfidence)}% (${f.ocr.engine})` : "no page read"}${low}`);
      for (const p of f.pageFailures ?? []) lines.push(`    ${yellow(`${p.code}: ${terminalSafe(p.message)}`)}${p.hint ? ` (${terminalSafe(p.hint)})` : ""}`);
    }
  }
  const sniffed = report.files.filter((f) => f.formatNote);
  if (sniffed.length > 0) {
    lines.push("", yellow(`${sniffed.length} file(s) were read by their content, not their extension:`));
    for (const f of sniffed) lines.push(`  ${terminalSafe(f.formatNote?.message ?? "")}`);
  }
  const failed = report.files.filter((f) => f.status === "failed");
  if (failed.length > 0) {
    lines.push("", yellow(`${failed.length} file(s) could not be ingested:`));
    for (const f of failed) {
      lines.push(`  ${displayPath(f.file)}`, `    ${f.error?.code ?? "ERROR"}: ${terminalSafe(f.error?.message ?? "unknown error")}`);
      if (f.error?.hint) lines.push(`    hint: ${terminalSafe(f.error.hint)}`);
    }
  }
  return lines.join("\n");
}
