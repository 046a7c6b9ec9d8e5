import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { LockError, acquirePidLock, acquirePidLockSync, pidLockHolder } from "./pid-lock";

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describe("pid locks", () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-pid-lock-"));
    file = path.join(dir, "thing.lock");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("holds the owner's pid, refuses a second holder in the same process, and frees the file on release", () => {
    const lock = acquirePidLockSync(file, { what: "the thing" });
    expect(fs.readFileSync(file, "utf8")).toBe(String(process.pid));
    expect(pidLockHolder(file)).toBe(process.pid);
    let refusal: unknown;
    try {
      acquirePidLockSync(file, { what: "the thing" });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(LockError);
    expect((refusal as LockError).code).toBe("LOCK_BUSY");
    expect((refusal as LockError).message).toBe("the thing is in use: this process has held it");
    lock.release();
    lock.release();
    expect(fs.existsSync(file)).toBe(false);
    expect(pidLockHolder(file)).toBeUndefined();
    acquirePidLockSync(file).release();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("takes over at once a lock whose holder died", async () => {
    const pid = deadPid();
    fs.writeFileSync(file, String(pid));
    expect(pidLockHolder(file)).toBeUndefined();
    const lock = await acquirePidLock(file);
    expect(fs.readFileSync(file, "utf8")).toBe(String(process.pid));
    lock.release();
  });

  it("takes over a lock left with our own pid by an earlier process (pids are reused)", () => {
    fs.writeFileSync(file, String(process.pid));
    const lock = acquirePidLockSync(file);
    expect(fs.existsSync(file)).toBe(true);
    lock.release();
    expect(fs.existsSync(file)).toBe(false);
  });

  it("treats an unreadable lock as being created while it is fresh, and as abandoned once old", () => {
    fs.writeFileSync(file, "");
    expect(() => acquirePidLockSync(file)).toThrow(/in use: another process has held it/);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    acquirePidLockSync(file).release();
  });

  it("waits for the holder to release, and gives up with LOCK_BUSY after waitMs", async () => {
    const first = acquirePidLockSync(file);
    setTimeout(() => first.release(), 60);
    const second = await acquirePidLock(file, { waitMs: 5_000, pollMs: 5 });
    await expect(acquirePidLock(file, { waitMs: 80, what: "the index" })).rejects.toThrow("the index is in use: this process has held it for more than 1 s");
    second.release();
  });

  it("never removes a lock that another process took over meanwhile", () => {
    const lock = acquirePidLockSync(file);
    // Another process judged ours abandoned and replaced it (a new file, a new inode).
    fs.rmSync(file);
    fs.writeFileSync(file, "4242");
    lock.release();
    expect(fs.readFileSync(file, "utf8")).toBe("4242");
  });

  it("stops waiting when aborted", async () => {
    const held = acquirePidLockSync(file);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("stop")), 30);
    await expect(acquirePidLock(file, { waitMs: 10_000, signal: controller.signal })).rejects.toThrow("stop");
    held.release();
  });

  it("fails with LOCK_FAILED, naming the file, when the folder does not exist", () => {
    const missing = path.join(dir, "no-such-folder", "x.lock");
    expect(() => acquirePidLockSync(missing)).toThrow(expect.objectContaining({ code: "LOCK_FAILED", file: missing }));
  });
});
