import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { defaultBearConfig, disableOfflineGuard, type BearConfig } from "@bear/core";
import { createServer, type BearServer, type ServerOptions } from "../../src/index";

export const MODELS_DIR = path.resolve(import.meta.dirname, "../../../../../shared/models");
export const STORIES = "stories260K";

/** Principals every test server has: one per role, two matters, and one with no role at all. */
export const PRINCIPALS = [
  { id: "admin", roles: ["admin"], matters: [] },
  { id: "alice", roles: ["attorney"], matters: ["acme"] },
  { id: "paula", roles: ["paralegal"], matters: ["acme"] },
  { id: "victor", roles: ["viewer"], matters: ["acme"] },
  { id: "bob", roles: ["attorney"], matters: ["globex"] },
  { id: "nobody", roles: [], matters: [] },
] as const;
export type Who = (typeof PRINCIPALS)[number]["id"];

export const NDA = `MUTUAL NON-DISCLOSURE AGREEMENT

This Mutual Non-Disclosure Agreement is entered into between Acme Corporation and Globex Industries.

1. Confidential Information
Each party shall keep the other party's Confidential Information strictly confidential and use it only to evaluate the proposed transaction.

2. Term and Termination
This Agreement remains in force for three (3) years. Either party may terminate this Agreement for convenience upon thirty (30) days' prior written notice to the other party.

3. Governing Law
This Agreement is governed by the laws of the State of Delaware.
`;

export const LEASE = `COMMERCIAL LEASE

Section 4. Rent. The Tenant shall pay monthly rent of five thousand dollars on the first day of each month.

Section 9. Termination. The Landlord may terminate this lease upon ninety (90) days' notice if the Tenant fails to pay rent.
`;

export interface TestServer {
  readonly server: BearServer;
  readonly url: string;
  readonly dir: string;
  readonly keys: Readonly<Record<Who, string>>;
  auth(who: Who): Record<string, string>;
  /** Graceful shutdown; the workspace is removed unless `keepDir` (or it was passed in). */
  close(options?: { keepDir?: boolean }): Promise<void>;
}

export function testConfig(dir: string, patch: (c: BearConfig) => BearConfig = (c) => c): BearConfig {
  const base = defaultBearConfig(dir);
  return patch({
    ...base,
    server: { ...base.server, port: 0 },
    models: { ...base.models, dirs: [path.join(MODELS_DIR, STORIES)], threads: 1 },
    rag: { ...base.rag, maxFileSizeMb: 1 },
    log: { level: "error" },
  });
}

/** A real server on a fresh workspace, listening on an ephemeral loopback port. */
export async function startTestServer(options: Partial<ServerOptions> & { patch?: (c: BearConfig) => BearConfig; dir?: string } = {}): Promise<TestServer> {
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "bear-server-"));
  const { patch, ...rest } = options;
  // rotate: a server restarted on the same workspace (where principals persist) hands out fresh keys.
  const server = await createServer({ config: testConfig(dir, patch), principals: PRINCIPALS.map((p) => ({ ...p, rotate: true })), ...rest });
  const url = await server.listen();
  const keys = server.apiKeys as Record<Who, string>;
  return {
    server,
    url,
    dir,
    keys,
    auth: (who) => ({ authorization: `Bearer ${keys[who]}` }),
    async close({ keepDir = options.dir !== undefined } = {}) {
      await server.close();
      disableOfflineGuard();
      if (!keepDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A multipart/form-data body with one file part. */
export function multipart(fileName: string, content: string | Buffer, field = "file"): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----bear${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, Buffer.isBuffer(content) ? content : Buffer.from(content), tail]), headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

/** Audit records on disk (ids and actors only). */
export function auditRecords(dir: string): { action: string; outcome: string; actor: string; resource?: string; matter?: string; details?: Record<string, unknown> }[] {
  const file = path.join(dir, "audit", "audit.jsonl");
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** Reads a server-sent-events response to its end. */
export async function readSse(response: Response): Promise<{ event: string; data: unknown }[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((block) => block.trim().length > 0)
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
      const data = /^data: (.*)$/m.exec(block)?.[1];
      return { event, data: data === undefined ? undefined : JSON.parse(data) };
    });
}

/**
 * A loopback host serving the stories260K GGUF at `/<fileName>`: it stands in for a model host
 * (the offline guard allows loopback only), so model downloads are tested without a network.
 */
export async function startModelHost(fileName: string): Promise<{ url: string; close(): Promise<void> }> {
  const gguf = path.join(MODELS_DIR, STORIES, `${STORIES}.gguf`);
  const host = http.createServer((req, res) => {
    if (req.url === `/${fileName}`) {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": fs.statSync(gguf).size });
      fs.createReadStream(gguf).pipe(res);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(host.address() as { port: number }).port}`,
    close: () => new Promise<void>((resolve) => host.close(() => resolve())),
  };
}
