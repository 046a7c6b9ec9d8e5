import type { Command } from "commander";
import type { AuditVerification } from "@bear/security";
import { CliError } from "../cli-error";
import { CommandContext } from "../context";
import { green, red } from "../output";
import { withServices } from "../services";
import { writeState } from "../workspace/workspace-files";

export interface AuditCheck extends AuditVerification {
  /** The last verified state, kept in the workspace, so a cut-off tail is noticed too. */
  readonly checkpoint?: { readonly records: number; readonly head: string; readonly at: string };
  readonly truncated: boolean;
}

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
      ctx.manifest();
      const check = await verifyAudit(ctx);
      ctx.emit(check, () => renderAudit(check));
      if (!check.ok || check.truncated) {
        throw new CliError("AUDIT_TAMPERED", `the audit log in '${ctx.layout.audit}' fails verification (${check.problems.length + (check.truncated ? 1 : 0)} problem(s))`, {
          hint: "Restore the audit folder from a backup and find out who had write access to it.",
        });
      }
    });
}

export async function verifyAudit(ctx: CommandContext): Promise<AuditCheck> {
  const result = await withServices(ctx, {}, (services) => services.auditLog().verify());
  const checkpoint = ctx.state().auditCheckpoint;
  const truncated = checkpoint !== undefined && result.records < checkpoint.records;
  if (result.ok && !truncated) writeState(ctx.layout, { auditCheckpoint: { records: result.records, head: result.head, at: new Date().toISOString() } });
  return { ...result, ...(checkpoint ? { checkpoint } : {}), truncated };
}

export function renderAudit(check: AuditCheck): string {
  if (check.ok && !check.truncated) return `${green("Audit log intact")}: ${check.records} record(s), head ${check.head.slice(0, 16)}…`;
  const lines = [`${red("Audit log FAILS verification")}: ${check.records} record(s) read`];
  for (const p of check.problems) lines.push(`  ${p.kind.padEnd(9)} ${p.message}`);
  if (check.truncated) lines.push(`  truncated ${check.checkpoint?.records ?? 0} records were verified on ${check.checkpoint?.at ?? "?"}, only ${check.records} remain`);
  return lines.join("\n");
}
