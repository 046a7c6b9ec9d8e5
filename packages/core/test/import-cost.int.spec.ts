// Importing @bear/core must stay cheap for a process that uses one helper of it (a one-shot scan, each WorkerPool
// thread): yaml, pino and rxjs load when the function needing them is first called, not at import.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";

/** Runs `body` in a fresh Node process after importing the built @bear/core; `loaded()` lists the packages loaded so far. */
function inFreshProcess(body: string): unknown {
  const script = `
import { createRequire } from "node:module";
const cache = createRequire(import.meta.url).cache;
const loaded = () => ["yaml", "pino", "rxjs"].filter((p) => Object.keys(cache).some((f) => f.includes(\`/node_modules/\${p}/\`))).join(",");
const core = await import("@bear/core");
const out = {};
${body}
console.log(JSON.stringify(out));`;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: import.meta.dirname, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`the child process failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}");
}

describe("@bear/core's import cost", () => {
  it("loads yaml, pino and rxjs on first use, not at import", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-import-"));
    try {
      fs.writeFileSync(path.join(dir, "bear.config.yaml"), "log:\n  level: warn\n");
      const out = inFreshProcess(`
out.atImport = loaded();
new core.WorkerPool({ url: new URL("file:///nowhere.js"), size: 1 });
out.afterPool = loaded();
const bus = new core.RxEventBus();
const seen = [];
bus.on("x:*").subscribe((e) => seen.push(e.type));
bus.publish({ type: "x:done", source: "test" });
out.seen = seen;
out.afterBus = loaded();
out.level = core.loadBearConfig({ home: ${JSON.stringify(dir)}, cwd: ${JSON.stringify(dir)}, env: {} }).config.log.level;
out.afterConfig = loaded();
core.createPinoLogger({ level: "silent" }).info("x");
out.afterLogger = loaded();`);
      expect(out).toEqual({
        atImport: "",
        afterPool: "",
        seen: ["x:done"],
        afterBus: "rxjs",
        level: "warn",
        afterConfig: "yaml,rxjs",
        afterLogger: "yaml,pino,rxjs",
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
