import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import fc from "fast-check";
import { writeFileAtomic, writeFileAtomicSync } from "./write-file-atomic";

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-atomic-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("writeFileAtomicSync", () => {
  it("writes a new file with mode 0600 by default and leaves nothing else in the folder", () => {
    const file = path.join(dir, "epoch");
    writeFileAtomicSync(file, "abc");
    expect(fs.readFileSync(file, "utf8")).toBe("abc");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(["epoch"]);
  });

  it("sets the mode it is given exactly, whatever the umask", () => {
    const file = path.join(dir, "shared");
    writeFileAtomicSync(file, "x", { mode: 0o664 });
    expect(fs.statSync(file).mode & 0o777).toBe(0o664);
    writeFileAtomicSync(file, "y", { mode: 0o640, syncFolder: false });
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
  });

  it("replaces an existing file by a new inode (a reader holding the old one still reads it whole)", () => {
    const file = path.join(dir, "counters.json");
    fs.writeFileSync(file, "old");
    const reader = fs.openSync(file, "r");
    try {
      writeFileAtomicSync(file, "new and longer");
      expect(fs.readFileSync(reader, "utf8")).toBe("old");
      expect(fs.readFileSync(file, "utf8")).toBe("new and longer");
    } finally {
      fs.closeSync(reader);
    }
  });

  it("leaves no temporary file and the target untouched when the rename fails (target is a folder)", () => {
    const target = path.join(dir, "taken");
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, "inside"), "kept");
    expect(() => writeFileAtomicSync(target, "data")).toThrow(expect.objectContaining({ code: expect.stringMatching(/^(EISDIR|ENOTEMPTY|EEXIST)$/) }));
    expect(fs.readdirSync(dir)).toEqual(["taken"]);
    expect(fs.readFileSync(path.join(target, "inside"), "utf8")).toBe("kept");
  });

  it("leaves no temporary file when the data cannot be written after the temporary file was made", () => {
    const file = path.join(dir, "a");
    fs.writeFileSync(file, "old");
    expect(() => writeFileAtomicSync(file, 42 as unknown as string)).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARG_TYPE" }));
    expect(fs.readFileSync(file, "utf8")).toBe("old");
    expect(fs.readdirSync(dir)).toEqual(["a"]);
  });

  it("fails plainly when the folder does not exist, making nothing", () => {
    expect(() => writeFileAtomicSync(path.join(dir, "missing", "f"), "x")).toThrow(expect.objectContaining({ code: "ENOENT" }));
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("round-trips any content, text or bytes, and each write replaces the last whole", () => {
    const file = path.join(dir, "f");
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), fc.uint8Array({ maxLength: 5000 })), { minLength: 1, maxLength: 4 }), (writes) => {
        for (const data of writes) writeFileAtomicSync(file, data, { syncFolder: false });
        const last = writes[writes.length - 1]!;
        const expected = typeof last === "string" ? Buffer.from(last, "utf8") : Buffer.from(last);
        expect(fs.readFileSync(file).equals(expected)).toBe(true);
        expect(fs.readdirSync(dir)).toEqual(["f"]);
      }),
      { numRuns: 200 },
    );
  });

  it("writes a file whose name is up to 255 bytes long (the temporary name is cut, not the file's)", () => {
    // The temporary name adds 21 bytes: before, any name over 234 bytes failed with ENAMETOOLONG.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 255 }), fc.constantFrom("a", "é", "€", "𝄞"), (bytes, unit) => {
        const width = Buffer.byteLength(unit);
        const name = "x".repeat(bytes % width) + unit.repeat(Math.floor(bytes / width));
        expect(Buffer.byteLength(name)).toBe(bytes);
        writeFileAtomicSync(path.join(dir, name), name, { syncFolder: false });
        expect(fs.readFileSync(path.join(dir, name), "utf8")).toBe(name);
        expect(fs.readdirSync(dir)).toEqual([name]);
        fs.rmSync(path.join(dir, name));
      }),
      { numRuns: 150, examples: [[255, "a"], [235, "a"], [255, "€"], [255, "𝄞"], [254, "𝄞"]] },
    );
  });

  it("reports the write's own error when the temporary file cannot be removed either", async () => {
    const target = path.join(dir, "taken");
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, "inside"), "kept");
    const refuse = (): never => {
      throw Object.assign(new Error("EACCES: cannot remove"), { code: "EACCES" });
    };
    const rmSync = jest.spyOn(fs, "rmSync").mockImplementation(refuse);
    const rm = jest.spyOn(fs.promises, "rm").mockImplementation(async () => refuse());
    try {
      // The rename fails for real (a non-empty folder is in the way); the clean-up's EACCES must not replace it.
      const renameError = expect.objectContaining({ code: expect.stringMatching(/^(EISDIR|ENOTEMPTY|EEXIST)$/) });
      expect(() => writeFileAtomicSync(target, "data")).toThrow(renameError);
      await expect(writeFileAtomic(target, "data")).rejects.toEqual(renameError);
      expect(rmSync).toHaveBeenCalledTimes(1);
      expect(rm).toHaveBeenCalledTimes(1);
    } finally {
      rmSync.mockRestore();
      rm.mockRestore();
    }
  });

  it("writes off the event loop with the same result: exact mode, nothing left beside it, old content kept on failure", async () => {
    const file = path.join(dir, "payload.json");
    await writeFileAtomic(file, "x".repeat(200_000), { mode: 0o640 });
    expect(fs.readFileSync(file, "utf8")).toHaveLength(200_000);
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    await expect(writeFileAtomic(file, 42 as unknown as string)).rejects.toMatchObject({ code: "ERR_INVALID_ARG_TYPE" });
    await writeFileAtomic(path.join(dir, "y".repeat(255)), "long name", { durable: false });
    expect(fs.readdirSync(dir).sort()).toEqual(["payload.json", "y".repeat(255)]);
    expect(fs.readFileSync(file, "utf8")).toHaveLength(200_000);
  });
});

describe("writeFileAtomic with replace: false (a new file, never over anything)", () => {
  const writers = {
    sync: async (file: string, data: string) => writeFileAtomicSync(file, data, { replace: false }),
    async: (file: string, data: string) => writeFileAtomic(file, data, { replace: false }),
  };

  for (const [kind, write] of Object.entries(writers)) {
    it(`${kind}: writes a new file whole with mode 0600 and leaves nothing beside it`, async () => {
      const file = path.join(dir, "copy.md");
      await write(file, "new");
      expect(fs.readFileSync(file, "utf8")).toBe("new");
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(file).nlink).toBe(1);
      expect(fs.readdirSync(dir)).toEqual(["copy.md"]);
    });

    it(`${kind}: refuses with EEXIST when a file has the name, which keeps its content`, async () => {
      const file = path.join(dir, "copy.md");
      fs.writeFileSync(file, "theirs");
      await expect(write(file, "mine")).rejects.toMatchObject({ code: "EEXIST" });
      expect(fs.readFileSync(file, "utf8")).toBe("theirs");
      expect(fs.readdirSync(dir)).toEqual(["copy.md"]);
    });

    it(`${kind}: refuses a dangling symlink in the name's place and never creates the file it points to`, async () => {
      const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "bear-atomic-target-"));
      try {
        const target = path.join(elsewhere, "authorized_keys");
        const file = path.join(dir, "brief.redacted.md");
        fs.symlinkSync(target, file);
        await expect(write(file, "planted")).rejects.toMatchObject({ code: "EEXIST" });
        expect(fs.existsSync(target)).toBe(false);
        expect(fs.lstatSync(file).isSymbolicLink()).toBe(true);
        expect(fs.readdirSync(dir)).toEqual(["brief.redacted.md"]);
      } finally {
        fs.rmSync(elsewhere, { recursive: true, force: true });
      }
    });
  }

  it("on a file system without hard links claims the name by exclusive create, then puts the whole file there", () => {
    const link = jest.spyOn(fs, "linkSync").mockImplementation(() => {
      throw Object.assign(new Error("operation not permitted"), { code: "EPERM" });
    });
    try {
      const file = path.join(dir, "copy.md");
      writeFileAtomicSync(file, "whole", { replace: false });
      expect(fs.readFileSync(file, "utf8")).toBe("whole");
      expect(fs.readdirSync(dir)).toEqual(["copy.md"]);
      const planted = path.join(dir, "planted.md");
      fs.symlinkSync(path.join(dir, "nowhere"), planted);
      expect(() => writeFileAtomicSync(planted, "x", { replace: false })).toThrow(expect.objectContaining({ code: "EEXIST" }));
      expect(fs.existsSync(path.join(dir, "nowhere"))).toBe(false);
      expect(fs.readdirSync(dir).sort()).toEqual(["copy.md", "planted.md"]);
    } finally {
      link.mockRestore();
    }
  });

  it("replace: true (the default) puts a new 0600 file in place of a symlink or a 0644 file, never writing through them", () => {
    const outside = path.join(dir, "outside.txt");
    fs.writeFileSync(outside, "untouched", { mode: 0o644 });
    const viaLink = path.join(dir, "out.md");
    fs.symlinkSync(outside, viaLink);
    writeFileAtomicSync(viaLink, "restored text");
    expect(fs.lstatSync(viaLink).isSymbolicLink()).toBe(false);
    expect(fs.readFileSync(outside, "utf8")).toBe("untouched");
    const open = path.join(dir, "open.md");
    fs.writeFileSync(open, "old");
    fs.chmodSync(open, 0o644);
    writeFileAtomicSync(open, "new");
    expect(fs.statSync(open).mode & 0o777).toBe(0o600);
  });
});
