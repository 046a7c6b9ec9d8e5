import path from "node:path";
import type { Command } from "commander";
import { terminalSafe, type RetrievalMode } from "@bear/core";
import type { SearchHit } from "@bear/workspace";
import { CLI_ACTOR, CommandContext } from "../context";
import { bold, dim, displayPath, highlight } from "../output";
import { parsePositiveInt, searchModeFor } from "./options";

interface SearchFlags {
  readonly k: string;
  readonly mode?: RetrievalMode;
  readonly matter?: string[];
  readonly type?: string[];
  readonly doc?: string[];
}

export function registerSearchCommand(program: Command): void {
  program
    .command("search")
    .description("find the passages that best match a query, with document, page and section")
    .argument("<query...>", "what to look for")
    .option("-k, --k <n>", "number of results", "8")
    .option("--mode <mode>", "lexical, vector or hybrid (vector and hybrid need an embedding model)")
    .option("--matter <name...>", "only these matters")
    .option("--type <type...>", "only these document types (pdf, docx, txt, md, html, eml)")
    .option("--doc <id|name...>", "only these documents: an id, or words of the title, a party or the file name")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        '  bear search "termination for convenience notice period"',
        "  bear search governing law --matter acme-2026 -k 3",
        "  bear search indemnification --type pdf --json | jq '.hits[0].source'",
        '  bear search "notice period" --doc "Flotek supply agreement"',
      ].join("\n"),
    )
    .action(async (words: string[], flags: SearchFlags, command: Command) => {
      const ctx = CommandContext.of(command);
      const query = words.join(" ");
      const k = parsePositiveInt("--k", flags.k, 1000);
      const mode = await searchModeFor(ctx, flags.mode);
      await ctx.requireWorkspace();
      const hits = await ctx.withWorkspace({ llm: false }, async (workspace) => {
        const rag = await workspace.rag();
        const documentIds = flags.doc ? await rag.resolveDocuments(flags.doc, flags.matter ? { matters: flags.matter } : {}) : undefined;
        const filter = { ...(flags.matter ? { matters: flags.matter } : {}), ...(flags.type ? { documentTypes: flags.type } : {}), ...(documentIds ? { documentIds } : {}) };
        return workspace.search(query, { k, mode, filter }, CLI_ACTOR);
      });
      ctx.emit({ query, mode, hits }, () => renderHits(hits));
    });
}

export function renderHits(hits: readonly SearchHit[]): string {
  if (hits.length === 0) return "No passages match. Did you `bear ingest` the documents? Try other words.";
  return hits
    .map((h, i) => {
      const where = [displayPath(h.source), `page ${h.page}${h.ocr ? ` (OCR, ${Math.round(h.ocr.confidence)}%)` : ""}`, ...(h.sectionPath.length ? [terminalSafe(h.sectionPath.join(" > "))] : [])].join(" | ");
      return `${bold(`${i + 1}. ${terminalSafe(h.title || path.basename(h.source))}`)}  ${dim(`score ${h.score.toFixed(3)}`)}\n   ${dim(where)}\n   ${highlight(terminalSafe(h.snippet.replace(/\s+/g, " ")))}`;
    })
    .join("\n\n");
}
