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
