import fs from "node:fs";
import os from "node:os";
import type { Command } from "commander";
import { BearError, isOfflineEnforced } from "@bear/core";
import { CommandContext } from "../context";
import { CliError } from "../cli-error";
import { bold, dim, green, red, yellow } from "../output";
import { formatBytes } from "../progress";
import { passphraseFromEnv } from "../cli-config";

type Level = "ok" | "warn" | "fail";
interface Check {
  readonly area: string;
  readonly level: Level;
  readonly summary: string;
  /** What to do about it (warn / fail). */
  readonly fix?: string;
  readonly details?: Record<string, unknown>;
}

export function registerDoctorCommand(program: Command): void {
  program
    .command("doctor")
    .description("check hardware, models, workspace, index, audit log, plugins and offline status, and say what to fix")
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  bear doctor",
        "  bear doctor --json | jq '.checks[] | select(.level != \"ok\")'",
        "",
        "Exit codes: 0 nothing to fix (warnings are advice), 2 something must be fixed.",
      ].join("\n"),
    )
    .action(async (_flags: unknown, command: Command) => {
      const ctx = CommandContext.of(command);
      const checks: Check[] = [];
      checks.push(...environmentChecks(ctx));
      checks.push(...(await busyChecks(ctx)));
      checks.push(...(await workspaceChecks(ctx)));
      checks.push(...(await modelChecks(ctx)));
      checks.push(await ocrCheck(ctx));
      checks.push(...(await pluginChecks(ctx)));
      const fixes = checks.filter((c) => c.level !== "ok" && c.fix).map((c) => `${c.area}: ${c.fix}`);
      const healthy = !checks.some((c) => c.level === "fail");
      ctx.emit({ healthy, checks, fixes }, () => render(checks, fixes));
      if (!healthy) throw new CliError("INPUT_INVALID", `${checks.filter((c) => c.level === "fail").length} problem(s) need fixing (listed above)`);
    });
}

function environmentChecks(ctx: CommandContext): Check[] {
  const checks: Check[] = [];
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  checks.push(
    major > 20 || (major === 20 && minor >= 19)
      ? { area: "node", level: "ok", summary: `Node ${process.versions.node}` }
      : { area: "node", level: "fail", summary: `Node ${process.versions.node} is too old`, fix: "Install Node 20.19 or newer." },
  );
  const enforced = isOfflineEnforced();
  checks.push(
    enforced && ctx.config.offline.enforce
      ? { area: "offline", level: "ok", summary: "offline guard on: only loopback connections; `bear models pull` is the one explicit exception", details: { enforced, configured: true } }
      : { area: "offline", level: "warn", summary: `offline guard ${enforced ? "on" : "off"} (offline.enforce = ${ctx.config.offline.enforce})`, fix: "Set offline.enforce: true so nothing can leave this machine.", details: { enforced, configured: ctx.config.offline.enforce } },
  );
  checks.push({
    area: "config",
    level: ctx.loaded.warnings.length ? "warn" : "ok",
    summary: ctx.loaded.files.length ? `read ${ctx.loaded.files.join(", ")}` : "defaults (no config file)",
    ...(ctx.loaded.warnings.length ? { fix: ctx.loaded.warnings.join("; ") } : {}),
  });
  return checks;
}

/**
 * Which other processes are writing to the workspace right now (a `bear serve`, a `bear ingest`, a
 * `bear workflow run`): what makes another command wait or say "busy". Advice, never a failure.
 */
async function busyChecks(ctx: CommandContext): Promise<Check[]> {
  const writers = (await ctx.folder()).writers(ctx.config);
  const held = [
    { what: "document index", holder: writers.index, waits: "an ingest or upload waits for it" },
    { what: "workflow database", holder: writers.workflows, waits: "`bear workflow run` and the server's workflows wait for it" },
  ].flatMap((lock) => (lock.holder === undefined ? [] : [{ ...lock, holder: lock.holder }]));
  if (held.length === 0) return [{ area: "processes", level: "ok", summary: "no other process is writing to this workspace" }];
  return held.map((lock) => ({
    area: "processes",
    level: "ok" as const,
    summary: `the ${lock.what} is in use by process ${lock.holder} (${lock.waits})`,
    details: { lock: lock.what, holder: lock.holder },
  }));
}

async function workspaceChecks(ctx: CommandContext): Promise<Check[]> {
  const checks: Check[] = [];
  const folder = await ctx.folder();
  const manifest = folder.manifest();
  if (!manifest) {
    return [{ area: "workspace", level: "warn", summary: `no workspace in ${ctx.layout.root}`, fix: "Run `bear init` (add --encrypt to seal the keys under a passphrase)." }];
  }
  const lax = Object.values(ctx.layout).filter((dir) => {
    try {
      return (fs.statSync(dir).mode & 0o077) !== 0;
    } catch {
      return true;
    }
  });
  let free: number | undefined;
  try {
    const s = fs.statfsSync(ctx.layout.root);
    free = s.bavail * s.bsize;
  } catch {
    free = undefined;
  }
  checks.push({
    area: "workspace",
    level: lax.length ? "fail" : free !== undefined && free < 1024 ** 3 ? "warn" : "ok",
    summary: `${ctx.layout.root} (${manifest.encryption ? "keys sealed under a passphrase" : "keys not encrypted"}${free === undefined ? "" : `, ${formatBytes(free)} free`})`,
    ...(lax.length ? { fix: `Folders readable by others or missing: ${lax.join(", ")}; run \`chmod 700\` on them (or \`bear init\` in a new folder).` } : free !== undefined && free < 1024 ** 3 ? { fix: "Less than 1 GB free: indexes and models need room." } : {}),
    details: { encrypted: manifest.encryption !== null, createdAt: manifest.createdAt, freeBytes: free },
  });
  if (manifest.encryption && passphraseFromEnv() === undefined && !process.stdin.isTTY) {
    checks.push({ area: "index", level: "warn", summary: "not checked: the workspace is encrypted and no passphrase was given", fix: "Set BEAR_PASSPHRASE to check the index and audit log too." });
    return checks;
  }
  try {
    await ctx.withWorkspace({ llm: false }, async (workspace) => {
      const rag = await workspace.rag();
      const documents = rag.documents();
      const chunks = await rag.countChunks();
      checks.push({
        area: "index",
        level: documents.length ? "ok" : "warn",
        summary: `${documents.length} document(s), ${chunks} chunk(s); search ${workspace.embedderId ? ctx.config.rag.searchMode : "lexical (no embedding model)"}`,
        ...(documents.length ? {} : { fix: "Nothing ingested yet: `bear ingest <folder>`." }),
        details: { documents: documents.length, chunks },
      });
      const audit = await workspace.auditLog().verify();
      checks.push(
        audit.ok
          ? { area: "audit", level: "ok", summary: `audit log intact (${audit.records} records)` }
          : { area: "audit", level: "fail", summary: `audit log fails verification (${audit.problems.length} problems)`, fix: "Run `bear audit verify` for details and restore the audit folder from a backup." },
      );
    });
  } catch (error) {
    checks.push({ area: "index", level: "fail", summary: `cannot open the workspace: ${BearError.isInstance(error) ? error.message : String(error)}`, fix: BearError.isInstance(error) && error.hint ? error.hint : "See the error above." });
  }
  return checks;
}

async function modelChecks(ctx: CommandContext): Promise<Check[]> {
  const checks: Check[] = [];
  const { withModelManager } = await import("@bear/workspace");
  const folder = await ctx.folder();
  const modelDirs = folder.modelDirs(ctx.config);
  try {
    await withModelManager(ctx.config, modelDirs, async (manager) => {
    const hw = await manager.hardware();
    checks.push({
      area: "hardware",
      level: hw.totalMemoryBytes < 4 * 1024 ** 3 ? "warn" : "ok",
      summary: `${hw.usableCores} usable core(s) of ${hw.logicalCpus}, ${formatBytes(hw.totalMemoryBytes)} RAM (${formatBytes(hw.freeMemoryBytes)} free), GPU ${hw.gpu.type || "none"}${hw.simd.length ? `, ${hw.simd.join(" ")}` : ""}`,
      ...(hw.totalMemoryBytes < 4 * 1024 ** 3 ? { fix: "Under 4 GB of RAM: use small quantized models (1-3B parameters, Q4)." } : {}),
      details: { ...hw },
    });
    const report = await manager.scan();
    const models = manager.list();
    const llm = folder.llmId(ctx.config);
    const usable = models.filter((m) => m.status !== "error");
    checks.push({
      area: "models",
      level: report.errors.length ? "warn" : "ok",
      summary: `${usable.length} usable model file(s)${report.errors.length ? `, ${report.errors.length} unusable` : ""} in ${modelDirs.join(", ")}`,
      ...(report.errors.length ? { fix: report.errors.map((e) => e.message).join("; ") } : {}),
      details: { models: models.map((m) => ({ id: m.id, status: m.status, kind: m.info?.kind })) },
    });
    if (llm && !models.some((m) => m.id === llm)) {
      checks.push({ area: "llm", level: "fail", summary: `the configured model '${llm}' is not in any model folder`, fix: `Put ${llm}.gguf in a models folder, \`bear models pull\` it, or change models.llm.` });
    } else {
      checks.push(
        llm
          ? { area: "llm", level: "ok", summary: `answers written by ${llm}` }
          : { area: "llm", level: "ok", summary: "no model configured: extractive answers (quoted sentences), which need none", ...(usable.some((m) => m.info?.kind === "causal") ? { fix: "A model is available: `bear models load <id>` to have answers written by it." } : {}) },
      );
    }
    });
  } catch (error) {
    checks.push({ area: "models", level: "warn", summary: `cannot inspect models: ${BearError.isInstance(error) ? error.message : String(error)}`, fix: "Check the model folders (models.dirs)." });
  }
  return checks;
}

/** Which OCR engine ingest will use for scanned pages (`ocr.engine`), or why none can start. */
async function ocrCheck(ctx: CommandContext): Promise<Check> {
  const { describeOcr, ocrConfigSchema } = await import("@bear/workspace");
  const status = await describeOcr(ocrConfigSchema.parse(ctx.config.ocr));
  const details = { ...status };
  if (!status.enabled) return { area: "ocr", level: "warn", summary: "OCR off: scanned PDFs and images are refused", fix: "Set ocr.enabled: true.", details };
  if (status.error) return { area: "ocr", level: "fail", summary: `OCR (${ctx.config.ocr.engine}) cannot start: ${status.error.message}`, fix: status.error.hint ?? "Run `npm ci`.", details };
  const faster = status.engine === "tesseract.js" && ctx.config.ocr.engine === "auto" ? " (apt-get install tesseract-ocr makes it about 3x faster)" : "";
  return { area: "ocr", level: "ok", summary: `OCR ${status.engine} ${status.version ?? ""}, languages ${status.languages.join("+")}, ${status.workers} worker(s)${faster}`, details };
}

async function pluginChecks(ctx: CommandContext): Promise<Check[]> {
  const { discoverWorkspacePlugins, pluginContainment } = await import("@bear/workspace");
  const sandbox = pluginContainment();
  const sandboxCheck: Check = { area: "sandbox", level: sandbox.level === "full" ? "ok" : "warn", summary: sandbox.summary, ...(sandbox.level === "full" ? {} : { fix: "Allow unprivileged user namespaces (or run as root) and install util-linux (unshare, prlimit); see the plugins README." }), details: { ...sandbox } };
  try {
    const found = await discoverWorkspacePlugins((await ctx.folder()).paths, ctx.config);
    return [
      {
        area: "plugins",
        level: found.problems.length ? "warn" : "ok",
        summary: `${found.valid} valid plugin(s)${found.problems.length ? `, ${found.problems.length} refused` : ""}`,
        ...(found.problems.length ? { fix: found.problems.join("; ") } : {}),
      },
      sandboxCheck,
    ];
  } catch (error) {
    return [{ area: "plugins", level: "warn", summary: `cannot scan plugin folders: ${String(error)}` }, sandboxCheck];
  }
}

function render(checks: readonly Check[], fixes: readonly string[]): string {
  const mark = (l: Level): string => (l === "ok" ? green("ok  ") : l === "warn" ? yellow("warn") : red("FAIL"));
  const lines = [bold(`BEAR doctor (${os.hostname()}, node ${process.versions.node})`)];
  for (const c of checks) lines.push(`  ${mark(c.level)} ${c.area.padEnd(10)} ${c.summary}`);
  lines.push("");
  if (fixes.length === 0) lines.push(green("Nothing to fix."));
  else {
    lines.push(bold("What to fix:"));
    for (const f of fixes) lines.push(`  - ${f}`);
  }
  lines.push(dim("Everything above was checked on this machine; nothing was sent anywhere."));
  return lines.join("\n");
}
