import { spawnSync } from "node:child_process";
import { describe, expect, it } from "@jest/globals";
import { addressSpaceLimitedCommand, addressSpaceLimiter } from "./address-space-limit";

describe("addressSpaceLimitedCommand", () => {
  it("runs a command under RLIMIT_AS where prlimit works (Linux), and unchanged elsewhere", () => {
    const bytes = 3 * 1024 * 1024 * 1024;
    const { argv, limited } = addressSpaceLimitedCommand([process.execPath, "-e", "process.stdout.write(require('fs').readFileSync('/proc/self/limits', 'utf8'))"], bytes);
    expect(limited).toBe(addressSpaceLimiter() !== undefined);
    if (process.platform !== "linux") return;
    const [command, ...args] = argv;
    const run = spawnSync(command, args, { encoding: "utf8", env: {} });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(limited ? new RegExp(`Max address space\\s+${bytes}\\s`) : /Max address space\s+unlimited/);
  });

  it("a child over its cap cannot allocate past it", () => {
    if (addressSpaceLimiter() === undefined) return;
    const { argv } = addressSpaceLimitedCommand([process.execPath, "-e", "try { new ArrayBuffer(4 * 1024 ** 3); process.exit(0) } catch { process.exit(3) }"], 3 * 1024 ** 3);
    const [command, ...args] = argv;
    expect(spawnSync(command, args, { env: {} }).status).toBe(3);
  });
});
