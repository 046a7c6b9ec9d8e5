import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AuditLog } from "./audit-log";

const key = Buffer.alloc(32, 3);
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-audit-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function writeN(log: AuditLog, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await log.record({ action: "search", outcome: "success", actor: "u1", resource: `doc-${i}`, details: { hits: i } });
}
const file = (): string => path.join(dir, "audit.jsonl");
const lines = (): string[] => fs.readFileSync(file(), "utf8").trim().split("\n");
const save = (ls: string[]): void => fs.writeFileSync(file(), `${ls.join("\n")}\n`);

describe("AuditLog", () => {
  it("verifies an untouched log and chains records across a restart", async () => {
    await writeN(new AuditLog({ dir, key }), 3);
    const reopened = new AuditLog({ dir, key });
    await writeN(reopened, 2);
    const v = await reopened.verify();
    expect(v).toMatchObject({ ok: true, records: 5, problems: [] });
  });

  it("detects an edited record and names it", async () => {
    const log = new AuditLog({ dir, key });
    await writeN(log, 4);
    const ls = lines();
    ls[1] = (ls[1] ?? "").replace('"hits":1', '"hits":99');
    save(ls);
    const v = await log.verify();
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([expect.objectContaining({ kind: "edited", seq: 2, line: 2 })]);
  });

  it("detects a deleted record", async () => {
    const log = new AuditLog({ dir, key });
    await writeN(log, 4);
    save(lines().filter((_, i) => i !== 2));
    expect((await log.verify()).problems).toEqual([expect.objectContaining({ kind: "deleted", seq: 3 })]);
  });

  it("detects an inserted (forged) record", async () => {
    const log = new AuditLog({ dir, key });
    await writeN(log, 3);
    const ls = lines();
    const forged = { ...JSON.parse(ls[0] ?? "{}"), seq: 7, action: "export" };
    ls.splice(1, 0, JSON.stringify(forged));
    save(ls);
    expect((await log.verify()).problems).toEqual([expect.objectContaining({ kind: "inserted", line: 2 })]);
  });

  it("detects reordered records", async () => {
    const log = new AuditLog({ dir, key });
    await writeN(log, 4);
    const ls = lines();
    save([ls[0] ?? "", ls[2] ?? "", ls[1] ?? "", ls[3] ?? ""]);
    const kinds = (await log.verify()).problems.map((p) => p.kind);
    expect(kinds).toContain("reordered");
  });

  it("keeps a gapless chain under many concurrent writers", async () => {
    const log = new AuditLog({ dir, key });
    await Promise.all(Array.from({ length: 200 }, (_, i) => log.record({ action: "scrub", outcome: "success", resource: `d${i}` })));
    const v = await log.verify();
    expect(v).toMatchObject({ ok: true, records: 200 });
    expect(lines().map((l) => JSON.parse(l).seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it("rotates files and keeps the chain across them", async () => {
    const log = new AuditLog({ dir, key, maxFileBytes: 1500 });
    await writeN(log, 30);
    const files = fs.readdirSync(dir);
    expect(files.length).toBeGreaterThan(2);
    expect(await log.verify()).toMatchObject({ ok: true, records: 30 });
    const rotated = files.filter((f) => f !== "audit.jsonl").sort();
    fs.rmSync(path.join(dir, rotated[1] ?? ""));
    expect((await log.verify()).problems[0]?.kind).toBe("deleted");
  });

  it("refuses personal data and long text in records", async () => {
    const log = new AuditLog({ dir, key });
    await expect(log.record({ action: "search", outcome: "success", details: { query: "jane@example.com" } })).rejects.toThrow(/no personal data/);
    await expect(log.record({ action: "search", outcome: "success", resource: "x".repeat(500) })).rejects.toThrow(/at most 128/);
    expect(fs.existsSync(file())).toBe(false);
  });

  it("rejects a log signed with another key", async () => {
    await writeN(new AuditLog({ dir, key }), 2);
    const v = await new AuditLog({ dir, key: Buffer.alloc(32, 4) }).verify();
    expect(v.ok).toBe(false);
  });
});
