import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "@jest/globals";
import { filesHolding, quietConfig, tempDirs, withWorkspace } from "./support/workspace-fixture";
import { openWorkspace, WorkspaceFolder } from "@bear/workspace";

const tempDir = tempDirs("bear-workspace-");

const CHEAP_SCRYPT = { N: 2 ** 14, r: 8, p: 1 };
const LEASE = "COMMERCIAL LEASE\n\nSection 4. Rent. The Tenant shall pay the Zanzibarian rent of five thousand dollars on the first day of each month.\n";

function auditLines(dir: string): { action: string; actor?: string; details?: Record<string, unknown> }[] {
  return fs
    .readFileSync(path.join(dir, "audit", "audit.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe("@bear/workspace", () => {
  it("refuses a folder that holds no workspace, and creates one (0700 folders, 0600 keys) when asked", async () => {
    const dir = path.join(tempDir(), "ws");
    await expect(openWorkspace({ config: quietConfig(dir) })).rejects.toMatchObject({ code: "WORKSPACE_NOT_INITIALISED" });
    await withWorkspace(openWorkspace({ config: quietConfig(dir), create: true }), async (workspace) => {
      expect(workspace.encrypted).toBe(false);
      for (const sub of ["audit", "state", "uploads", "workflows", "indexes"]) expect(fs.statSync(path.join(dir, sub)).mode & 0o777).toBe(0o700);
      expect(fs.statSync(path.join(dir, "state", "keys.json")).mode & 0o777).toBe(0o600);
    });
    await expect(WorkspaceFolder.at(dir).create()).rejects.toMatchObject({ code: "WORKSPACE_EXISTS" });
  });

  it("keeps the keys an early bear-server made, so its audit chain still verifies", async () => {
    const dir = path.join(tempDir(), "ws");
    fs.mkdirSync(path.join(dir, "state"), { recursive: true });
    const auditKey = Buffer.alloc(32, 7);
    fs.writeFileSync(path.join(dir, "state", "audit.key"), auditKey);
    fs.writeFileSync(path.join(dir, "state", "pseudonym.key"), Buffer.alloc(32, 9));
    await WorkspaceFolder.at(dir).create();
    const keys = await WorkspaceFolder.at(dir).keys();
    expect(keys.auditKey.equals(auditKey)).toBe(true);
    expect(fs.existsSync(path.join(dir, "state", "audit.key"))).toBe(false);
  });

  it("unseals an encrypted workspace only with its passphrase, and stores uploads sealed", async () => {
    const dir = path.join(tempDir(), "ws");
    await WorkspaceFolder.at(dir).create({ passphrase: "correct horse battery", scrypt: CHEAP_SCRYPT });
    await expect(openWorkspace({ config: quietConfig(dir) })).rejects.toMatchObject({ code: "PASSPHRASE_REQUIRED" });
    await expect(openWorkspace({ config: quietConfig(dir), passphrase: "wrong horse battery" })).rejects.toMatchObject({ code: "WRONG_PASSPHRASE" });
    await withWorkspace(openWorkspace({ config: quietConfig(dir), passphrase: () => "correct horse battery" }), async (workspace) => {
      expect(workspace.encrypted).toBe(true);
      const outcome = await workspace.upload({ matter: "acme", fileName: "lease.txt", body: Readable.from([LEASE]), actor: "alice" });
      expect(outcome).toMatchObject({ status: "added", document: { matter: "acme" } });
      const hits = await workspace.search("Zanzibarian rent", { k: 3 }, "alice");
      expect(hits[0]?.text).toContain("Zanzibarian");
    });
    expect(fs.existsSync(path.join(dir, "uploads", "acme", "lease.txt"))).toBe(true);
    expect(filesHolding(dir, "Zanzibarian")).toEqual([]);
  });

  it("audits a search and an answer once each, with the caller as actor and no query text", async () => {
    const dir = path.join(tempDir(), "ws");
    await withWorkspace(openWorkspace({ config: quietConfig(dir), create: true }), async (workspace) => {
      await workspace.upload({ matter: "acme", fileName: "lease.txt", body: Readable.from([LEASE]), actor: "alice" });
      await workspace.search("when is rent due", { k: 2 }, "alice");
      await workspace.answer("When is the rent due?", { k: 2 }, "bob");
    });
    const searches = auditLines(dir).filter((r) => r.action === "search");
    expect(searches).toHaveLength(2);
    expect(searches[0]).toMatchObject({ actor: "alice", details: { mode: "lexical", k: 2, chars: 16 } });
    expect(searches[1]).toMatchObject({ actor: "bob", details: { purpose: "answer", answer: "extractive" } });
    expect(JSON.stringify(searches)).not.toContain("rent");
  });

  it("composes the workflow engine through the container: agent and file steps are there, one engine per workspace", async () => {
    const dir = path.join(tempDir(), "ws");
    await withWorkspace(openWorkspace({ config: quietConfig(dir), create: true }), async (workspace) => {
      const engine = await workspace.workflows();
      expect(await workspace.workflows()).toBe(engine);
      expect((await workspace.agents()).listAgents().length).toBeGreaterThan(0);
      expect(workspace.workflowRegistry().has("file_operations")).toBe(true);
      expect(workspace.workflowRegistry().has("data_processing")).toBe(true);
      expect(workspace.workflowRegistry().types().some((t: string) => t.startsWith("agent."))).toBe(true);
    });
  });
  it("redact with a matter gives the same person the same placeholder across documents and runs, the table sealed on disk", async () => {
    const dir = path.join(tempDir(), "ws");
    const first = await withWorkspace(openWorkspace({ config: quietConfig(dir), create: true }), (w) =>
      w.redact("Mr. Paul Okonkwo signed for Brightwater Analytics Corporation.", { actor: "cli", matterId: "acme-v-roe", plugins: false }),
    );
    const second = await withWorkspace(openWorkspace({ config: quietConfig(dir) }), (w) =>
      w.redact("Jane Roe and Mr. Okonkwo met at Brightwater Analytics Corporation.", { actor: "cli", matterId: "acme-v-roe", plugins: false }),
    );
    const person = /<PERSON_\d+>/.exec(first.result.text)?.[0] ?? "none";
    expect(second.result.text).toContain(`and Mr. ${person} met`);
    expect(second.result.text).not.toContain(`${person} and`);
    const tables = fs.readdirSync(path.join(dir, "state", "matters"));
    expect(tables).toHaveLength(1);
    expect(fs.statSync(path.join(dir, "state", "matters", tables[0] ?? "")).mode & 0o777).toBe(0o600);
    expect(filesHolding(dir, "Okonkwo")).toEqual([]);
    await withWorkspace(openWorkspace({ config: quietConfig(dir) }), async (w) => {
      await expect(w.redact("x", { actor: "cli", matterId: "../etc" })).rejects.toMatchObject({ code: "MATTER_ID_INVALID" });
    });
  }, 60_000);
});
