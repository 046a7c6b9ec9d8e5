/* eslint-disable @typescript-eslint/no-non-null-assertion -- results are indexed right after asserting their length or presence */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { bear, bearAsync, bin, json, jsonError, samples, tempDir, removeTempDirs } from "./harness";

const COMMANDS = [
  ["demo"], ["init"], ["ingest"], ["search"], ["ask"], ["review"], ["redact"], ["restore"], ["config"], ["doctor"], ["serve"],
  ["models"], ["models", "list"], ["models", "info"], ["models", "pull"], ["models", "load"], ["models", "unload"],
  ["workflow"], ["workflow", "run"], ["workflow", "list"], ["workflow", "status"], ["workflow", "cancel"],
  ["plugins"], ["plugins", "list"], ["plugins", "install"], ["plugins", "remove"],
  ["audit"], ["audit", "verify"],
  ["users"], ["users", "add"], ["users", "list"], ["users", "revoke"],
  ["documents"], ["documents", "list"], ["documents", "delete"],
];

describe("bear CLI basics (built, run as a child process)", () => {
  it("every command has --help with examples, and exits 0", async () => {
    for (let i = 0; i < COMMANDS.length; i += 5) {
      const batch = COMMANDS.slice(i, i + 5);
      const runs = await Promise.all(batch.map((command) => bearAsync([...command, "--help"])));
      runs.forEach((run, j) => {
        expect({ command: batch[j], status: run.status, examples: run.stdout.includes("Examples:") }).toEqual({ command: batch[j], status: 0, examples: true });
      });
    }
    const top = bear(["--help"]);
    expect(top.stdout).toContain("Exit codes:");
    expect(top.stdout).toMatch(/serve \[options\]\s+start the REST API/);
  });

  it("loads no package but @bear/core (and no native addon) before a command runs: `bear --help` stays fast", () => {
    const staticImports = [...fs.readFileSync(bin, "utf8").matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(staticImports.filter((m) => !["path", "crypto", "fs", "os", "url", "child_process"].includes(m!))).toEqual(["@bear/core", "commander"]);
  });

  it("exits 1 on an unknown command, an unknown flag or a missing argument (as JSON under --json)", async () => {
    const [unknown, flag, missing, badK] = await Promise.all([
      bearAsync(["frobnicate"]),
      bearAsync(["demo", "--no-such-flag", "--json"]),
      bearAsync(["search"]),
      bearAsync(["search", "x", "-k", "zero", "--data-dir", tempDir("k")]),
    ]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect(flag.status).toBe(1);
    expect(jsonError(flag)).toMatchObject({ code: "USAGE", message: "unknown option '--no-such-flag'" });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("missing required argument 'query'");
    expect(badK.status).toBe(1);
    expect(badK.stderr).toContain("--k must be an integer");
  });

  it("commands that need a workspace exit 2 and say to run `bear init`", () => {
    const dir = tempDir("none");
    const run = bear(["--data-dir", dir, "search", "anything", "--json"]);
    expect(run.status).toBe(2);
    expect(jsonError(run)).toMatchObject({ code: "WORKSPACE_NOT_INITIALISED" });
    expect(jsonError(run).hint).toContain("bear init");
  });

  it("bear init creates a 0700 workspace, refuses to do it twice, and --encrypt seals the keys", async () => {
    const dir = path.join(tempDir("init"), "ws");
    const run = bear(["--data-dir", dir, "init", "--json"]);
    expect(run.status).toBe(0);
    const created = json<{ workspace: { audit: string }; encrypted: boolean }>(run);
    expect(created.encrypted).toBe(false);
    expect(fs.statSync(created.workspace.audit).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, "state/keys.json")).mode & 0o777).toBe(0o600);
    const again = bear(["--data-dir", dir, "init"]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain("already a BEAR workspace");

    const sealed = path.join(tempDir("init-enc"), "ws");
    expect(bear(["--data-dir", sealed, "init", "--encrypt"], { env: { BEAR_PASSPHRASE: "short" } }).status).toBe(2);
    const enc = bear(["--data-dir", sealed, "init", "--encrypt", "--json"], { env: { BEAR_PASSPHRASE: "correct horse battery" } });
    expect(json(enc)).toMatchObject({ encrypted: true });
    expect(fs.existsSync(path.join(sealed, "state/keys.json"))).toBe(false);
    expect(fs.readFileSync(path.join(sealed, "state/keys.enc")).subarray(0, 8).toString()).toBe("BEARENC1");
    const [noPass, wrong, right] = await Promise.all([
      bearAsync(["--data-dir", sealed, "audit", "verify", "--json"]),
      bearAsync(["--data-dir", sealed, "audit", "verify"], { env: { BEAR_PASSPHRASE: "wrong horse battery" } }),
      bearAsync(["--data-dir", sealed, "audit", "verify"], { env: { BEAR_PASSPHRASE: "correct horse battery" } }),
    ]);
    expect(noPass.status).toBe(2);
    expect(jsonError(noPass).code).toBe("PASSPHRASE_REQUIRED");
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain("wrong passphrase");
    expect(right.status).toBe(0);
  });

  it("bear config shows where each setting came from", () => {
    const run = bear(["config", "--json"], { env: { BEAR_SERVER_PORT: "5050" } });
    expect(run.status).toBe(0);
    const loaded = json<{ config: { server: { port: number } }; sources: Record<string, string> }>(run);
    expect(loaded.config.server.port).toBe(5050);
    expect(loaded.sources["server.port"]).toBe("env BEAR_SERVER_PORT");
  });

  it("a bear.config.yaml in the folder bear runs in cannot move the workspace or lift the offline guard, and the user is told", () => {
    const folder = tempDir("received");
    fs.writeFileSync(path.join(folder, "bear.config.yaml"), "dataDir: ./.ws\noffline:\n  enforce: false\nrag:\n  chunkSize: 800\n");
    const run = bear(["config", "--json"], { cwd: folder });
    expect(run.status).toBe(0);
    const file = path.join(fs.realpathSync(folder), "bear.config.yaml");
    const loaded = json<{ config: { dataDir: string; offline: { enforce: boolean }; rag: { chunkSize: number } }; ignoredFolderSettings: unknown }>(run);
    expect(loaded.config.dataDir).not.toBe(path.join(folder, ".ws"));
    expect(loaded.config.offline.enforce).toBe(true);
    expect(loaded.config.rag.chunkSize).toBe(800);
    expect(loaded.ignoredFolderSettings).toEqual([{ file, settings: ["dataDir", "offline"] }]);
    // every other command says it on stderr, also under --json
    const doctor = bear(["doctor", "--json"], { cwd: folder });
    expect(doctor.stderr).toContain(`warning: ${file} may not set dataDir, offline; ignored`);
    expect(fs.existsSync(path.join(folder, ".ws"))).toBe(false);
  });

  it("exits 2 with the key, value and source named on an invalid setting, as JSON under --json", () => {
    const run = bear(["config"], { env: { BEAR_SERVER_HOST: "0.0.0.0" } });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('server.host = "0.0.0.0" (from env BEAR_SERVER_HOST)');
    expect(run.stderr).toContain("hint:");
    const asJson = bear(["config", "--json"], { env: { BEAR_RAG_CHUNK_SIZE: "tiny" } });
    expect(asJson.status).toBe(2);
    expect(jsonError(asJson).code).toBe("CONFIG_INVALID");
  });

  it("bear review reports key terms, risks and clauses as Markdown, HTML or JSON, every finding cited", async () => {
    const dir = path.join(tempDir("review"), "ws");
    bear(["--data-dir", dir, "init"]);
    const contract = path.join(samples, "master-services-agreement.txt");
    const out = path.join(tempDir("review-out"), "msa.html");
    const [markdown, asJson, html, badFormat, missing] = await Promise.all([
      bearAsync(["--data-dir", dir, "review", contract]),
      bearAsync(["--data-dir", dir, "review", contract, "--json"]),
      bearAsync(["--data-dir", dir, "review", contract, "--format", "html", "-o", out]),
      bearAsync(["--data-dir", dir, "review", contract, "--format", "pdf"]),
      bearAsync(["--data-dir", dir, "review", "no-such-contract.pdf", "--json"]),
    ]);
    expect(markdown.status).toBe(0);
    expect(markdown.stdout).toContain("# Contract review");
    expect(markdown.stdout).toContain("Harborview Health Systems");
    const report = json<{ summary: { governingLaw: string; parties: string[] }; risks: { severity: string; citations: { start: number; end: number; quote: string }[] }[]; citations: { valid: boolean } }>(asJson);
    expect(report.summary.governingLaw).toBe("California");
    expect(report.citations.valid).toBe(true);
    const text = fs.readFileSync(contract, "utf8");
    for (const risk of report.risks) for (const c of risk.citations) expect(text.slice(c.start, c.end)).toBe(c.quote);
    expect(html.status).toBe(0);
    expect(fs.readFileSync(out, "utf8")).toContain("<html");
    expect(badFormat.status).toBe(1);
    expect(missing.status).toBe(2);
    expect(jsonError(missing).code).toBe("INPUT_NOT_FOUND");
    // The rendered reports that left the workspace (terminal, file) are exports, as the API's Markdown/HTML downloads;
    // the JSON report (the data view) is not: each review is audited as `review` either way.
    const audit = fs.readFileSync(path.join(dir, "audit/audit.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { action: string; actor: string; resource?: string; details?: { report?: string; kind?: string } });
    // Named by the workspace-keyed content id: the same in every record, and not the file's plain SHA-256,
    // which would let a reader of the log confirm a guessed contract.
    const resource = audit.find((r) => r.action === "review")?.resource;
    expect(resource).toMatch(/^[0-9a-f]{24}$/);
    expect(resource).not.toBe(createHash("sha256").update(fs.readFileSync(contract)).digest("hex").slice(0, 24));
    expect(audit.filter((r) => r.action === "review").map((r) => r.resource)).toEqual([resource, resource, resource]);
    const exports = audit.filter((r) => r.action === "export");
    expect(exports.map((r) => r.details?.report).sort()).toEqual(["html", "markdown"]);
    for (const r of exports) expect(r).toMatchObject({ actor: "cli", resource, details: { kind: "review-report", format: "text" } });
    expect(audit.filter((r) => r.action === "review").length).toBe(3);
  });
});

describe("bear demo", () => {
  it("runs end to end offline in a temporary workspace, in well under a minute, and cleans up", () => {
    const started = Date.now();
    const run = bear(["demo", "--json"]);
    const seconds = (Date.now() - started) / 1000;
    expect(run.status).toBe(0);
    expect(seconds).toBeLessThan(60);
    const report = json<{
      offline: unknown;
      server: string;
      workspace: { root: string };
      ingest: { added: number; failed: number };
      answers: { text: string; citations: { source: string; quote: string; start: number; end: number }[] }[];
      redaction: { output: string; removed: number; byType: Record<string, number> };
      review: { available: boolean; risks: { severity: string }[]; summary: { governingLaw: string } };
      audit: { ok: boolean; records: number };
    }>(run);
    expect(report.offline).toEqual({ enforced: true, configured: true });
    expect(report.server).toBe("http://127.0.0.1:4141");
    expect(report.ingest).toMatchObject({ added: 4, failed: 0 });
    expect(report.answers).toHaveLength(2);
    expect(report.answers[0]!.citations[0]!.source).toContain("master-services-agreement.txt");
    expect(report.answers[0]!.text).toContain("sixty (60) days");
    expect(report.answers[1]!.citations.some((c) => c.quote.includes("first day of each calendar month"))).toBe(true);
    expect(report.redaction.byType).toMatchObject({ US_SSN: 1, CREDIT_CARD: 1, IBAN: 1 });
    expect(report.review).toMatchObject({ available: true, summary: { governingLaw: "California" } });
    expect(report.review.risks.length).toBeGreaterThan(0);
    expect(report.audit.ok).toBe(true);
    expect(report.audit.records).toBeGreaterThanOrEqual(6);
    expect(fs.existsSync(report.workspace.root)).toBe(false);
  });

  it("says that the files it lists are deleted when it ends, and how to keep them", () => {
    const run = bear(["demo"]);
    expect(run.status).toBe(0);
    const copy = /redacted copy: (\S+) \(in the temporary workspace, deleted when the demo ends; --keep keeps it\)/.exec(run.stdout);
    expect(copy).not.toBeNull();
    expect(run.stdout).toMatch(/report: \S+ \(deleted with the temporary workspace; --keep keeps it\)/);
    expect(run.stdout).toContain("The temporary workspace and the files listed above are now deleted; run `bear demo --keep` to keep them.");
    expect(fs.existsSync(copy![1]!)).toBe(false);
  });

  it("prints the steps and where to go next for people; --keep leaves an owner-only workspace", () => {
    const run = bear(["demo", "--keep"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Where to go next:");
    expect(run.stdout).toContain("[1]");
    const kept = /Kept (\S+)\./.exec(run.stdout)?.[1];
    expect(kept).toBeDefined();
    try {
      expect(fs.statSync(path.join(kept!, "data/audit")).mode & 0o777).toBe(0o700);
      const redacted = fs.readFileSync(path.join(kept!, "client-letter.redacted.txt"), "utf8");
      expect(redacted).not.toContain("512-44-3921");
      expect(redacted).toContain("<US_SSN_1>");
    } finally {
      fs.rmSync(kept!, { recursive: true, force: true });
    }
  });
});

afterAll(removeTempDirs);
