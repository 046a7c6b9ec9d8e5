import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { ExtractionError } from "../errors";
import { walkFiles } from "./walk-files";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-walk-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function collect(inputs: string[]): Promise<{ file: string; error?: unknown }[]> {
  const out: { file: string; error?: unknown }[] = [];
  for await (const item of walkFiles(dir, inputs)) out.push(item);
  return out;
}

describe("walkFiles", () => {
  it("yields a missing input as 'not found: <path>' (no raw ENOENT) and still yields the others", async () => {
    fs.writeFileSync(path.join(dir, "a.txt"), "text");
    fs.writeFileSync(path.join(dir, "plain"), "a file, not a folder");
    const items = await collect(["nope.txt", "a.txt", "plain/below.txt"]);
    expect(items.map((i) => path.basename(i.file))).toEqual(["nope.txt", "a.txt", "below.txt"]);
    for (const missing of [items[0], items[2]]) {
      const error = missing?.error;
      expect(error).toBeInstanceOf(ExtractionError);
      expect(error).toMatchObject({ code: "RAG_FILE_UNREADABLE", message: `not found: ${missing?.file}` });
      expect((error as Error).message).not.toMatch(/ENOENT|ENOTDIR|no such file/);
    }
    expect(items[1]?.error).toBeUndefined();
  });

  it("names the folder being ingested when a symlink leads out of it", async () => {
    fs.symlinkSync("/etc/hostname", path.join(dir, "link.txt"));
    const [item] = await collect(["link.txt"]);
    expect((item?.error as Error).message).toContain(`outside the folder being ingested '${dir}'`);
  });
});
