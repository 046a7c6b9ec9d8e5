import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { planIngest } from "../src/index";

const base = fs.mkdtempSync(path.join(os.tmpdir(), "bear-plan-"));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe("planIngest", () => {
  it("counts the visible files and bytes under the inputs, and confines the ingest to the deepest folder holding them all", () => {
    const real = fs.realpathSync(base);
    fs.mkdirSync(path.join(real, "matter/a/deep"), { recursive: true });
    fs.mkdirSync(path.join(real, "matter/b"), { recursive: true });
    fs.writeFileSync(path.join(real, "matter/a/one.txt"), "12345");
    fs.writeFileSync(path.join(real, "matter/a/deep/two.md"), "123");
    fs.writeFileSync(path.join(real, "matter/a/.hidden"), "skipped");
    fs.writeFileSync(path.join(real, "matter/b/three.txt"), "1234567");
    const plan = planIngest(["a", "b/three.txt"], path.join(real, "matter"));
    expect(plan.inputs).toEqual([path.join(real, "matter/a"), path.join(real, "matter/b/three.txt")]);
    expect(plan).toMatchObject({ root: path.join(real, "matter"), files: 3, bytes: 15 });
    expect(plan.sizeOf(path.join(real, "matter/a/deep/two.md"))).toBe(3);
    expect(plan.sizeOf(path.join(real, "matter/missing.txt"))).toBe(0);
    // one file: its own folder; a missing input still counts as one file to report on
    expect(planIngest([path.join(real, "matter/a/one.txt")])).toMatchObject({ root: path.join(real, "matter/a"), files: 1, bytes: 5 });
    expect(planIngest([path.join(real, "nope.txt")])).toMatchObject({ root: real, files: 1, bytes: 0 });
  });

  it("a symlinked input is confined by where it really is", () => {
    const real = fs.realpathSync(base);
    fs.mkdirSync(path.join(real, "elsewhere"), { recursive: true });
    fs.writeFileSync(path.join(real, "elsewhere/x.txt"), "x");
    fs.mkdirSync(path.join(real, "inbox"), { recursive: true });
    fs.symlinkSync(path.join(real, "elsewhere"), path.join(real, "inbox/link"));
    expect(planIngest([path.join(real, "inbox/link")]).root).toBe(path.join(real, "elsewhere"));
  });
});
