import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { shippedAsset } from "./shipped-asset";

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "bear-shipped-"));
  fs.mkdirSync(path.join(root, "dist"));
  fs.mkdirSync(path.join(root, "src", "area", "module"), { recursive: true });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const reader = (relative: string) => pathToFileURL(path.join(root, relative)).href;

describe("shippedAsset", () => {
  it("finds model/ from a bundle (dist/index.js) and from sources (src/area/module/x.ts), and parses once", () => {
    fs.mkdirSync(path.join(root, "model"));
    fs.writeFileSync(path.join(root, "model", "weights.bin"), "w1");
    let parses = 0;
    for (const from of [reader("dist/index.js"), reader("src/area/module/reader.ts")]) {
      const asset = shippedAsset({ fileName: "weights.bin", from, parse: (bytes) => (parses++, bytes.toString()) });
      expect(asset.path()).toBe(path.join(root, "model", "weights.bin"));
      expect(asset.load()).toBe("w1");
      fs.writeFileSync(path.join(root, "model", "weights.bin"), "w2");
      expect(asset.load()).toBe("w1");
      fs.writeFileSync(path.join(root, "model", "weights.bin"), "w1");
    }
    expect(parses).toBe(2);
  });

  it("is undefined when the package does not hold the file, and passes a parser's error on", () => {
    const missing = shippedAsset({ fileName: "absent.bin", from: reader("dist/index.js"), parse: () => "never" });
    expect(missing.path()).toBeUndefined();
    expect(missing.load()).toBeUndefined();
    fs.mkdirSync(path.join(root, "model"));
    fs.writeFileSync(path.join(root, "model", "corrupt.bin"), "x");
    const corrupt = shippedAsset({ fileName: "corrupt.bin", from: reader("dist/index.js"), parse: (_bytes, file) => { throw new Error(`corrupt: ${file}`); } });
    expect(() => corrupt.load()).toThrow(/corrupt: .*corrupt\.bin/);
  });
});
