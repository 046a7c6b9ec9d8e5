#!/usr/bin/env node
// Proves the native packages really load after `npm ci` (npm 11 may skip install scripts, and a
// prebuilt binary may be missing for this platform). Loads each one for real, offline.
import os from "node:os";
import path from "node:path";

const checks = {
  "better-sqlite3": async () => {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(":memory:");
    const { v } = db.prepare("select sqlite_version() as v").get();
    db.close();
    return `SQLite ${v}`;
  },
  "@lancedb/lancedb": async () => {
    const lancedb = await import("@lancedb/lancedb");
    const dir = path.join(os.tmpdir(), `bear-natives-${process.pid}`);
    const db = await lancedb.connect(dir);
    const table = await db.createTable("t", [{ id: 1, vector: [0.1, 0.2] }], { mode: "overwrite" });
    const rows = await table.countRows();
    await db.dropTable("t");
    return `${rows} row written and read`;
  },
  "onnxruntime-node": async () => {
    const ort = await import("onnxruntime-node");
    return `backends ${Object.keys(ort.env.versions ?? {}).join(",") || "cpu"} (version ${ort.env.versions?.common ?? "?"})`;
  },
  "@napi-rs/canvas": async () => {
    // Skia, prebuilt per platform as an optional npm dependency: @bear/rag draws PDF pages with it for OCR.
    const { createCanvas } = await import("@napi-rs/canvas");
    const canvas = createCanvas(8, 8);
    const context = canvas.getContext("2d");
    context.fillRect(0, 0, 4, 4);
    return `drew ${context.getImageData(0, 0, 8, 8).data.length / 4} pixels`;
  },
  "node-llama-cpp": async () => {
    const { getLlama } = await import("node-llama-cpp");
    const llama = await getLlama({ gpu: false, build: "never", progressLogs: false, logLevel: "error" });
    const info = `${llama.buildType} build, cpuMathCores=${llama.cpuMathCores}`;
    await llama.dispose();
    return info;
  },
};

let failed = 0;
for (const [name, check] of Object.entries(checks)) {
  try {
    console.log(`native ok   ${name.padEnd(18)} ${await check()}`);
  } catch (error) {
    failed++;
    console.error(`native FAIL ${name.padEnd(18)} ${error?.message ?? error}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
