import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startTestServer, type TestServer } from "./support/test-server";

const EXAMPLE = path.resolve(import.meta.dirname, "../../../packages/plugins/examples/us-case-numbers");
const CASE_NUMBER = "1:23-cv-04567";
const MATTER_CODE = "ZX-90817";

/** A second recognizer plugin, written here: it finds matter codes such as ZX-90817. */
function writeMatterCodePlugin(folder: string): void {
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(
    path.join(folder, "bear-plugin.json"),
    JSON.stringify({ name: "matter-codes", version: "1.0.0", entry: "index.mjs", bearApi: "^0.1.0", provides: [{ point: "pii-recognizer", id: "matter.code" }], permissions: [] }),
  );
  fs.writeFileSync(
    path.join(folder, "index.mjs"),
    'export default { "matter.code": { entityTypes: ["MATTER_CODE"], recognize(text) { return [...text.matchAll(/\\bZX-\\d{5}\\b/g)].map((m) => ({ type: "MATTER_CODE", start: m.index, end: m.index + m[0].length, score: 0.9 })); } } };\n',
  );
}

describe("server plugins: hot reload while serving", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ rateLimit: { capacity: 1000, refillPerSecond: 100 } });
    fs.cpSync(EXAMPLE, path.join(t.dir, "plugins", "us-case-numbers"), { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const redacted = async (): Promise<string> => {
    const res = await fetch(`${t.url}/api/v1/redact`, {
      method: "POST",
      headers: { ...t.auth("alice"), "content-type": "application/json" },
      body: JSON.stringify({ text: `Docket ${CASE_NUMBER}, internal code ${MATTER_CODE}.` }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { text: string }).text;
  };

  /** Polls until `check` holds (the watcher reacts a moment after the last change). */
  async function eventually(check: (text: string) => boolean, what: string): Promise<string> {
    const deadline = Date.now() + 20_000;
    let text = await redacted();
    while (!check(text)) {
      if (Date.now() > deadline) throw new Error(`${what}: still '${text}' after 20 s`);
      await new Promise((r) => setTimeout(r, 250));
      text = await redacted();
    }
    return text;
  }

  it("a plugin copied in while serving starts; one removed stops; no restart", async () => {
    // Copied in after the server started (its plugin host already running): started by the watcher.
    const first = await eventually((text) => !text.includes(CASE_NUMBER), "the copied plugin was not started");
    expect(first).toContain(MATTER_CODE);

    // Another recognizer copied into the workspace's plugin folder: started by the watcher.
    writeMatterCodePlugin(path.join(t.dir, "plugins", "matter-codes"));
    const both = await eventually((text) => !text.includes(MATTER_CODE), "the new plugin was not started");
    expect(both).not.toContain(CASE_NUMBER);

    // The first one removed: its process is stopped, its recognizer no longer applies.
    fs.rmSync(path.join(t.dir, "plugins", "us-case-numbers"), { recursive: true, force: true });
    const after = await eventually((text) => text.includes(CASE_NUMBER), "the removed plugin still ran");
    expect(after).not.toContain(MATTER_CODE);
  }, 60_000);
});
