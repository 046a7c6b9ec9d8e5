import { terminalSafe } from "@bear/core";
import type { Command } from "commander";
import type { DocumentRecord } from "@bear/workspace";
import { CliError } from "../cli-error";
import { CLI_ACTOR, CommandContext } from "../context";
import { bold, dim, displayPath } from "../output";

interface ListFlags {
  readonly matter?: string;
}

interface DeleteFlags {
  readonly matter?: string;
  readonly yes?: boolean;
}

const row = (d: Pick<DocumentRecord, "id" | "matter" | "title" | "source">): string => `  ${bold(terminalSafe(d.id))}  ${terminalSafe(JSON.stringify(d.matter))}  ${d.title ? terminalSafe(d.title) : displayPath(d.source)}`;

/**
 * `bear documents list|delete`: the indexed documents, and a way to remove them, by id or a whole
 * matter. A matter is taken exactly as indexed, also one the matter-id rule now refuses (an older
 * release's "Acme v Roe"): deleting and re-ingesting under a valid id is how such a matter is renamed.
 */
export function registerDocumentsCommand(program: Command): void {
  const documents = program
    .command("documents")
    .description("list the indexed documents, or delete some (by id, or a whole matter): each deletion is audited")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  bear documents list --matter acme-2026",
        "  bear documents delete 3f9c2a0b1d4e5f6a7b8c9d0e",
        '  bear documents delete --matter "Acme v Roe" --yes   # a matter id the current rule refuses',
      ].join("\n"),
    );

  documents
    .command("list")
    .description("the indexed documents: id, matter (as indexed) and title")
    .option("--matter <id>", "only this matter, exactly as indexed")
    .addHelpText("after", '\nExamples:\n  bear documents list\n  bear documents list --matter acme-2026 --json | jq -r \'.documents[].id\'')
    .action(async (flags: ListFlags, command: Command) => {
      const ctx = CommandContext.of(command);
      await ctx.requireWorkspace();
      const list = await ctx.withWorkspace({ llm: false }, async (workspace) => (await workspace.rag()).documents(flags.matter === undefined ? {} : { matter: flags.matter }));
      const rows = list.map((d) => ({ id: d.id, matter: d.matter, title: d.title, source: d.source, type: d.type }));
      ctx.emit({ documents: rows }, () => (rows.length === 0 ? "No documents." : rows.map(row).join("\n")));
    });

  documents
    .command("delete")
    .description("remove documents, their chunks and uploaded files from the index (audited as `delete`)")
    .argument("[ids...]", "document ids (`bear documents list`)")
    .option("--matter <id>", "every document of this matter, exactly as indexed (also an id the matter-id rule refuses)")
    .option("--yes", "confirm deleting a whole matter")
    .addHelpText("after", '\nExamples:\n  bear documents delete 3f9c2a0b1d4e5f6a7b8c9d0e\n  bear documents delete --matter "Acme v Roe" --yes')
    .action(async (ids: string[], flags: DeleteFlags, command: Command) => {
      const ctx = CommandContext.of(command);
      if ((ids.length === 0) === (flags.matter === undefined)) {
        throw new CliError("USAGE", "give document ids or --matter, not both", { hint: "bear documents delete <id...>, or bear documents delete --matter <id> --yes" });
      }
      if (flags.matter !== undefined && !flags.yes) {
        throw new CliError("USAGE", `deleting every document of matter ${JSON.stringify(flags.matter)} needs --yes`, { hint: "`bear documents list --matter <id>` shows what would go." });
      }
      await ctx.requireWorkspace();
      const deleted = await ctx.withWorkspace({ llm: false }, async (workspace) => {
        const rag = await workspace.rag();
        await rag.refresh();
        const all = rag.documents();
        const targets = flags.matter !== undefined ? all.filter((d) => d.matter === flags.matter) : ids.map((id) => all.find((d) => d.id === id) ?? id);
        const missing = targets.filter((t): t is string => typeof t === "string");
        if (missing.length > 0 || targets.length === 0) {
          const what = flags.matter !== undefined ? `no document is indexed under matter ${JSON.stringify(flags.matter)}` : `no document has the id ${missing.map((m) => `'${m}'`).join(", ")}`;
          throw new CliError("INPUT_NOT_FOUND", what, { hint: "`bear documents list` shows the ids and matters as indexed; nothing was deleted." });
        }
        const found = targets as DocumentRecord[];
        for (const doc of found) await workspace.deleteDocument(doc, CLI_ACTOR);
        return found.map((d) => ({ id: d.id, matter: d.matter, title: d.title, source: d.source }));
      });
      ctx.emit({ deleted }, () => [`Deleted ${deleted.length} document(s):`, ...deleted.map(row), dim("Each is recorded in the audit log (`bear audit`).")].join("\n"));
    });
}
