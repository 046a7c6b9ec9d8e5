import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { bear, initWorkspace, json, removeTempDirs, spawnBear, tempDir } from "./harness";

interface AuditRecord {
  action: string;
  outcome: string;
  actor?: string;
  resource?: string;
  matter?: string;
  details?: Record<string, unknown>;
}

interface IngestReport {
  added: number;
  unchanged: number;
  files: { file: string; status: string; documentId?: string }[];
}

function auditRecords(ws: string): AuditRecord[] {
  const file = path.join(ws, "audit", "audit.jsonl");
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditRecord);
}

/** Starts a real `bear ingest` and SIGKILLs it as soon as it reports its first committed document. */
function ingestAndKill(ws: string, cwd: string): Promise<{ signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawnBear(["--data-dir", ws, "ingest", "docs", "--matter", "acme", "--no-progress"], { cwd });
  child.stdout.resume();
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    // "added" is printed once a file's batch is committed (visible to search).
    if (/^\s+added\s/m.test(stderr)) child.kill("SIGKILL");
  });
  return new Promise((resolve) =>
    child.on("close", (_code, signal) => resolve({ signal, stderr })),
  );
}

describe("audit records survive a kill -9 of bear ingest", () => {
  afterAll(removeTempDirs);

  it("the documents a killed ingest committed are audited (marked reconciled) when the workspace is next opened", async () => {
    const ws = initWorkspace("crash-audit");
    const files = tempDir("crash-audit-files");
    fs.mkdirSync(path.join(files, "docs"));
    // 12 files of ~1 MB: batches of 4 (the 4M-character batch limit), committed one by one over seconds.
    for (let i = 0; i < 12; i++) {
      const lines: string[] = [`SERVICES AGREEMENT ${i}`, ""];
      for (let j = 0; lines.join("\n").length < 1_000_000; j += 50) {
        for (let k = j; k < j + 50; k++) lines.push(`Clause ${i}.${k} The supplier number ${i} shall give the customer notice number ${k} of termination in writing.`);
      }
      fs.writeFileSync(path.join(files, "docs", `contract-${String(i).padStart(2, "0")}.txt`), lines.join("\n"));
    }

    const killed = await ingestAndKill(ws, files);
    expect(killed.signal).toBe("SIGKILL");
    // Nothing audited the committed documents before the workspace was opened again.
    expect(auditRecords(ws).filter((r) => r.action === "ingest")).toEqual([]);

    // Any command opening the workspace reconciles: here the read-only `bear audit verify`.
    const verify = bear(["--data-dir", ws, "audit", "verify", "--json"]);
    expect(verify.status).toBe(0);
    expect(json(verify)).toMatchObject({ ok: true, truncated: false });
    const reconciled = auditRecords(ws).filter((r) => r.action === "ingest" && r.details?.["reconciled"] === true);
    const perDocument = reconciled.filter((r) => r.outcome === "success");
    const run = reconciled.filter((r) => r.outcome === "failure");
    expect(run).toHaveLength(1);
    expect(run[0]).toMatchObject({ actor: "cli", matter: "acme", details: { reason: "interrupted", committed: perDocument.length } });
    for (const r of perDocument) expect(r).toMatchObject({ actor: "cli", matter: "acme", details: { run: run[0]!.resource, status: "added" } });

    // What the index holds is exactly what was audited: the rerun finds those files unchanged.
    const rerun = bear(["--data-dir", ws, "ingest", "docs", "--matter", "acme", "--json"], { cwd: files });
    expect(rerun.status).toBe(0);
    const report = json<IngestReport>(rerun);
    const committed = report.files.filter((f) => f.status === "unchanged").map((f) => f.documentId);
    expect(committed.length).toBeGreaterThanOrEqual(1);
    expect(committed.length).toBeLessThan(12);
    expect(perDocument.map((r) => r.resource).sort()).toEqual([...committed].sort());
    // Reconciled once: the rerun's own record follows, and no document is recorded twice.
    const after = auditRecords(ws).filter((r) => r.action === "ingest");
    expect(after.filter((r) => r.details?.["reconciled"] === true)).toHaveLength(reconciled.length);
    expect(after.at(-1)).toMatchObject({ outcome: "success", details: { added: 12 - committed.length, unchanged: committed.length } });
    expect(json(bear(["--data-dir", ws, "audit", "verify", "--json"]))).toMatchObject({ ok: true });
  }, 120_000);
});
