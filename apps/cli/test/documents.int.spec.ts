/* eslint-disable @typescript-eslint/no-non-null-assertion -- results are indexed right after asserting their length or presence */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { bear, bearAsync, bin, initWorkspace, json, jsonError, samples, tempDir, removeTempDirs } from "./harness";

interface IngestReport {
  added: number;
  updated: number;
  unchanged: number;
  failed: number;
  files: { file: string; status: string; error?: { code: string; message: string } }[];
}

describe("ingest, search, ask, redact and audit on one workspace", () => {
  let ws: string;
  let files: string;
  const inWs = (args: string[], env: Record<string, string> = {}) => bear(["--data-dir", ws, ...args], { env, cwd: files });
  const inWsAsync = (args: string[]) => bearAsync(["--data-dir", ws, ...args], { cwd: files });

  beforeAll(() => {
    ws = initWorkspace("docs");
    files = tempDir("files");
    // Real files: the sample documents, a corrupt PDF, and a letter with personal data to redact.
    for (const name of fs.readdirSync(samples)) fs.copyFileSync(path.join(samples, name), path.join(files, name));
    fs.writeFileSync(path.join(files, "broken.pdf"), "%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without an xref table\n%%EOF\n");
  });

  it("ingest reports each file, summarises the failures at the end and exits 3 on a partial failure", () => {
    const run = inWs(["ingest", ".", "missing.docx", "--json"]);
    expect(run.status).toBe(3);
    const report = json<IngestReport>(run);
    expect(report.added).toBe(4);
    expect(report.failed).toBe(2);
    const failed = Object.fromEntries(report.files.filter((f) => f.status === "failed").map((f) => [path.basename(f.file), f.error?.code]));
    expect(failed).toEqual({ "broken.pdf": "RAG_FILE_CORRUPT", "missing.docx": "RAG_FILE_UNREADABLE" });
    expect(jsonError(run)).toMatchObject({ code: "PARTIAL_FAILURE" });

    const human = inWs(["ingest", "."]);
    expect(human.status).toBe(3);
    expect(human.stdout).toContain("4 unchanged, 1 failed");
    expect(human.stdout).toMatch(/1 file\(s\) could not be ingested:\n.*broken\.pdf\n\s+RAG_FILE_CORRUPT: PDF .* could not be parsed/);
    expect(human.stderr).not.toContain("\x1b["); // no colours or progress bar when not on a terminal
  });

  const haveScript = spawnSync("script", ["--version"]).status === 0;
  (haveScript ? it : it.skip)("at a terminal, ingest shows a progress bar with files, MB/s and ETA, and colours", () => {
    // util-linux `script` gives the CLI a pseudo-terminal, as a person's shell would.
    const run = spawnSync("script", ["-qec", `${process.execPath} ${bin} --data-dir ${ws} ingest .`, "/dev/null"], {
      cwd: files,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", HOME: files, TERM: "xterm" },
      timeout: 60_000,
    });
    expect(run.status).toBe(3);
    expect(run.stdout).toMatch(/\d\/5 files \| [\d.]+ MB\/s \| ETA \S+/);
    expect(run.stdout).toContain("\x1b[33m1 file(s) could not be ingested:");
  });

  it("ingest exits 2 when no file could be ingested", () => {
    const run = inWs(["ingest", "nope-1.txt", "nope-2.pdf"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("none of the 2 file(s) could be ingested");
  });

  it("ingest, redact, workflow run and users add refuse a --matter outside the one matter-id rule alike (exit 2, a suggested id, nothing done)", () => {
    const before = fs.readFileSync(path.join(ws, "audit/audit.jsonl"), "utf8");
    for (const args of [["ingest", "mutual-nda.md", "--matter", "Acme v Roe"], ["redact", "mutual-nda.md", "--matter", "Acme v Roe"], ["workflow", "run", "digest.yaml", "--matter", "Acme v Roe"], ["users", "add", "bob", "--role", "attorney", "--matters", "acme,Acme v Roe"]]) {
      const run = inWs([...args, "--json"]);
      expect(run.status).toBe(2);
      expect(jsonError(run)).toMatchObject({ code: "MATTER_ID_INVALID", message: expect.stringContaining(`"Acme v Roe" is not a matter id`), hint: "Use an id such as 'Acme-v-Roe'." });
    }
    expect(fs.existsSync(path.join(files, "mutual-nda.redacted.md"))).toBe(false);
    expect(fs.readFileSync(path.join(ws, "audit/audit.jsonl"), "utf8")).toBe(before);
  });

  it("search finds the clause with its document, page and section (three searches at once share the audit log safely)", async () => {
    const [run, human, vector] = await Promise.all([
      inWsAsync(["search", "termination", "for", "convenience", "-k", "3", "--json"]),
      inWsAsync(["search", "governing law"]),
      inWsAsync(["search", "law", "--mode", "vector", "--json"]),
    ]);
    expect(run.status).toBe(0);
    const { hits } = json<{ hits: { source: string; page: number; sectionPath: string[]; snippet: string }[] }>(run);
    expect(hits).toHaveLength(3);
    expect(path.basename(hits[0]!.source)).toBe("master-services-agreement.txt");
    expect(hits[0]!.sectionPath.join(" > ")).toContain("3.2 Termination for Convenience");
    expect(hits[0]!.snippet).toContain("**");
    expect(human.stdout).toMatch(/^1\. /);
    expect(human.stdout).toContain("page 1");
    expect(vector.status).toBe(2);
    expect(jsonError(vector).code).toBe("RAG_NO_EMBEDDER");
  });

  it("ask answers with citations to the exact sentence (extractive without a model)", () => {
    const run = inWs(["ask", "When is the base rent payable under the lease?", "--json"]);
    expect(run.status).toBe(0);
    const answer = json<{ mode: string; text: string; citations: { marker: number; source: string; quote: string; start: number; end: number }[] }>(run);
    expect(answer.mode).toBe("extractive");
    expect(answer.citations.length).toBeGreaterThan(0);
    const rent = answer.citations.find((c) => c.quote.includes("first day of each calendar month"));
    expect(rent).toBeDefined();
    expect(path.basename(rent!.source)).toBe("office-lease.html");
    expect(answer.text).toContain(`[${rent!.marker}]`);
    const human = inWs(["ask", "How long do the confidentiality obligations survive termination?"]);
    expect(human.status).toBe(0);
    expect(human.stdout).toContain("Sources (extractive answer");
    expect(human.stdout).toMatch(/\[1\] .*mutual-nda\.md, page 1, chars \d+-\d+/);
  });

  it("ask and search keep to the documents --doc names (by file or title words), and refuse a name that matches none", () => {
    const asked = inWs(["ask", "What law governs this agreement?", "--doc", "mutual nda", "--json"]);
    expect(asked.status).toBe(0);
    const answer = json<{ passages: { source: string }[]; citations: { source: string }[] }>(asked);
    expect(answer.passages.length).toBeGreaterThan(0);
    expect(new Set([...answer.passages, ...answer.citations].map((p) => path.basename(p.source)))).toEqual(new Set(["mutual-nda.md"]));
    const searched = inWs(["search", "termination", "--doc", "office-lease.html", "master services", "--json"]);
    expect(searched.status).toBe(0);
    const hits = json<{ hits: { source: string }[] }>(searched).hits;
    expect(new Set(hits.map((h) => path.basename(h.source)))).toEqual(new Set(["office-lease.html", "master-services-agreement.txt"]));
    const unknown = inWs(["ask", "What law governs?", "--doc", "zyxwvut"]);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain("no document matches 'zyxwvut'");
  });

  it("redact writes a copy without the personal data and reports what was removed, never the values", async () => {
    const run = inWs(["redact", "client-letter.eml", "--json"]);
    expect(run.status).toBe(0);
    const report = json<{ output: string; removed: number; byType: Record<string, number>; risk: { level: string }; items: { type: string; line: number }[] }>(run);
    expect(report.output).toBe(path.join(files, "client-letter.redacted.txt"));
    const copy = fs.readFileSync(report.output, "utf8");
    for (const secret of ["512-44-3921", "4242 4242 4242 4242", "GB82 WEST 1234 5698 7654 32", "m.trent@gmail.example", "04/17/1986"]) {
      expect(copy).not.toContain(secret);
      expect(run.stdout).not.toContain(secret);
    }
    expect(copy).toContain("Please confirm they are correct");
    expect(report.byType).toMatchObject({ US_SSN: 1, CREDIT_CARD: 1, IBAN: 1, DATE_OF_BIRTH: 1 });
    expect(report.risk.level).toBe("critical");
    expect(report.items.find((i) => i.type === "US_SSN")?.line).toBeGreaterThan(1);

    const [again, missing, corrupt] = await Promise.all([
      inWsAsync(["redact", "client-letter.eml"]),
      inWsAsync(["redact", "no-such-letter.eml", "--json"]),
      inWsAsync(["redact", "broken.pdf"]),
    ]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain("already exists");
    expect(missing.status).toBe(2);
    expect(jsonError(missing)).toMatchObject({ code: "INPUT_NOT_FOUND" });
    expect(corrupt.status).toBe(2);
    expect(corrupt.stderr).toContain("could not be parsed");
  });

  it("restore puts the values of a reversible redaction back, with the workspace's vault key", () => {
    const redacted = inWs(["redact", "client-letter.eml", "--policy", "reversible", "-o", "letter.tokens.txt", "--json"]);
    expect(redacted.status).toBe(0);
    const tokens = fs.readFileSync(path.join(files, "letter.tokens.txt"), "utf8");
    expect(tokens).toMatch(/<TOK_US_SSN_[0-9a-f]{12}>/);
    expect(tokens).not.toContain("512-44-3921");
    const restored = inWs(["restore", "letter.tokens.txt", "-o", "letter.restored.txt", "--json"]);
    expect(restored.status).toBe(0);
    expect(json(restored)).toMatchObject({ tokens: expect.any(Number) });
    const back = fs.readFileSync(path.join(files, "letter.restored.txt"), "utf8");
    expect(back).toContain("512-44-3921");
    expect(back).toContain("GB82 WEST 1234 5698 7654 32");
    const notTokens = inWs(["restore", "client-letter.eml"]);
    expect(notTokens.status).toBe(2);
    expect(notTokens.stderr).toContain("holds no vault tokens");
  });

  it("an output name taken by a symlink, even a dangling one, is refused, and --force replaces the link and any 0644 file by a 0600 file", () => {
    const outside = tempDir("outside");
    const target = path.join(outside, "authorized_keys");
    fs.symlinkSync(target, path.join(files, "client-letter.planted.txt"));
    const planted = inWs(["redact", "client-letter.eml", "-o", "client-letter.planted.txt"]);
    expect(planted.status).toBe(2);
    expect(planted.stderr).toContain("already exists");
    expect(fs.existsSync(target)).toBe(false);

    const forced = inWs(["redact", "client-letter.eml", "-o", "client-letter.planted.txt", "--force"]);
    expect(forced.status).toBe(0);
    expect(fs.existsSync(target)).toBe(false);
    const copy = path.join(files, "client-letter.planted.txt");
    expect(fs.lstatSync(copy).isSymbolicLink()).toBe(false);
    expect(fs.statSync(copy).mode & 0o777).toBe(0o600);

    const open = path.join(files, "letter.open.txt");
    fs.writeFileSync(open, "old", { mode: 0o644 });
    fs.chmodSync(open, 0o644);
    const restored = inWs(["restore", "letter.tokens.txt", "-o", "letter.open.txt", "--force"]);
    expect(restored.status).toBe(0);
    expect(fs.statSync(open).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(open, "utf8")).toContain("512-44-3921");
  });

  it("every sensitive operation is in the audit log, which verifies; an edited record makes verify exit 6", () => {
    const run = inWs(["audit", "verify", "--json"]);
    expect(run.status).toBe(0);
    const check = json<{ ok: boolean; records: number }>(run);
    expect(check.ok).toBe(true);
    const log = fs.readFileSync(path.join(ws, "audit/audit.jsonl"), "utf8");
    const actions = log.trim().split("\n").map((l) => (JSON.parse(l) as { action: string }).action);
    expect(new Set(actions)).toEqual(new Set(["ingest", "search", "scrub", "export", "restore"]));
    expect(log).not.toContain("512-44-3921");
    expect(log).not.toContain("convenience");

    const tampered = log.replace('"action":"search"', '"action":"serch"');
    fs.writeFileSync(path.join(ws, "audit/audit.jsonl"), tampered);
    const bad = inWs(["audit", "verify", "--json"]);
    expect(bad.status).toBe(6);
    expect(json<{ ok: boolean; problems: { kind: string }[] }>(bad).problems[0]!.kind).toBe("edited");
    // A cut-off tail is noticed too, through the log's signed head checkpoint…
    const head = fs.readFileSync(path.join(ws, "audit/audit.head"));
    const cutTail = (): void => fs.writeFileSync(path.join(ws, "audit/audit.jsonl"), log.split("\n").slice(0, 2).join("\n") + "\n");
    cutTail();
    const cut = inWs(["audit", "verify"]);
    expect(cut.status).toBe(6);
    expect(cut.stdout).toContain("truncated");
    // …whatever happens to the old unsigned checkpoint in state/cli.json, deleted or rewritten…
    const cliState = path.join(ws, "state/cli.json");
    fs.rmSync(cliState, { force: true });
    expect(inWs(["audit", "verify"]).status).toBe(6);
    fs.writeFileSync(cliState, JSON.stringify({ auditCheckpoint: { records: 2, head: "0".repeat(64), at: new Date().toISOString() } }));
    expect(inWs(["audit", "verify"]).status).toBe(6);
    // …and when the signed head itself is deleted or rewritten to fit the shorter log.
    fs.rmSync(path.join(ws, "audit/audit.head"));
    const noHead = inWs(["audit", "verify", "--json"]);
    expect(noHead.status).toBe(6);
    expect(json<{ truncated: boolean }>(noHead).truncated).toBe(true);
    const second = JSON.parse(log.split("\n")[1] ?? "{}") as { seq: number; hash: string; ts: string };
    fs.writeFileSync(path.join(ws, "audit/audit.head"), JSON.stringify({ seq: second.seq, hash: second.hash, ts: second.ts, mac: "1f".repeat(32) }));
    expect(inWs(["audit", "verify"]).status).toBe(6);
    fs.writeFileSync(path.join(ws, "audit/audit.head"), head);
    fs.writeFileSync(path.join(ws, "audit/audit.jsonl"), log);
    expect(inWs(["audit", "verify"]).status).toBe(0);
  });
});

describe("bear documents: list and delete, also a matter the matter-id rule refuses", () => {
  it("deletes documents by id or a whole matter (with --yes), audited as `delete` by cli, and takes a matter exactly as indexed", () => {
    const ws = initWorkspace("documents-delete");
    const files = tempDir("documents-delete-files");
    fs.writeFileSync(path.join(files, "lease.txt"), "The Tenant shall pay rent of one thousand dollars on the first day of each month.\n");
    fs.writeFileSync(path.join(files, "nda.txt"), "The Recipient shall keep the Confidential Information secret for three years.\n");
    fs.writeFileSync(path.join(files, "memo.txt"), "The closing is set for the first business day of June.\n");
    const inWs = (args: string[]) => bear(["--data-dir", ws, ...args], { cwd: files });
    expect(inWs(["ingest", "lease.txt", "nda.txt", "--matter", "old-matter"]).status).toBe(0);
    expect(inWs(["ingest", "memo.txt", "--matter", "keep"]).status).toBe(0);
    const listed = json<{ documents: { id: string; matter: string; title: string }[] }>(inWs(["documents", "list", "--json"])).documents;
    expect(listed.map((d) => d.matter).sort()).toEqual(["keep", "old-matter", "old-matter"]);

    // a whole matter needs --yes; an unknown id or matter deletes nothing
    expect(inWs(["documents", "delete", "--matter", "old-matter"]).status).toBe(1);
    expect(jsonError(inWs(["documents", "delete", "nope0000", "--json"]))).toMatchObject({ code: "INPUT_NOT_FOUND" });
    // an id the rule refuses is looked up exactly as indexed (an older release's), never refused as invalid
    expect(jsonError(inWs(["documents", "delete", "--matter", "Acme v Roe", "--yes", "--json"]))).toMatchObject({ code: "INPUT_NOT_FOUND", message: 'no document is indexed under matter "Acme v Roe"' });
    expect(json<{ documents: unknown[] }>(inWs(["documents", "list", "--json"])).documents).toHaveLength(3);

    const byMatter = inWs(["documents", "delete", "--matter", "old-matter", "--yes", "--json"]);
    expect(byMatter.status).toBe(0);
    const gone = json<{ deleted: { id: string; matter: string }[] }>(byMatter).deleted;
    expect(gone.map((d) => d.matter)).toEqual(["old-matter", "old-matter"]);
    const memo = listed.find((d) => d.matter === "keep")!;
    expect(inWs(["documents", "delete", memo.id]).status).toBe(0);
    expect(json<{ documents: unknown[] }>(inWs(["documents", "list", "--json"])).documents).toEqual([]);

    const audit = fs.readFileSync(path.join(ws, "audit/audit.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { action: string; actor: string; resource?: string; matter?: string });
    const deletes = audit.filter((r) => r.action === "delete");
    expect(deletes.map((r) => ({ actor: r.actor, resource: r.resource, matter: r.matter })).sort((a, b) => a.resource!.localeCompare(b.resource!))).toEqual(
      [...gone, { id: memo.id, matter: "keep" }].map((d) => ({ actor: "cli", resource: d.id, matter: d.matter })).sort((a, b) => a.resource.localeCompare(b.resource)),
    );
    expect(inWs(["audit", "verify"]).status).toBe(0);
  });
});

afterAll(removeTempDirs);

describe("a file whose content is not what its name says", () => {
  it("is ingested by its content, and ingest says so (human and --json)", () => {
    const ws = initWorkspace("sniffed");
    const dir = tempDir("sniffed-files");
    fs.writeFileSync(path.join(dir, "memo.pdf"), "MEMO\n\nThe closing takes place on the first business day of March.\n");
    fs.copyFileSync(path.join(samples, "master-services-agreement.txt"), path.join(dir, "msa.txt"));
    const run = bear(["--data-dir", ws, "ingest", "--no-progress", "."], { cwd: dir });
    expect(run.status).toBe(0);
    expect(run.stdout + run.stderr).toContain("1 file(s) were read by their content, not their extension:\n  'memo.pdf' is named .pdf but holds plain text; it was read as plain text");
    const again = json<{ files: { file: string; formatNote?: { extension: string; format: string } }[] }>(bear(["--data-dir", initWorkspace("sniffed-json"), "ingest", "--json", "."], { cwd: dir }));
    const notes = Object.fromEntries(again.files.map((f) => [path.basename(f.file), f.formatNote]));
    expect(notes["msa.txt"]).toBeUndefined();
    expect(notes["memo.pdf"]).toMatchObject({ extension: "pdf", format: "text" });
  });
});

describe("two writers on one index", () => {
  it("a second `bear ingest` says which process it waits for, and goes on once that process is gone", async () => {
    const ws = initWorkspace("waiting");
    const dir = tempDir("waiting-files");
    fs.copyFileSync(path.join(samples, "master-services-agreement.txt"), path.join(dir, "msa.txt"));
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    fs.mkdirSync(path.join(ws, "indexes", "default"), { recursive: true });
    fs.writeFileSync(path.join(ws, "indexes", "default", "writer.lock"), String(holder.pid));
    const home = tempDir("waiting-home");
    const ingest = spawn(process.execPath, [bin, "--data-dir", ws, "ingest", "--no-progress", "."], { cwd: dir, env: { PATH: process.env.PATH ?? "", HOME: home, BEAR_MODELS_THREADS: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    const exited = new Promise<number | null>((resolve) => ingest.on("close", resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        ingest.stderr.setEncoding("utf8").on("data", (c: string) => {
          stderr += c;
          if (stderr.includes("waiting for")) resolve();
        });
        void exited.then(() => reject(new Error(`bear ingest ended before waiting: ${stderr}`)));
      });
      expect(stderr).toContain(`waiting for process ${holder.pid} to finish writing to this index`);
      holder.kill("SIGKILL");
      expect(await exited).toBe(0);
      expect(stderr).toContain("added");
    } finally {
      holder.kill("SIGKILL");
      ingest.kill("SIGKILL");
    }
  }, 60_000);
});
