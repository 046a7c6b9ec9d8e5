import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { BearError, isOfflineEnforced } from "@bear/core";
import type { Answer, IngestReport } from "@bear/workspace";
import { CommandContext } from "../context";
import { bold, dim, green, yellow } from "../output";
import { writeOutputFile } from "../output-file";
import { verifyAudit } from "./audit";
import { answerJson, renderCitations } from "./ask";
import { redactFile } from "./redact";
import { reviewFile, summaryLine } from "./review";

interface DemoFlags {
  readonly keep?: boolean;
}

const QUESTIONS = [
  "How much notice does the customer need to give to terminate the services agreement for convenience?",
  "When is the base rent payable under the office lease?",
];

/** The sample documents shipped with the CLI (dist/bin.js -> ../assets/samples). */
export function samplesDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../assets/samples");
}

/**
 * The product end to end on an embedded default, with nothing downloaded: a throw-away workspace,
 * the sample documents ingested, two cited answers, the letter redacted, the audit log verified.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description("run BEAR end to end in a temporary workspace, offline, with no model needed")
    .option("--keep", "keep the temporary workspace afterwards")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  bear demo",
        "  bear demo --json --keep",
        "  BEAR_MODELS_DIRS=~/models BEAR_MODELS_LLM=qwen2.5-1.5b-instruct bear demo   # answers written by your model",
      ].join("\n"),
    )
    .action(async (flags: DemoFlags, command: Command) => {
      const started = Date.now();
      const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-demo-"));
      const say = (text: string): void => {
        if (!program.opts<{ json?: boolean }>().json) process.stdout.write(`${text}\n`);
      };
      try {
        const ctx = CommandContext.of(command, { dataDir: path.join(demoDir, "data") });
        const folder = await ctx.folder();
        await folder.create();
        const layout = folder.layout;
        const llm = folder.llmId(ctx.config);
        say(bold("BEAR demo: everything stays on this machine."));
        say(`  workspace   ${layout.root} (folders 0700, audit log signed with a fresh key)`);
        say(`  offline     guard ${isOfflineEnforced() ? "on" : "off"}: only loopback connections are allowed`);
        say(`  model       ${llm ?? "none configured: lexical search and extractive answers"}`);

        const samples = samplesDir();
        const { ingest, answers } = await ctx.withWorkspace({ ingestRoot: samples }, async (workspace) => {
          const rag = await workspace.rag();
          say(`\n${bold("1. Ingest")} the sample documents (${fs.readdirSync(samples).join(", ")})`);
          const ingestReport: IngestReport = await rag.ingest([samples], { matter: "demo", actor: "demo" });
          say(`   ${ingestReport.added} documents, ${ingestReport.chunksWritten} chunks in ${ingestReport.durationMs} ms`);
          const found: Answer[] = [];
          for (const [i, question] of QUESTIONS.entries()) {
            say(`\n${bold(`${i + 2}. Ask`)} "${question}"`);
            const answer = await workspace.answer(question, { k: 6, ...(llm ? { maxAnswerTokens: 256 } : {}) }, "demo");
            say(answer.text.replace(/^(?=.)/gm, "   "));
            say(renderCitations(answer).replace(/^(?=.)/gm, " "));
            found.push(answer);
          }
          return { ingest: ingestReport, answers: found };
        });

        say(`\n${bold("4. Redact")} the client letter (personal data removed, report of what was removed)`);
        const redaction = await redactFile(ctx, path.join(samples, "client-letter.eml"), { out: path.join(demoDir, "client-letter.redacted.txt"), policy: "default" });
        say(`   ${redaction.removed} items removed (${Object.entries(redaction.byType).map(([t, n]) => `${n} ${t}`).join(", ")}); risk of the original: ${redaction.risk.level}`);
        say(`   redacted copy: ${redaction.output}${flags.keep ? "" : dim(" (in the temporary workspace, deleted when the demo ends; --keep keeps it)")}`);

        let review: { available: boolean; reason?: string; summary?: unknown; risks?: unknown[]; output?: string };
        try {
          const { report: reviewed, rendered } = await reviewFile(ctx, path.join(samples, "master-services-agreement.txt"), { format: "markdown" });
          const output = path.join(demoDir, "master-services-agreement.review.md");
          writeOutputFile(output, rendered, true);
          review = { available: true, summary: reviewed.summary, risks: reviewed.risks.map((r) => ({ ruleId: r.ruleId, severity: r.severity, title: r.title })), output };
          say(`\n${bold("5. Review")} the services agreement against the default playbook: ${summaryLine(reviewed)}`);
          for (const r of reviewed.risks.slice(0, 4)) say(`   ${r.severity.padEnd(8)} ${r.title}`);
          say(`   parties: ${reviewed.summary.parties.join("; ")}; governing law: ${reviewed.summary.governingLaw ?? "?"}; every finding cited to the character`);
          say(`   report: ${output}${flags.keep ? "" : dim(" (deleted with the temporary workspace; --keep keeps it)")}`);
        } catch (error) {
          if (!BearError.isInstance(error) || error.code !== "NOT_AVAILABLE") throw error;
          review = { available: false, reason: error.message };
          say(`\n${bold("5. Review")} the services agreement: ${yellow(`skipped (${error.message})`)}`);
        }

        const audit = await verifyAudit(ctx);
        say(`\n${bold("6. Verify")} the audit log: ${audit.ok ? green(`intact, ${audit.records} signed records`) : "FAILED"} (ids and counts only, no client text)`);

        const durationMs = Date.now() - started;
        const report = {
          workspace: layout,
          configFiles: ctx.loaded.files,
          offline: { enforced: isOfflineEnforced(), configured: ctx.config.offline.enforce },
          server: `http://${ctx.config.server.host}:${ctx.config.server.port}`,
          models: llm ?? "none configured: lexical search and extractive answers",
          ingest: { added: ingest.added, failed: ingest.failed, chunks: ingest.chunksWritten, documents: ingest.files.map((f) => path.basename(f.file)) },
          answers: answers.map(answerJson),
          redaction: { output: redaction.output, removed: redaction.removed, byType: redaction.byType, risk: redaction.risk.level },
          review,
          audit: { ok: audit.ok, records: audit.records, head: audit.head },
          kept: Boolean(flags.keep),
          durationMs,
        };
        if (program.opts<{ json?: boolean }>().json) {
          ctx.emit(report, () => "");
        } else {
          say(`\nDone in ${(durationMs / 1000).toFixed(1)} s. ${flags.keep ? `Kept ${demoDir}. It holds the workspace, the redacted copy and the review report.` : "The temporary workspace and the files listed above are now deleted; run `bear demo --keep` to keep them."}`);
          say(
            [
              "",
              bold("Where to go next:"),
              "  bear init                        create your own workspace (add --encrypt for a passphrase)",
              "  bear ingest ./contracts          index your documents (pdf, docx, html, eml, md, txt)",
              '  bear ask "…" / bear search "…"   cited answers and passages',
              "  bear redact <file>               a shareable copy without personal data",
              "  bear models list / bear doctor   use a local model; check this machine",
              dim("  `bear <command> --help` shows examples for every command."),
            ].join("\n"),
          );
        }
      } finally {
        if (!flags.keep) fs.rmSync(demoDir, { recursive: true, force: true });
      }
    });
}
