import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { bear, removeTempDirs, serve, tempDir } from "./harness";

afterAll(removeTempDirs);

describe("bear serve", () => {
  it("serves the workspace on loopback, prints the admin key once, keeps it across restarts and stops cleanly on Ctrl-C", async () => {
    const ws = tempDir("serve");
    expect(bear(["--data-dir", ws, "init"]).status).toBe(0);

    const first = await serve(ws);
    expect(first.info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.info.adminKey).toMatch(/^bear_admin_/);
    const key = first.info.adminKey!;
    expect((await fetch(`${first.info.url}/api/v1/health`)).status).toBe(200);
    expect((await fetch(`${first.info.url}/api/v1/me`)).status).toBe(401);
    expect((await fetch(`${first.info.url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    expect(await first.stop()).toBe(0);

    const second = await serve(ws);
    expect(second.info.adminKey).toBeNull();
    expect((await fetch(`${second.info.url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    expect(await second.stop()).toBe(0);

    // The server wrote to the same audit chain as the CLI: it still verifies.
    expect(bear(["--data-dir", ws, "audit", "verify"]).status).toBe(0);
  }, 120_000);

  it("`bear ingest` beside a running `bear serve`: the server lists and finds the new document at once", async () => {
    const ws = tempDir("serve-ingest");
    const files = tempDir("serve-ingest-files");
    const { samples } = await import("./harness");
    fs.copyFileSync(path.join(samples, "master-services-agreement.txt"), path.join(files, "msa.txt"));
    expect(bear(["--data-dir", ws, "init"]).status).toBe(0);
    const server = await serve(ws);
    try {
      const auth = { authorization: `Bearer ${server.info.adminKey!}` };
      const listed = async () => ((await (await fetch(`${server.info.url}/api/v1/documents`, { headers: auth })).json()) as { total: number }).total;
      expect(await listed()).toBe(0);
      const ingest = bear(["--data-dir", ws, "--json", "ingest", "."], { cwd: files });
      expect(ingest.status).toBe(0);
      expect(await listed()).toBe(1);
      const search = await fetch(`${server.info.url}/api/v1/search`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ query: "Harborview indemnification" }) });
      expect(((await search.json()) as { hits: unknown[] }).hits.length).toBeGreaterThan(0);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(bear(["--data-dir", ws, "audit", "verify"]).status).toBe(0);
  }, 120_000);

  it("refuses a workspace that was never initialised, and a bad port, with the usual exit codes", () => {
    const ws = tempDir("serve-none");
    expect(bear(["--data-dir", path.join(ws, "nothing"), "serve"]).status).toBe(2);
    expect(bear(["--data-dir", ws, "serve", "--port", "http"]).status).toBe(1);
  });
});

describe("bear users beside a running bear serve", () => {
  it("`bear users add --role attorney --matters a,b` gives a key that works for a and b only, at once; `revoke` stops it at once; the audit names the CLI", async () => {
    const ws = tempDir("users");
    expect(bear(["--data-dir", ws, "init"]).status).toBe(0);
    const server = await serve(ws);
    try {
      const get = (key: string, matter: string) => fetch(`${server.info.url}/api/v1/documents?matter=${matter}`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);
      const add = bear(["--data-dir", ws, "--json", "users", "add", "alice", "--role", "attorney", "--matters", "a,b"]);
      expect(add.status).toBe(0);
      const added = JSON.parse(add.stdout) as { user: { id: string; role: string; matters: string[] }; apiKey: string };
      expect(added.user).toEqual({ id: "alice", kind: "api-key", role: "attorney", matters: ["a", "b"] });
      // no restart: the running server reads the new principal at the next request
      expect([await get(added.apiKey, "a"), await get(added.apiKey, "b"), await get(added.apiKey, "c")]).toEqual([200, 200, 403]);
      const me = (await (await fetch(`${server.info.url}/api/v1/me`, { headers: { authorization: `Bearer ${added.apiKey}` } })).json()) as { id: string; matters: string[] };
      expect(me).toMatchObject({ id: "alice", matters: ["a", "b"] });

      const list = bear(["--data-dir", ws, "--json", "users", "list"]);
      expect((JSON.parse(list.stdout) as { users: { id: string }[] }).users.map((u) => u.id)).toEqual(["admin", "alice"]);
      expect(list.stdout).not.toContain("bear_");
      expect(bear(["--data-dir", ws, "users", "list"]).stdout).toMatch(/alice\s+attorney\s+a, b/);

      // errors keep the usual exit codes: a taken id, an unknown role, a viewer without matters
      expect(bear(["--data-dir", ws, "users", "add", "alice", "--role", "viewer", "--matters", "a"]).status).toBe(2);
      expect(bear(["--data-dir", ws, "users", "add", "bob", "--role", "judge", "--matters", "a"]).status).toBe(2);
      expect(bear(["--data-dir", ws, "users", "add", "bob", "--role", "viewer"]).status).toBe(2);

      expect(bear(["--data-dir", ws, "users", "revoke", "alice"]).status).toBe(0);
      expect(await get(added.apiKey, "a")).toBe(401);
      expect(await get(server.info.adminKey!, "c")).toBe(200);
      expect(bear(["--data-dir", ws, "users", "revoke", "alice"]).status).toBe(2);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const records = fs
      .readFileSync(path.join(ws, "audit", "audit.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { action: string; actor: string; resource?: string });
    expect(records.filter((r) => r.resource === "alice" && r.action.startsWith("principal.")).map((r) => [r.action, r.actor])).toEqual([
      ["principal.create", "cli"],
      ["principal.remove", "cli"],
    ]);
    expect(bear(["--data-dir", ws, "audit", "verify"]).status).toBe(0);
  }, 120_000);
});

describe("one audit policy for both front doors", () => {
  it("the same search, ask and review through the CLI and through REST write the same audit records (same kinds, fields and facts; only the actor differs)", async () => {
    const ws = tempDir("parity");
    const files = tempDir("parity-files");
    const { samples } = await import("./harness");
    const contract = fs.readFileSync(path.join(samples, "master-services-agreement.txt"), "utf8");
    fs.writeFileSync(path.join(files, "msa.txt"), contract);
    expect(bear(["--data-dir", ws, "init"]).status).toBe(0);
    expect(bear(["--data-dir", ws, "ingest", "."], { cwd: files }).status).toBe(0);
    const query = "indemnification obligations";
    const question = "Who must indemnify whom?";
    const auditFile = path.join(ws, "audit", "audit.jsonl");
    const from = fs.readFileSync(auditFile, "utf8").split("\n").filter(Boolean).length;

    // The CLI...
    expect(bear(["--data-dir", ws, "--json", "search", query, "-k", "5"]).status).toBe(0);
    expect(bear(["--data-dir", ws, "--json", "ask", question, "-k", "4", "--extractive"]).status).toBe(0);
    expect(bear(["--data-dir", ws, "--json", "review", "msa.txt", "--format", "json"], { cwd: files }).status).toBe(0);
    // ... and REST, on the same workspace.
    const server = await serve(ws);
    try {
      const post = (route: string, body: unknown) =>
        fetch(`${server.info.url}${route}`, { method: "POST", headers: { authorization: `Bearer ${server.info.adminKey!}`, "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.status);
      expect(await post("/api/v1/search", { query, k: 5 })).toBe(200);
      expect(await post("/api/v1/ask", { question, k: 4 })).toBe(200); // no model configured: extractive, as --extractive
      expect(await post("/api/v1/review", { text: contract })).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }

    type Rec = { action: string; outcome: string; actor: string; resource?: string; matter?: string; details?: Record<string, unknown> };
    const records = (fs.readFileSync(auditFile, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)) as Rec[]).slice(from);
    const acts = (actor: string) => records.filter((r) => r.actor === actor && (r.action === "search" || r.action === "review"));
    const cli = acts("cli");
    const rest = acts("admin");
    expect(cli.map((r) => r.action)).toEqual(["search", "search", "review"]);
    const comparable = (r: Rec) => ({ action: r.action, outcome: r.outcome, resource: r.resource, matter: r.matter, details: r.details });
    expect(rest.map(comparable)).toEqual(cli.map(comparable));
    // Every other field name is the same too (the record's own ts/seq/hash/signature aside).
    const keys = (r: Rec) => Object.keys(r).sort().join(",");
    expect(rest.map(keys)).toEqual(cli.map(keys));
    // No query, question or contract text in either.
    for (const r of [...cli, ...rest]) expect(JSON.stringify(r)).not.toMatch(/indemnif/i);
  }, 180_000);
});

describe("a passphrase-protected workspace", () => {
  it("keeps its index encrypted at rest: search works with the passphrase, the index files hold none of the words", async () => {
    const ws = tempDir("sealed-index");
    const files = tempDir("sealed-files");
    const { samples } = await import("./harness");
    fs.copyFileSync(path.join(samples, "master-services-agreement.txt"), path.join(files, "msa.txt"));
    const env = { BEAR_PASSPHRASE: "correct horse battery" };
    expect(bear(["--data-dir", ws, "init", "--encrypt"], { env }).status).toBe(0);
    expect(bear(["--data-dir", ws, "ingest", "."], { env, cwd: files }).status).toBe(0);
    const search = bear(["--data-dir", ws, "--json", "search", "Harborview indemnification"], { env });
    expect(search.status).toBe(0);
    expect((JSON.parse(search.stdout) as { hits: unknown[] }).hits.length).toBeGreaterThan(0);

    const indexBytes = Buffer.concat(
      fs
        .readdirSync(path.join(ws, "indexes"), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => fs.readFileSync(path.join(e.parentPath, e.name))),
    );
    expect(indexBytes.length).toBeGreaterThan(0);
    for (const word of ["Harborview", "HARBORVIEW", "indemnification", "msa.txt"]) expect([word, indexBytes.includes(word)]).toEqual([word, false]);

    // Its workflow database too: inputs and step outputs are sealed.
    fs.writeFileSync(
      path.join(files, "wf.yaml"),
      'name: sealed\ninputs:\n  names: { type: array }\nsteps:\n  - id: pick\n    type: data_processing\n    parameters: { operation: unique, input: "{{ inputs.names }}" }\n',
    );
    const run = bear(["--data-dir", ws, "--json", "workflow", "run", "wf.yaml", "-i", 'names=["Quillbrook Estate","Quillbrook Estate"]'], { env, cwd: files });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Quillbrook Estate");
    const db = Buffer.concat(fs.readdirSync(path.join(ws, "state")).filter((f) => f.startsWith("workflows.db")).map((f) => fs.readFileSync(path.join(ws, "state", f))));
    expect(db.length).toBeGreaterThan(0);
    expect(db.includes("Quillbrook")).toBe(false);
  }, 60_000);
});
