import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { CliError } from "../cli-error";
import { CLI_ACTOR, CommandContext } from "../context";
import { displayPath } from "../output";
import { assertOutputFree, writeOutputFile } from "../output-file";

interface RestoreFlags {
  readonly out?: string;
  readonly force?: boolean;
}

export function registerRestoreCommand(program: Command): void {
  program
    .command("restore")
    .description("put the original values back into a copy redacted with --policy reversible (audited)")
    .argument("<file>", "a file written by `bear redact --policy reversible`")
    .option("-o, --out <file>", "where to write the restored copy (default: <name>.restored.<ext> beside it)")
    .option("--force", "overwrite the output file if it exists")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  bear redact brief.md --policy reversible      # writes brief.redacted.md with <TOK_…> tokens",
        "  bear restore brief.redacted.md                # writes brief.redacted.restored.md",
        "  bear restore reply.txt -o reply.final.txt --json",
        "",
        "Needs this workspace's vault key (and passphrase, if encrypted); every attempt is in the audit log.",
      ].join("\n"),
    )
    .action(async (file: string, flags: RestoreFlags, command: Command) => {
      const ctx = CommandContext.of(command);
      await ctx.requireWorkspace();
      const input = path.resolve(file);
      let text: string;
      try {
        text = fs.readFileSync(input, "utf8");
      } catch (error) {
        throw new CliError("INPUT_NOT_FOUND", `cannot read '${file}' (${(error as NodeJS.ErrnoException).code ?? "error"})`, { hint: "Check the path.", cause: error });
      }
      const tokens = text.match(/<TOK_[A-Z0-9_]+?_[0-9a-f]{12}>/g) ?? [];
      if (tokens.length === 0) throw new CliError("INPUT_INVALID", `'${file}' holds no vault tokens`, { hint: "Only copies made with `bear redact --policy reversible` can be restored." });
      const output = path.resolve(flags.out ?? path.join(path.dirname(input), `${path.basename(input, path.extname(input))}.restored${path.extname(input) || ".txt"}`));
      if (output === input) throw new CliError("INPUT_INVALID", "the restored copy would overwrite its source", { hint: "Choose another --out path." });
      assertOutputFree(output, flags.force);
      await ctx.withWorkspace({ llm: false }, async (workspace) => {
        const documentId = workspace.contentId(text);
        const restored = await workspace.restore(text, { actor: CLI_ACTOR, documentId });
        writeOutputFile(output, restored, flags.force);
        await workspace.audit.exported(CLI_ACTOR, documentId, { kind: "restored-copy", tokens: tokens.length });
      });
      ctx.emit({ input, output, tokens: tokens.length }, () => `Restored ${tokens.length} value(s): ${displayPath(input)} -> ${displayPath(output)} (contains personal data again; file mode 0600).`);
    });
}
