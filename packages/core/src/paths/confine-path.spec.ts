import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { PathOutsideWorkspaceError } from "../errors/core-errors";
import { confinePath, isPathInside } from "./confine-path";

let base: string;
let root: string;

beforeAll(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "bear-confine-")));
  root = path.join(base, "ws");
  fs.mkdirSync(path.join(root, "docs/sub"), { recursive: true });
  fs.writeFileSync(path.join(root, "docs/a.txt"), "a");
  fs.mkdirSync(path.join(base, "outside"));
  fs.writeFileSync(path.join(base, "outside/secret.txt"), "s");
  fs.symlinkSync(path.join(base, "outside"), path.join(root, "docs/escape"));
  fs.symlinkSync(path.join(root, "docs/sub"), path.join(root, "inner-link"));
  fs.symlinkSync("/etc/passwd", path.join(root, "passwd"));
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe("confinePath", () => {
  it("resolves relative paths inside the root", () => {
    expect(confinePath(root, "docs/a.txt")).toBe(path.join(root, "docs/a.txt"));
    expect(confinePath(root, "./docs/../docs/a.txt")).toBe(path.join(root, "docs/a.txt"));
    expect(confinePath(root, ".")).toBe(root);
  });

  it("accepts absolute paths that are inside the root", () => {
    expect(confinePath(root, path.join(root, "docs/a.txt"))).toBe(path.join(root, "docs/a.txt"));
  });

  it("allows a not-yet-existing file inside the root, so it can be created", () => {
    expect(confinePath(root, "docs/new/report.md")).toBe(path.join(root, "docs/new/report.md"));
  });

  it("follows symlinks that stay inside", () => {
    expect(confinePath(root, "inner-link")).toBe(path.join(root, "docs/sub"));
  });

  it.each([
    ["../outside/secret.txt", "climbs out"],
    ["docs/../../outside", "climbs out"],
    ["/etc/passwd", "absolute path elsewhere"],
    ["docs/escape/secret.txt", "symbolic link"],
    ["docs/escape/not-yet-there.txt", "symbolic link"],
    ["passwd", "symbolic link"],
    ["docs/a\0.txt", "NUL byte"],
    ["", "empty"],
  ])("refuses %j (%s)", (requested, reason) => {
    expect(() => confinePath(root, requested)).toThrow(PathOutsideWorkspaceError);
    expect(() => confinePath(root, requested)).toThrow(reason);
  });

  it("refuses a sibling whose name merely starts with the root's name", () => {
    fs.mkdirSync(path.join(base, "ws-evil"), { recursive: true });
    expect(isPathInside(root, path.join(base, "ws-evil/x"))).toBe(false);
  });

  it("never returns a path outside the root, whatever segments are combined", () => {
    const segment = fc.constantFrom("..", ".", "docs", "sub", "escape", "a.txt", "inner-link", "x", "", "passwd", "/");
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (segments) => {
        const requested = segments.join("/");
        try {
          const resolved = confinePath(root, requested);
          const real = fs.existsSync(resolved) ? fs.realpathSync(resolved) : resolved;
          const rel = path.relative(root, real);
          expect(rel.startsWith("..") || path.isAbsolute(rel)).toBe(false);
        } catch (error) {
          expect(error).toBeInstanceOf(PathOutsideWorkspaceError);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
