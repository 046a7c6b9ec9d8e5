import { terminalSafe } from "@bear/core";
import type { Command } from "commander";
import type { AuditVerification } from "@bear/workspace";
import { CliError } from "../cli-error";
import { CommandContext } from "../context";
import { green, red } from "../output";

/** The log's own verification: signatures, chain, and the tail against its signed head checkpoint. */
export type AuditCheck = AuditVerification;

export function registerAuditCommand(program: Command): void {
  const audit = program
    .command("audit")
    .description("the workspace's tamper-evident audit log")
    .addHelpText("after", "\nExamples:\n  bear audit verify\n  bear audit verify --json");
  audit
    .command("verify")
    .description("check every record's signature, hash chain and order; exit 6 if anything was altered")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  bear audit verify",
        "  bear audit verify --json | jq .problems",
        "",
        "Records hold ids, counts and actors, never document text. Exit codes: 0 intact, 6 tampered.",
      ].join("\n"),
    )
    .action(async (_flags: unknown, command: Command) => {
      const ctx = CommandContext.of(command);
      await ctx.requireWorkspace();
      const check = await verifyAudit(ctx);
      ctx.emit(check, () => renderAudit(check));
      if (!check.ok) {
        throw new CliError("AUDIT_TAMPERED", `the audit log in '${ctx.layout.audit}' fails verification (${check.problems.length} problem(s))`, {
          hint: "Restore the audit folder from a backup and find out who had write access to it.",
        });
      }
    });
}

export async function verifyAudit(ctx: CommandContext): Promise<AuditCheck> {
  return ctx.withWorkspace({ llm: false }, (workspace) => workspace.auditLog().verify());
}

export function renderAudit(check: AuditCheck): string {
  const lines = check.ok
    ? [`${green("Audit log intact")}: ${check.records} record(s), head ${check.head.slice(0, 16)}…`]
    : [`${red("Audit log FAILS verification")}: ${check.records} record(s) read${check.truncated ? ", tail cut" : ""}`];
  for (const p of check.problems) lines.push(`  ${p.kind.padEnd(9)} ${terminalSafe(p.message)}`);
  // torn appends (disk full, power cut) moved aside by a later append: not tampering, but on record
  for (const r of check.recovered ?? []) lines.push(`  recovered ${terminalSafe(r.message)}`);
  return lines.join("\n");
}
