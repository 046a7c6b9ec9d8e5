import type { Command } from "commander";
import { CommandContext } from "../context";
import { readPassphrase } from "../passphrase";

interface InitFlags {
  readonly encrypt?: boolean;
}

export function registerInitCommand(program: Command): void {
  program
    .command("init")
    .description("create a BEAR workspace (folders 0700, audit and vault keys), optionally sealed by a passphrase")
    .option("--encrypt", "seal the workspace keys under a passphrase (asked at the terminal, or BEAR_PASSPHRASE)")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  bear init                                  # ~/.bear, or BEAR_DATA_DIR",
        "  bear --data-dir ./matter-acme init --encrypt",
        "  BEAR_PASSPHRASE=... bear init --encrypt --json",
        "",
        "With --encrypt, every later command needs the passphrase (BEAR_PASSPHRASE, or typed at the terminal).",
      ].join("\n"),
    )
    .action(async (flags: InitFlags, command: Command) => {
      const ctx = CommandContext.of(command);
      const passphrase = flags.encrypt ? await readPassphrase("New workspace passphrase (8+ characters): ", { confirm: true }) : undefined;
      const folder = await ctx.folder();
      const manifest = await folder.create(passphrase === undefined ? {} : { passphrase });
      const layout = folder.layout;
      ctx.emit({ workspace: layout, encrypted: manifest.encryption !== null, createdAt: manifest.createdAt }, () =>
        [
          `Created a BEAR workspace in ${layout.root}`,
          `  folders     models, indexes, state, audit, cache, plugins, tmp (owner only, 0700)`,
          `  keys        audit log and token vault keys ${manifest.encryption ? "sealed under your passphrase (scrypt + AES-256-GCM)" : "in state/keys.json (0600, not encrypted)"}`,
          "",
          "Next: `bear ingest <files or folders>`, then `bear search` or `bear ask`.",
        ].join("\n"),
      );
    });
}
