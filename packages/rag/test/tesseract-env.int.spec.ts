import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "@jest/globals";
import { TesseractCliEngine } from "../src/extraction/ocr/tesseract-cli-engine";

// `ocr.tesseractCommand` may name any program: it must not be handed the server's secrets.
describe("the tesseract child's environment", () => {
  const dirs: string[] = [];
  afterEach(() => {
    delete process.env.BEAR_PASSPHRASE;
    delete process.env.BEAR_REDIS_URL;
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it("holds PATH and one OCR thread, never the passphrase or the Redis URL of the process that starts it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-tess-env-"));
    dirs.push(dir);
    const seen = path.join(dir, "env.txt");
    const fake = path.join(dir, "tesseract");
    // A stand-in that records its environment and lists one language, as `tesseract --list-langs` does.
    fs.writeFileSync(fake, `#!/bin/sh\nenv >> '${seen}'\necho 'List of available languages (1):'\necho eng\n`, { mode: 0o755 });
    process.env.BEAR_PASSPHRASE = "correct horse battery staple";
    process.env.BEAR_REDIS_URL = "redis://:hunter2@127.0.0.1:6390";
    const engine = await TesseractCliEngine.create({ command: fake, languages: ["eng"], workers: 1 }).catch((error: unknown) => error);
    if (engine instanceof TesseractCliEngine) await engine.dispose();
    const env = fs.readFileSync(seen, "utf8");
    expect(env).toMatch(/^PATH=/m);
    expect(env).toMatch(/^OMP_THREAD_LIMIT=1$/m);
    expect(env).not.toContain("correct horse");
    expect(env).not.toContain("hunter2");
    expect(env).not.toMatch(/^BEAR_/m);
  });
});
