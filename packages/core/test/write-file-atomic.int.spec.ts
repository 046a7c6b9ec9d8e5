import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";

const writer = path.join(import.meta.dirname, "fixtures/atomic-writer.ts");
const repoRoot = path.resolve(import.meta.dirname, "../../..");
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-atomic-int-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the writer with the file-size limit at `limitKiB` KiB: a write past it fails with EFBIG. */
function writeUnderLimit(file: string, bytes: number, limitKiB: number): string {
  const command = `ulimit -f ${limitKiB}; exec "$0" --import tsx "$@"`;
  return execFileSync("bash", ["-c", command, process.execPath, writer, file, String(bytes)], { cwd: repoRoot, encoding: "utf8" });
}

describe("writeFileAtomicSync when the write itself fails (real file-size limit)", () => {
  it("removes the part-written temporary file and keeps the old content (EFBIG after 4 KiB)", () => {
    const file = path.join(dir, "cache.bin");
    fs.writeFileSync(file, "old content");
    expect(writeUnderLimit(file, 64 * 1024, 4)).toBe("EFBIG");
    expect(fs.readFileSync(file, "utf8")).toBe("old content");
    expect(fs.readdirSync(dir)).toEqual(["cache.bin"]);
  }, 60_000);

  it("writes the whole file when it fits (the same child, so the failure above is the limit's)", () => {
    const file = path.join(dir, "cache.bin");
    expect(writeUnderLimit(file, 2 * 1024, 4)).toBe("ok");
    expect(fs.statSync(file).size).toBe(2 * 1024);
    expect(fs.readdirSync(dir)).toEqual(["cache.bin"]);
  }, 60_000);

});

/**
 * Runs the writer with its folder at mode 0300 (write and search, no read), as a process without the capability
 * to override file modes (root's DAC override and read-search are dropped from the child's bounding set).
 */
function writeInUnreadableFolder(file: string, bytes: number): string {
  return runUnprivileged([process.execPath, "--import", "tsx", writer, file, String(bytes), "300"]);
}

/** Runs `argv` in a child that file modes bind (as root: without DAC override and read-search). */
function runUnprivileged(argv: readonly string[]): string {
  const drop = process.getuid?.() === 0 ? ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"] : [];
  const [command, ...args] = [...drop, ...argv] as [string, ...string[]];
  return execFileSync(command, args, { cwd: repoRoot, encoding: "utf8" });
}

describe("writeFileAtomicSync when the folder cannot be opened for its fsync (real permissions)", () => {
  it("reports the write as done (the rename happened): the folder's EACCES is not a failed write", () => {
    const file = path.join(dir, "grants.json");
    fs.writeFileSync(file, "old content");
    expect(writeInUnreadableFolder(file, 3 * 1024)).toBe("ok");
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(file, "utf8")).toBe("A".repeat(3 * 1024));
    expect(fs.readdirSync(dir)).toEqual(["grants.json"]);
  }, 60_000);

  it("is a real refusal: the same child cannot list the folder it writes in", () => {
    fs.chmodSync(dir, 0o300);
    try {
      const list = `try { require("fs").readdirSync(${JSON.stringify(dir)}); process.stdout.write("listed") } catch (e) { process.stdout.write(e.code) }`;
      expect(runUnprivileged([process.execPath, "-e", list])).toBe("EACCES");
    } finally {
      fs.chmodSync(dir, 0o700);
    }
  });
});

