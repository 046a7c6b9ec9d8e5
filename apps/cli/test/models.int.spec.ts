import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { bear, bearAsync, initWorkspace, json, jsonError, samples, sharedModels, removeTempDirs } from "./harness";

const stories = path.join(sharedModels, "stories260K/stories260K.gguf");
const haveModels = fs.existsSync(stories);

(haveModels ? describe : describe.skip)("bear models (real tiny GGUFs from ../shared/models)", () => {
  let ws: string;
  let server: http.Server;
  let base: string;
  const env = { BEAR_MODELS_DIRS: sharedModels };
  const inWs = (args: string[]) => bear(["--data-dir", ws, ...args], { env });

  beforeAll(async () => {
    ws = initWorkspace("models");
    // A loopback server stands in for a model host: the only network `bear models pull` may use in tests.
    server = http.createServer((req, res) => {
      if (req.url === "/stories260K.gguf") {
        res.writeHead(200, { "content-length": fs.statSync(stories).size });
        fs.createReadStream(stories).pipe(res);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("list shows every model file with what its header says; info adds the checksum", () => {
    const run = inWs(["models", "list", "--json"]);
    expect(run.status).toBe(0);
    const { models } = json<{ models: { id: string; kind: string; architecture?: string; status: string }[] }>(run);
    const byId = Object.fromEntries(models.map((m) => [m.id, m]));
    expect(byId.stories260K).toMatchObject({ kind: "causal", architecture: "llama", status: "available" });
    expect(byId["model2vec-vq128-bge-base"]).toMatchObject({ kind: "embedding" });
    const info = inWs(["models", "info", "stories260K", "--json"]);
    expect(json(info)).toMatchObject({ id: "stories260K", sha256: "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d", plannedContextSize: 2048 });
    const unknown = inWs(["models", "info", "no-such-model", "--json"]);
    expect(unknown.status).toBe(2);
    expect(jsonError(unknown).code).toBe("MODEL_NOT_FOUND");
  });

  it("load proves the model fits and makes it the model `bear ask` writes with; unload goes back to extractive", () => {
    const load = inWs(["models", "load", "stories260K", "--json"]);
    expect(load.status).toBe(0);
    expect(json(load)).toMatchObject({ modelId: "stories260K", kind: "causal", threads: 1, active: "llm" });
    const ingest = inWs(["ingest", samples, "--json"]);
    expect(ingest.status).toBe(0);
    const ask = inWs(["ask", "When is rent due?", "--max-tokens", "24", "--json"]);
    expect(ask.status).toBe(0);
    expect(json(ask)).toMatchObject({ mode: "llm" });
    const unload = inWs(["models", "unload", "stories260K"]);
    expect(unload.status).toBe(0);
    expect(json(inWs(["ask", "When is rent due?", "--json"]))).toMatchObject({ mode: "extractive" });
    expect(inWs(["models", "unload", "stories260K"]).status).toBe(2);
  });

  it("loading an embedding model gives search its own hybrid index; unloading goes back to the lexical one", () => {
    expect(json(inWs(["models", "load", "model2vec-vq128-bge-base", "--json"]))).toMatchObject({ kind: "embedding", active: "embedder" });
    expect(inWs(["ingest", samples]).status).toBe(0);
    const hybrid = json<{ mode: string; hits: { source: string }[] }>(inWs(["search", "rent", "payable", "-k", "1", "--json"]));
    expect(hybrid.mode).toBe("hybrid");
    expect(path.basename(hybrid.hits[0]?.source ?? "")).toBe("office-lease.html");
    expect(fs.existsSync(path.join(ws, "indexes/embedder-model2vec-vq128-bge-base"))).toBe(true);
    expect(inWs(["models", "unload", "model2vec-vq128-bge-base"]).status).toBe(0);
    expect(json(inWs(["search", "rent", "--json"]))).toMatchObject({ mode: "lexical" });
  });

  it("pull downloads, checks and registers a model (loopback source), and refuses a wrong checksum", async () => {
    const sha = createHash("sha256").update(fs.readFileSync(stories)).digest("hex");
    const run = await bearAsync(["--data-dir", ws, "models", "pull", `${base}/stories260K.gguf`, "--name", "pulled.gguf", "--sha256", sha, "--json"]);
    expect(run.status).toBe(0);
    expect(json(run)).toMatchObject({ id: "pulled", format: "gguf" });
    expect(fs.existsSync(path.join(ws, "models/pulled.gguf"))).toBe(true);
    const bad = await bearAsync(["--data-dir", ws, "models", "pull", `${base}/stories260K.gguf`, "--name", "bad.gguf", "--sha256", "0".repeat(64), "--json"]);
    expect(bad.status).toBe(2);
    expect(jsonError(bad).code).toBe("DOWNLOAD_CHECKSUM_MISMATCH");
    expect(fs.existsSync(path.join(ws, "models/bad.gguf"))).toBe(false);
    const again = await bearAsync(["--data-dir", ws, "models", "pull", `${base}/stories260K.gguf`, "--name", "pulled.gguf", "--json"]);
    expect(again.status).not.toBe(0);
    expect(jsonError(again)).toMatchObject({ code: "DOWNLOAD_FAILED" });
    expect(jsonError(again).hint).toMatch(/--force/);
    const forced = await bearAsync(["--data-dir", ws, "models", "pull", `${base}/stories260K.gguf`, "--name", "pulled.gguf", "--force", "--json"]);
    expect(forced.status).toBe(0);
    const log = fs.readFileSync(path.join(ws, "audit/audit.jsonl"), "utf8");
    expect(log).toContain('"action":"model.pull"');
    expect(log).toContain(`"sha256":"${sha}"`);
  });
});

afterAll(removeTempDirs);
