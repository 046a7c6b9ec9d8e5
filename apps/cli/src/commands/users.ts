import type { Command } from "commander";
import { assertMatterId } from "@bear/core";
import type { Role, UserRow } from "@bear/workspace";
import { CLI_ACTOR, CommandContext } from "../context";
import { bold, dim } from "../output";

interface AddFlags {
  readonly role: string;
  readonly matters?: string;
}

const row = (u: UserRow): string => `  ${bold(u.id.padEnd(20))} ${(u.role ?? "(no role)").padEnd(10)} ${u.role === "admin" ? dim("every matter") : u.matters.join(", ")}${u.kind === "user" ? dim("  (password user)") : ""}`;

export function registerUsersCommand(program: Command): void {
  const users = program
    .command("users")
    .description("who may use the REST API and the web UI: API keys with a role, limited to some matters")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  bear users add alice --role attorney --matters acme,globex",
        "  bear users list",
        "  bear users revoke alice",
        "",
        "A running `bear serve` sees a new or revoked key at its next request: no restart.",
      ].join("\n"),
    );

  users
    .command("add")
    .description("create a user with an API key (printed once; only its hash is kept)")
    .argument("<id>", "1-64 letters, digits, '.' or '-'")
    .requiredOption("--role <role>", "admin, attorney, paralegal or viewer")
    .option("--matters <list>", "comma-separated matters the key is limited to (required except for admins)")
    .addHelpText("after", "\nExamples:\n  bear users add alice --role attorney --matters acme,globex\n  bear users add ops --role admin --json")
    .action(async (id: string, flags: AddFlags, command: Command) => {
      const ctx = CommandContext.of(command);
      await ctx.requireWorkspace();
      const matters = (flags.matters ?? "").split(",").map((m) => m.trim()).filter(Boolean);
      for (const m of matters) assertMatterId(m, "--matters");
      const added = await ctx.withWorkspace({ llm: false }, (workspace) => workspace.users().add(CLI_ACTOR, { id, role: flags.role as Role, matters }));
      ctx.emit(added, () => [`Added ${bold(added.user.id)}:`, row(added.user), `  API key (shown once, keep it safe): ${added.apiKey}`].join("\n"));
    });

  users
    .command("list")
    .description("users and their roles and matters (never their keys)")
    .addHelpText("after", "\nExamples:\n  bear users list\n  bear users list --json | jq '.users[] | select(.role == \"viewer\")'")
    .action(async (_flags: unknown, command: Command) => {
      const ctx = CommandContext.of(command);
      await ctx.requireWorkspace();
      const list = await ctx.withWorkspace({ llm: false }, async (workspace) => workspace.users().list());
      ctx.emit({ users: list }, () => (list.length === 0 ? "No users yet. Add one with `bear users add <id> --role attorney --matters <matter>` (bear serve creates 'admin')." : list.map(row).join("\n")));
    });

  users
    .command("revoke")
    .description("remove a user: its key stops working at once, also in a running server")
    .argument("<id>", "the user's id")
    .addHelpText("after", "\nExamples:\n  bear users revoke alice\n  bear users revoke alice --json")
    .action(async (id: string, _flags: unknown, command: Command) => {
      const ctx = CommandContext.of(command);
      await ctx.requireWorkspace();
      const user = await ctx.withWorkspace({ llm: false }, (workspace) => workspace.users().revoke(CLI_ACTOR, id));
      ctx.emit({ user, revoked: true }, () => `Revoked ${bold(user.id)}: its API key no longer works.`);
    });
}
