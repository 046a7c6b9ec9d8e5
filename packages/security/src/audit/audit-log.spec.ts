import { createHash, createHmac } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
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
/** A record as the code before head checkpoints wrote it (no `v`), chained to its rewritten predecessor. */
let legacyPrev = "0".repeat(64);
function legacy(r: Record<string, unknown>): string {
  const { v: _v, hash: _h, mac: _m, ...rest } = r;
  const body = { ...rest, prev: r["seq"] === 1 ? "0".repeat(64) : legacyPrev };
  const canonical = (x: unknown): string =>
    x === null || typeof x !== "object"
      ? JSON.stringify(x)
      : `{${Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, val]) => `${JSON.stringify(k)}:${canonical(val)}`).join(",")}}`;
  const hash = createHash("sha256").update(canonical(body)).digest("hex");
  legacyPrev = hash;
  return JSON.stringify({ ...body, hash, mac: createHmac("sha256", key).update(hash).digest("hex") });
}

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

  it("reports a swap of two records as reordered only, not as a deletion", async () => {
    const log = new AuditLog({ dir, key });
    await writeN(log, 5);
    const ls = lines();
    save([ls[0] ?? "", ls[1] ?? "", ls[3] ?? "", ls[2] ?? "", ls[4] ?? ""]);
    const v = await log.verify();
    expect(v.ok).toBe(false);
    expect(v.problems.map((p) => p.kind)).toEqual(["reordered"]);
  });

  it("reports a replayed (copied) authentic record as inserted", async () => {
    const log = new AuditLog({ dir, key });
    await writeN(log, 3);
    const ls = lines();
    save([ls[0] ?? "", ls[1] ?? "", ls[2] ?? "", ls[1] ?? ""]);
    expect((await log.verify()).problems).toEqual([expect.objectContaining({ kind: "inserted", line: 4, seq: 2 })]);
  });

  it("reports a forged record that reuses an existing number as inserted, not edited", async () => {
    const log = new AuditLog({ dir, key });
    await writeN(log, 3);
    const ls = lines();
    const forged = { ...JSON.parse(ls[1] ?? "{}"), action: "export" };
    ls.splice(2, 0, JSON.stringify(forged));
    save(ls);
    expect((await log.verify()).problems).toEqual([expect.objectContaining({ kind: "inserted", line: 3, seq: 2 })]);
  });

  describe("signed head checkpoint (a cut tail)", () => {
    const head = (): string => path.join(dir, "audit.head");

    it("an untouched log verifies with its checkpoint naming the last record", async () => {
      const log = new AuditLog({ dir, key });
      await writeN(log, 4);
      const v = await log.verify();
      expect(v).toMatchObject({ ok: true, truncated: false, checkpoint: { seq: 4, hash: v.head } });
    });

    it("a link planted where the checkpoint's temporary file used to be is neither followed nor moved into place", async () => {
      const outside = fs.mkdtempSync(path.join(os.tmpdir(), "bear-audit-victim-"));
      const victim = path.join(outside, "victim.txt");
      fs.writeFileSync(victim, "keep me");
      try {
        fs.symlinkSync(victim, path.join(dir, "audit.head.tmp"));
        const log = new AuditLog({ dir, key });
        await writeN(log, 2);
        expect(fs.readFileSync(victim, "utf8")).toBe("keep me");
        expect(fs.lstatSync(head()).isSymbolicLink()).toBe(false);
        expect(await log.verify()).toMatchObject({ ok: true, checkpoint: { seq: 2 } });
      } finally {
        fs.rmSync(outside, { recursive: true, force: true });
      }
    });

    it("cutting the tail (11 → 6 records) is reported as truncated", async () => {
      const log = new AuditLog({ dir, key });
      await writeN(log, 11);
      save(lines().slice(0, 6));
      const v = await new AuditLog({ dir, key }).verify();
      expect(v).toMatchObject({ ok: false, truncated: true, records: 6 });
      expect(v.problems).toEqual([expect.objectContaining({ kind: "truncated", seq: 11, message: expect.stringMatching(/records 7\.\.11 were cut/) })]);
    });

    it("cutting the tail and deleting the checkpoint is reported", async () => {
      await writeN(new AuditLog({ dir, key }), 11);
      save(lines().slice(0, 6));
      fs.rmSync(head());
      const v = await new AuditLog({ dir, key }).verify();
      expect(v).toMatchObject({ ok: false, truncated: true });
      expect(v.problems[0]?.message).toMatch(/missing/);
    });

    it("cutting the tail and rewriting the checkpoint to match is reported (it fails its signature)", async () => {
      await writeN(new AuditLog({ dir, key }), 11);
      const kept = lines().slice(0, 6);
      save(kept);
      const last = JSON.parse(kept[5] ?? "{}") as { seq: number; hash: string; ts: string };
      fs.writeFileSync(head(), JSON.stringify({ seq: last.seq, hash: last.hash, ts: last.ts, mac: "ab".repeat(32) }));
      const v = await new AuditLog({ dir, key }).verify();
      expect(v).toMatchObject({ ok: false, truncated: true });
      expect(v.problems[0]?.message).toMatch(/fails its signature/);
    });

    it("appending after a cut does not hide it: the chain continues after the signed head, so the gap and a tamper record stay", async () => {
      await writeN(new AuditLog({ dir, key }), 11);
      save(lines().slice(0, 6));
      const log = new AuditLog({ dir, key });
      await writeN(log, 2);
      const v = await log.verify();
      expect(v.truncated).toBe(true);
      expect(v.problems.map((p) => p.kind).sort()).toEqual(["deleted", "truncated"]);
      expect(v.checkpoint?.seq).toBe(14); // 11, then the tamper record, then two
    });

    it("appending after a cut and a deleted checkpoint does not hide it either", async () => {
      await writeN(new AuditLog({ dir, key }), 11);
      save(lines().slice(0, 6));
      fs.rmSync(head());
      const log = new AuditLog({ dir, key });
      await writeN(log, 1);
      const v = await log.verify();
      expect(v).toMatchObject({ ok: false, truncated: true });
      expect(v.problems).toEqual([expect.objectContaining({ kind: "truncated", seq: 7, line: 7 })]);
    });

    it("a log written before checkpoints existed verifies, and gets its head on the next append", async () => {
      await writeN(new AuditLog({ dir, key }), 3);
      fs.rmSync(head());
      // an older log: no `v` on its records (re-signed here as the old code wrote them)
      save(lines().map((l) => legacy(JSON.parse(l) as Record<string, unknown>)));
      const log = new AuditLog({ dir, key });
      expect(await log.verify()).toMatchObject({ ok: true, truncated: false, checkpoint: undefined });
      await writeN(log, 1);
      expect(await log.verify()).toMatchObject({ ok: true, records: 4, checkpoint: { seq: 4 } });
    });

    it("a crash between the append and the head write (head one record behind) is no tamper", async () => {
      const log = new AuditLog({ dir, key });
      await writeN(log, 3);
      const before = fs.readFileSync(head());
      await writeN(log, 1);
      fs.writeFileSync(head(), before);
      expect(await new AuditLog({ dir, key }).verify()).toMatchObject({ ok: true, truncated: false });
    });
  });

  it("detects an edit inside a rotated file and keeps chaining after a restart", async () => {
    const log = new AuditLog({ dir, key, maxFileBytes: 1500 });
    await writeN(log, 20);
    await writeN(new AuditLog({ dir, key, maxFileBytes: 1500 }), 3);
    expect(await log.verify()).toMatchObject({ ok: true, records: 23 });
    const rotated = fs.readdirSync(dir).filter((f) => f !== "audit.jsonl").sort();
    const first = path.join(dir, rotated[0] ?? "");
    const ls = fs.readFileSync(first, "utf8").trim().split("\n");
    ls[1] = (ls[1] ?? "").replace('"actor":"u1"', '"actor":"u2"');
    fs.writeFileSync(first, `${ls.join("\n")}\n`);
    expect((await log.verify()).problems).toEqual([expect.objectContaining({ kind: "edited", file: rotated[0], line: 2, seq: 2 })]);
  });

  it("property: one deletion, swap, replay or forged insertion anywhere is reported as exactly that", async () => {
    const log = new AuditLog({ dir, key });
    await writeN(log, 8);
    const pristine = lines();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("deleted", "reordered", "inserted-replay", "inserted-forged", "edited"), fc.nat(6), async (kind, at) => {
        const ls = [...pristine];
        if (kind === "deleted") ls.splice(at, 1);
        if (kind === "reordered") [ls[at], ls[at + 1]] = [ls[at + 1] ?? "", ls[at] ?? ""];
        if (kind === "inserted-replay") ls.splice(at + 2, 0, ls[at] ?? "");
        if (kind === "inserted-forged") ls.splice(at + 1, 0, JSON.stringify({ ...JSON.parse(ls[at] ?? "{}"), action: "export" }));
        if (kind === "edited") ls[at] = (ls[at] ?? "").replace('"actor":"u1"', '"actor":"eve"');
        save(ls);
        const v = await log.verify();
        expect(v.problems.map((p) => p.kind)).toEqual([kind.replace(/-.*/, "")]);
      }),
      { numRuns: 40 },
    );
  });

  describe("a torn last line (an append cut mid-line)", () => {
    /**
     * Writes n records, then record n+1 cut to its first `keep` bytes, as a writer cut off mid-line
     * leaves it: the signed head still names record n (`acknowledged`: the head had moved to n+1, so
     * the cut removes a record the log had acknowledged).
     */
    async function torn(n: number, keep: (line: string) => number, acknowledged = false): Promise<string> {
      const log = new AuditLog({ dir, key });
      await writeN(log, n);
      const head = fs.readFileSync(path.join(dir, "audit.head"));
      await log.record({ action: "search", outcome: "success", actor: "u1", resource: "doc-last" });
      if (!acknowledged) fs.writeFileSync(path.join(dir, "audit.head"), head);
      const ls = lines();
      const last = ls.pop() ?? "";
      fs.writeFileSync(file(), `${ls.join("\n")}\n${last.slice(0, keep(last))}`);
      return last;
    }

    it("moves an unacknowledged torn append aside, notes it in the chain and keeps appending", async () => {
      const cutLine = await torn(3, (l) => Math.floor(l.length / 2));
      const log = new AuditLog({ dir, key });
      await log.record({ action: "search", outcome: "success", actor: "u1" });
      const v = await log.verify();
      expect(v).toMatchObject({ ok: true, records: 5, problems: [], truncated: false });
      expect(v.recovered).toEqual([expect.objectContaining({ seq: 4, line: 4 })]);
      const q = v.recovered[0]!.quarantine;
      expect(fs.readFileSync(path.join(dir, q), "utf8")).toBe(cutLine.slice(0, Math.floor(cutLine.length / 2)));
      expect(JSON.parse(lines()[3] ?? "")).toMatchObject({ action: "audit.recovered", details: { kind: "torn-append", after: 3, quarantine: q } });
      expect(fs.readFileSync(file(), "utf8").endsWith("\n")).toBe(true);
    });

    it("quarantines the torn bytes as they were, even when the cut splits a multi-byte character", async () => {
      const log = new AuditLog({ dir, key });
      await writeN(log, 2);
      const head = fs.readFileSync(path.join(dir, "audit.head"));
      await log.record({ action: "search", outcome: "success", actor: "u1", details: { note: "café-日本" } });
      fs.writeFileSync(path.join(dir, "audit.head"), head);
      const bytes = fs.readFileSync(file());
      const lastStart = bytes.subarray(0, bytes.length - 1).lastIndexOf(0x0a) + 1;
      const cutAt = bytes.indexOf(Buffer.from("日", "utf8"), lastStart) + 1; // inside the three bytes of 日
      fs.writeFileSync(file(), bytes.subarray(0, cutAt));
      await new AuditLog({ dir, key }).record({ action: "search", outcome: "success", actor: "u1" });
      const v = await new AuditLog({ dir, key }).verify();
      expect(v).toMatchObject({ ok: true, records: 4 });
      expect(fs.readFileSync(path.join(dir, v.recovered[0]?.quarantine ?? "")).equals(bytes.subarray(lastStart, cutAt))).toBe(true);
    });

    it("names a torn line as such before the next append", async () => {
      await torn(2, () => 10);
      const v = await new AuditLog({ dir, key }).verify();
      expect(v.problems).toEqual([expect.objectContaining({ kind: "malformed", line: 3, message: expect.stringContaining("torn append") })]);
    });

    it("keeps a whole record that only lost its newline", async () => {
      await torn(2, (l) => l.length);
      const log = new AuditLog({ dir, key });
      await log.record({ action: "search", outcome: "success", actor: "u1" });
      const v = await log.verify();
      expect(v).toMatchObject({ ok: true, records: 4, problems: [], recovered: [] });
      expect(fs.readdirSync(dir).filter((n) => n.endsWith(".part"))).toEqual([]);
    });

    it("still reports an acknowledged record cut into a torn line as a cut tail", async () => {
      // the head names record 3; cutting its last bytes must not pass for a torn append
      await torn(2, (l) => l.length - 5, true);
      const log = new AuditLog({ dir, key });
      await log.record({ action: "search", outcome: "success", actor: "u1" });
      const v = await log.verify();
      expect(v.ok).toBe(false);
      expect(v.truncated).toBe(true);
      expect(v.problems.map((p) => p.kind)).toEqual(expect.arrayContaining(["deleted", "truncated"]));
    });
  });

  describe("cost of verify() on a damaged log (rev11 #9: it was quadratic in the damage)", () => {
    const canonical = (x: unknown): string =>
      x === null || typeof x !== "object"
        ? JSON.stringify(x)
        : `{${Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, val]) => `${JSON.stringify(k)}:${canonical(val)}`).join(",")}}`;
    /** n records signed as the log signs them (written directly: appending 48,000 through the log takes minutes). */
    function signedLines(n: number): string[] {
      const out: string[] = [];
      let prev = "0".repeat(64);
      for (let seq = 1; seq <= n; seq++) {
        const body = { v: 2, seq, ts: "2026-01-01T00:00:00.000Z", prev, action: "search", outcome: "success", actor: "u1", details: { hits: seq % 7 } };
        const hash = createHash("sha256").update(canonical(body)).digest("hex");
        out.push(JSON.stringify({ ...body, hash, mac: createHmac("sha256", key).update(hash).digest("hex") }));
        prev = hash;
      }
      return out;
    }
    const cpuMs = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
      const start = process.cpuUsage();
      const result = await fn();
      const used = process.cpuUsage(start);
      return [result, (used.user + used.system) / 1000];
    };

    it("48,000 records with every other one deleted verify in well under 3 s of CPU (was ~12 s, x6 per doubling)", async () => {
      save(signedLines(48_000).filter((_, i) => i % 2 === 0));
      const [v, ms] = await cpuMs(() => new AuditLog({ dir, key }).verify());
      expect(v.problems.filter((p) => p.kind === "deleted")).toHaveLength(23_999); // 2, 4, …, 47998 (48000 is the cut tail, no head file)
      expect(ms).toBeLessThan(3_000);
    }, 120_000);

    it("as many edited records cost as little", async () => {
      save(signedLines(20_000).map((l, i) => (i % 2 ? l.replace('"actor":"u1"', '"actor":"u2"') : l)));
      const [v, ms] = await cpuMs(() => new AuditLog({ dir, key }).verify());
      expect(v.problems.filter((p) => p.kind === "edited")).toHaveLength(10_000);
      expect(ms).toBeLessThan(3_000);
    }, 120_000);

    it("a forged record claiming a huge sequence number does not make verify() count up to it", async () => {
      const ls = signedLines(10);
      save([...ls, JSON.stringify({ ...JSON.parse(ls[9] ?? "{}"), seq: 9e15 })]);
      const [v, ms] = await cpuMs(() => new AuditLog({ dir, key }).verify());
      expect(v.problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "deleted", seq: 11 }), expect.objectContaining({ kind: "edited", seq: 9e15 })]));
      expect(ms).toBeLessThan(3_000);
    }, 30_000);
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
