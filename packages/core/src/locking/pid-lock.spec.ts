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
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toMatchObject({ pid: process.pid, host: os.hostname() });
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
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toMatchObject({ pid: process.pid });
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

  describe("a holder on another host or in another pid namespace (its pid means nothing here)", () => {
    const scope = (): string | undefined => {
      try {
        return `${fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim()}/${fs.readlinkSync("/proc/self/ns/pid")}`;
      } catch {
        return undefined;
      }
    };
    /** A lock as a process of another machine writes it, its pid one that is alive here (our own parent's). */
    function foreignLock(ageMs: number): void {
      fs.writeFileSync(file, JSON.stringify({ pid: process.ppid, host: "worker-7", scope: "00000000-1111-2222-3333-444444444444/pid:[4026531836]", start: "12345" }));
      const at = new Date(Date.now() - ageMs);
      fs.utimesSync(file, at, at);
    }

    it("is never taken over while its lease runs, and the refusal names its host", async () => {
      foreignLock(1_000);
      expect(pidLockHolder(file)).toBe(process.ppid);
      await expect(acquirePidLock(file, { waitMs: 60, pollMs: 5, what: "the audit log" })).rejects.toMatchObject({
        code: "LOCK_BUSY",
        message: `the audit log is in use: process ${process.ppid} on host 'worker-7' has held it for more than 1 s`,
        hint: expect.stringContaining("lease"),
      });
    });

    it("is taken over once its lease expired", () => {
      foreignLock(61_000);
      expect(pidLockHolder(file)).toBeUndefined();
      acquirePidLockSync(file).release();
      foreignLock(5_000);
      expect(() => acquirePidLockSync(file, { leaseMs: 10_000 })).toThrow(/worker-7/);
      acquirePidLockSync(file, { leaseMs: 4_000 }).release();
    });

    it("a dead local pid in another scope is not judged dead by pid: the lease decides", () => {
      // a pid that is dead here may be alive in the holder's namespace
      fs.writeFileSync(file, JSON.stringify({ pid: deadPid(), host: os.hostname(), scope: "00000000-1111-2222-3333-444444444444/pid:[4026531836]" }));
      expect(() => acquirePidLockSync(file)).toThrow(/another pid namespace|another host|on host/);
    });

    it("a holder renews its lease while it holds the lock", async () => {
      const lock = await acquirePidLock(file, { leaseMs: 200 });
      const old = new Date(Date.now() - 10_000);
      fs.utimesSync(file, old, old);
      await new Promise((r) => setTimeout(r, 150));
      expect(Date.now() - fs.statSync(file).mtimeMs).toBeLessThan(2_000);
      lock.release();
    });

    it("a local holder is still judged by pid and start time: a reused pid does not keep a dead holder's lock", () => {
      const here = scope();
      if (here === undefined) return; // no /proc: start times unknown
      fs.writeFileSync(file, JSON.stringify({ pid: process.ppid, host: os.hostname(), scope: here, start: "1" })); // the pid is alive, but not the process that took the lock
      acquirePidLockSync(file).release();
    });
  });

  it("fails with LOCK_FAILED, naming the file, when the folder does not exist", () => {
    const missing = path.join(dir, "no-such-folder", "x.lock");
    expect(() => acquirePidLockSync(missing)).toThrow(expect.objectContaining({ code: "LOCK_FAILED", file: missing }));
  });
});
