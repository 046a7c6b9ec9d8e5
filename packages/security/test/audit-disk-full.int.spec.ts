// The audit log on a real full disk: a 512 KiB tmpfs (needs root to mount; skipped otherwise).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { AuditLog } from "../src/audit/audit-log";

const key = Buffer.alloc(32, 5);
const PAGE = 4096;
let mnt = "";
/** Mounting a tmpfs needs root (as here and in CI); elsewhere the test is skipped, and says so in its name. */
const root = process.getuid?.() === 0;
const itAsRoot = root ? it : it.skip;

beforeAll(() => {
  mnt = fs.mkdtempSync(path.join(os.tmpdir(), "bear-audit-full-"));
  if (root) execFileSync("mount", ["-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", mnt], { stdio: "pipe" });
});
afterAll(() => {
  if (root) execFileSync("umount", [mnt], { stdio: "pipe" });
  fs.rmSync(mnt, { recursive: true, force: true });
});

/** Fills the file system with `filler` until ENOSPC, then frees `pages` pages of it. */
function fill(filler: string, pages: number): void {
  const fd = fs.openSync(filler, "w");
  const chunk = Buffer.alloc(PAGE, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  }
  const size = fs.fstatSync(fd).size;
  fs.ftruncateSync(fd, Math.floor(size / PAGE) * PAGE - pages * PAGE);
  fs.closeSync(fd);
}

describe("AuditLog on a full disk", () => {
  itAsRoot("an append that hits ENOSPC mid-line leaves no torn line, and appends resume once space is freed (a 512 KiB tmpfs; skipped when not root)", async () => {
    const dir = path.join(mnt, "audit");
    const log = new AuditLog({ dir, key });
    const file = path.join(dir, "audit.jsonl");
    // grow the log until its last page has room for part of a record but not all of it
    for (let i = 0; i < 400; i++) {
      const room = PAGE - (fs.existsSync(file) ? fs.statSync(file).size % PAGE : 0);
      if (i > 3 && room > 40 && room < 160) break;
      await log.record({ action: "search", outcome: "success", actor: "u1", resource: `doc-${"x".repeat(i % 61)}` });
    }
    const before = fs.statSync(file).size;
    expect(PAGE - (before % PAGE)).toBeLessThan(160);
    fill(path.join(mnt, "filler"), 1); // one free page: the lock file takes it

    await expect(log.record({ action: "search", outcome: "success", actor: "u1", resource: "doc-while-full" })).rejects.toMatchObject({ code: "AUDIT_LOG_UNWRITABLE" });
    // the part of the line that fitted was cut back: the file ends where the last whole record ends
    expect(fs.statSync(file).size).toBe(before);
    expect(fs.readFileSync(file, "utf8").endsWith("\n")).toBe(true);

    fs.rmSync(path.join(mnt, "filler"));
    await log.record({ action: "search", outcome: "success", actor: "u1", resource: "doc-after" });
    const restarted = new AuditLog({ dir, key });
    await restarted.record({ action: "search", outcome: "success", actor: "u1", resource: "doc-after-restart" });
    const v = await restarted.verify();
    expect(v).toMatchObject({ ok: true, problems: [], recovered: [], truncated: false });
    await log.dispose();
    await restarted.dispose();
  });
});
