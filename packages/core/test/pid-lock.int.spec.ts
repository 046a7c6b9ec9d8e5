import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { acquirePidLock, acquirePidLockSync, pidLockHolder } from "@bear/core";

const contender = path.join(import.meta.dirname, "fixtures/lock-contender.ts");
const repoRoot = path.resolve(import.meta.dirname, "../../..");

/** A new pid namespace needs root or user namespaces (as here and in CI); elsewhere that test is skipped. */
const itIfUnshare = spawnSync("unshare", ["-p", "-f", "--mount-proc", "true"], { stdio: "ignore" }).status === 0 ? it : it.skip;

/** A contender process; `ownPidNamespace`: in a new pid namespace, as in a container or on another machine. */
function run(args: string[], ownPidNamespace = false): { done: Promise<number>; child: ReturnType<typeof spawn>; output: () => string } {
  const command = [process.execPath, "--import", "tsx", contender, ...args];
  const child = ownPidNamespace
    ? spawn("unshare", ["-p", "-f", "--mount-proc", "--kill-child", ...command], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] })
    : spawn(command[0]!, command.slice(1), { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const done = new Promise<number>((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  return { done, child, output: () => output };
}

describe("pid locks between real processes", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-pid-lock-int-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("excludes each other: concurrent read-modify-writes lose no update, starting from an abandoned lock", async () => {
    const lockFile = path.join(dir, "counter.lock");
    const counter = path.join(dir, "counter");
    fs.writeFileSync(counter, "0");
    fs.writeFileSync(lockFile, "999999999"); // a holder that does not exist
    const contenders = Array.from({ length: 4 }, () => run([lockFile, counter, "40", "release"]));
    const codes = await Promise.all(contenders.map((c) => c.done));
    expect({ codes, output: contenders.map((c) => c.output()).join("") }).toEqual({ codes: [0, 0, 0, 0], output: "" });
    expect(Number(fs.readFileSync(counter, "utf8"))).toBe(160);
    expect(fs.readdirSync(dir).sort()).toEqual(["counter"]);
  }, 60_000);

  it("refuses while a live process holds it, and takes over the moment that process is killed", async () => {
    const lockFile = path.join(dir, "held.lock");
    const counter = path.join(dir, "counter");
    fs.writeFileSync(counter, "0");
    const holder = run([lockFile, counter, "1", "hold-and-wait"]);
    while (!holder.output().includes("held")) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pidLockHolder(lockFile)).toBe(holder.child.pid);
    expect(() => acquirePidLockSync(lockFile, { what: "the counter" })).toThrow(`the counter is in use: process ${holder.child.pid} has held it`);
    holder.child.kill("SIGKILL");
    await holder.done;
    const lock = await acquirePidLock(lockFile, { waitMs: 1_000 });
    expect(JSON.parse(fs.readFileSync(lockFile, "utf8"))).toMatchObject({ pid: process.pid });
    lock.release();
  }, 60_000);

  itIfUnshare("a live holder in another pid namespace (a container, another machine) is never taken over: the refusal names its host (skipped where unshare is not permitted)", async () => {
    const lockFile = path.join(dir, "held.lock");
    const counter = path.join(dir, "counter");
    fs.writeFileSync(counter, "0");
    const holder = run([lockFile, counter, "1", "hold-and-wait"], true);
    while (!holder.output().includes("held")) await new Promise((resolve) => setTimeout(resolve, 20));
    const written = JSON.parse(fs.readFileSync(lockFile, "utf8")) as { pid: number; scope: string };
    expect(written.pid).not.toBe(holder.child.pid); // its pid inside its namespace
    await expect(acquirePidLock(lockFile, { waitMs: 300, pollMs: 5, what: "the counter" })).rejects.toMatchObject({
      code: "LOCK_BUSY",
      message: `the counter is in use: process ${written.pid} on host '${os.hostname()}' (another pid namespace) has held it for more than 1 s`,
    });
    expect(pidLockHolder(lockFile)).toBe(written.pid);
    holder.child.kill("SIGKILL");
    await holder.done;
    // gone, but nothing here can tell: its lock is taken over once the lease it no longer renews expires
    expect(() => acquirePidLockSync(lockFile)).toThrow(/in use/);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    acquirePidLockSync(lockFile, { leaseMs: 1_000 }).release();
  }, 60_000);
});
