import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { acquirePidLock, acquirePidLockSync, pidLockHolder } from "@bear/core";

const contender = path.join(import.meta.dirname, "fixtures/lock-contender.ts");
const repoRoot = path.resolve(import.meta.dirname, "../../..");

function run(args: string[]): { done: Promise<number>; child: ReturnType<typeof spawn>; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", contender, ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
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
    expect(fs.readFileSync(lockFile, "utf8")).toBe(String(process.pid));
    lock.release();
  }, 60_000);
});
