// Several writers on one audit log: instances in this process and real child processes.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { AuditLog } from "../src/audit/audit-log";

const key = Buffer.alloc(32, 3);
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-audit-procs-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function writer(n: number, actor: string, ownPidNamespace = false): Promise<number | null> {
  const command = [process.execPath, "--import", "tsx", path.join(import.meta.dirname, "fixtures", "audit-writer.ts"), dir, String(n), actor];
  // In its own pid namespace (a container, or another machine sharing the folder) with a pid that is
  // nobody's here: a lock judged by pid alone would look abandoned to every other writer.
  const [file = "", ...args] = ownPidNamespace ? ["unshare", "-p", "-f", "--mount-proc", "--kill-child", "sh", "-c", 'echo 777776 > /proc/sys/kernel/ns_last_pid; "$0" "$@"', ...command] : command;
  const child = spawn(file, args, { cwd: path.resolve(import.meta.dirname, ".."), stdio: ["ignore", "ignore", "inherit"] });
  return new Promise((resolve) => child.on("exit", (code) => resolve(code)));
}

/** A new pid namespace needs root or user namespaces (as here and in CI); elsewhere that test is skipped. */
const itIfUnshare = spawnSync("unshare", ["-p", "-f", "--mount-proc", "true"], { stdio: "ignore" }).status === 0 ? it : it.skip;

describe("AuditLog shared by several writers", () => {
  it("two instances appending at the same time keep one gapless chain", async () => {
    const a = new AuditLog({ dir, key });
    const b = new AuditLog({ dir, key });
    await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).record({ action: "search", outcome: "success", actor: i % 2 ? "a" : "b" })));
    expect(await new AuditLog({ dir, key }).verify()).toMatchObject({ ok: true, records: 60, problems: [] });
  });

  it("three processes and this one, with rotation, keep one verifiable chain", async () => {
    const here = new AuditLog({ dir, key, maxFileBytes: 16_384 });
    const children = [writer(150, "one"), writer(150, "two"), writer(150, "three")];
    await new Promise((r) => setTimeout(r, 2500)); // the children have loaded and wait for the signal
    fs.writeFileSync(path.join(dir, "go"), "");
    for (let i = 0; i < 150; i++) await here.record({ action: "search", outcome: "success", actor: "parent" });
    expect(await Promise.all(children)).toEqual([0, 0, 0]);
    const v = await new AuditLog({ dir, key }).verify();
    expect(v).toMatchObject({ ok: true, records: 600, problems: [] });
    expect(fs.readdirSync(dir).filter((f) => /^audit-\d+\.jsonl$/.test(f)).length).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(dir, "audit.lock"))).toBe(false);
  }, 60_000);

  itIfUnshare("a writer in another pid namespace and one here keep one chain (the lock names its holder's host and namespace; skipped where unshare is not permitted)", async () => {
    const children = [writer(150, "ns", true), writer(150, "here")];
    await new Promise((r) => setTimeout(r, 2500)); // both have loaded and wait for the signal
    fs.writeFileSync(path.join(dir, "go"), "");
    expect(await Promise.all(children)).toEqual([0, 0]);
    const v = await new AuditLog({ dir, key }).verify();
    expect({ ok: v.ok, records: v.records, problems: v.problems.slice(0, 3) }).toEqual({ ok: true, records: 300, problems: [] });
  }, 120_000);

  it("takes over a lock left by a process that died", async () => {
    fs.writeFileSync(path.join(dir, "audit.lock"), "999999999");
    const log = new AuditLog({ dir, key });
    await log.record({ action: "search", outcome: "success", actor: "u1" });
    expect(await log.verify()).toMatchObject({ ok: true, records: 1 });
  });
});
