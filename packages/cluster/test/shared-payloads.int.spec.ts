// A run's large values go through the shared folder once: the API writes a long string (the
// contract text every review step names) once per run and refers to earlier steps' outputs by their
// files; a worker reads each once and keeps it. Real files, @bear/security's real cipher: the
// workspace's when it is encrypted, else over the cluster's own payload key.
import { spawn } from "node:child_process";
import { createHook } from "node:async_hooks";
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { describe, expect, it, jest } from "@jest/globals";
import type { ContentCipher } from "@bear/core";
import { contentCipherFromKey as keyCipher } from "@bear/security";
import { RawJson, type JsonValue } from "@bear/workflow-engine";
import { FilePayloads as Payloads, type PayloadBinding, type PayloadRef } from "../src/index";
import { PAYLOAD_KEY_FILE } from "../src/payloads/payload-key";
import { tempDir } from "./fixtures/test-cluster";

/** An encrypted workspace's cipher (a fresh key). */
const workspaceCipher = (): ContentCipher => keyCipher(randomBytes(32));

/** FilePayloads as a workspace makes them: its cipher when encrypted, else the cluster's payload key. */
class FilePayloads extends Payloads {
  constructor(dir: string, cipher?: ConstructorParameters<typeof Payloads>[1], options: ConstructorParameters<typeof Payloads>[2] = {}) {
    super(dir, cipher, { keyCipher, ...options });
  }
}

const DECRYPTION_FAILED = { code: "DECRYPTION_FAILED" };

const TEXT = `THIS AGREEMENT is made between Alpha Widgets LLC and Beta Gadgets Inc. ${"The parties agree to the terms below. ".repeat(400)}`;

const bind = (runId: string, key: string, kind: "input" | "output", matter: string | null = "m1", attempt = 1): PayloadBinding => ({ runId, key, attempt, matter, kind, type: "legal.review", agent: null, actor: "alice", act: false });

function filesOf(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

describe.each([
  ["plain", undefined],
  ["sealed", workspaceCipher()],
])("FilePayloads, shared values (%s)", (_name, cipher) => {
  it("writes a run's long string once for all its steps, and an earlier output is referred to, not copied", async () => {
    const dir = tempDir("bear-shared-");
    const api = new FilePayloads(dir, cipher);
    const worker = new FilePayloads(dir, cipher);
    // the worker's output for step 'extract', read back by the API (as the engine's record of it)
    const extract = { parties: ["Alpha Widgets LLC", "Beta Gadgets Inc."], clauses: Array.from({ length: 200 }, (_, i) => ({ start: i * 10, end: i * 10 + 9 })) };
    const outRef = await worker.put(bind("run-1", "extract", "output"), extract);
    const extractSeen = await api.get(outRef, bind("run-1", "extract", "output"));
    expect(extractSeen).toEqual(extract);

    const refs: Array<[string, PayloadRef, JsonValue]> = [];
    for (const step of ["classify", "assess", "comply", "report"]) {
      const input: JsonValue = { parameters: { text: TEXT, format: "json", ...(step === "assess" || step === "report" ? { key_terms: extractSeen } : {}) } };
      refs.push([step, await api.put(bind("run-1", step, "input"), input), input]);
    }
    const files = filesOf(dir);
    expect(files.filter((f) => f.includes("+="))).toHaveLength(1); // the text, once
    const bytes = files.reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
    expect(bytes).toBeLessThan(TEXT.length * 2.2); // (not 4 copies of the text and 2 of the output)
    for (const f of files) {
      const raw = fs.readFileSync(path.join(dir, f), "utf8");
      if (!f.includes("+=")) expect(raw.includes("The parties agree")).toBe(false);
      if (cipher) expect(raw.includes("Alpha Widgets")).toBe(false);
    }
    for (const [step, ref, input] of refs) expect(await worker.get(ref, bind("run-1", step, "input"))).toEqual(input);

    // the worker keeps what it has read: with the files gone it still has the text and its own output
    for (const f of files.filter((n) => n.includes("+=") || n.includes("output"))) fs.rmSync(path.join(dir, f));
    expect(await worker.get(refs[1]![1], bind("run-1", "assess", "input"))).toEqual(refs[1]![2]);
    // another process that never read them reports them missing
    await expect(new FilePayloads(dir, cipher).get(refs[1]![1], bind("run-1", "assess", "input"))).rejects.toMatchObject({ code: "STEP_PAYLOAD_INVALID" });
  });

  it("a step's values are its own: handlers may change them without touching the next step's", async () => {
    const dir = tempDir("bear-shared-");
    const api = new FilePayloads(dir, cipher);
    const worker = new FilePayloads(dir, cipher);
    const output = await api.get(await worker.put(bind("r", "a", "output"), { list: [1, 2, 3] }), bind("r", "a", "output"));
    const ref1 = await api.put(bind("r", "b", "input"), { parameters: { x: output } });
    const ref2 = await api.put(bind("r", "c", "input"), { parameters: { x: output } });
    const first = (await worker.get(ref1, bind("r", "b", "input"))) as { parameters: { x: { list: number[] } } };
    first.parameters.x.list.push(4);
    expect(await worker.get(ref2, bind("r", "c", "input"))).toEqual({ parameters: { x: { list: [1, 2, 3] } } });
  });

  it("a small payload travels sealed inside its job: no file, its binding checked, nothing readable in it", async () => {
    const dir = tempDir("bear-sealed-");
    const api = new FilePayloads(dir, cipher);
    const worker = new FilePayloads(dir, cipher); // another process on the shared folder
    const value = { parameters: { party: "Alpha Widgets LLC", format: "json" } };
    const ref = await api.put(bind("run-s", "s", "input"), value);
    expect(Object.keys(ref)).toEqual(["sealed"]);
    const sealed = (ref as { sealed: string }).sealed;
    expect(sealed.includes("Alpha") || Buffer.from(sealed.slice(3), "base64url").toString("latin1").includes("Alpha")).toBe(false);
    // no payload file; without a workspace cipher, the cluster's payload key (0600) is the only file
    expect(filesOf(dir)).toEqual(cipher ? [] : [PAYLOAD_KEY_FILE]);
    if (!cipher) expect(fs.statSync(path.join(dir, PAYLOAD_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(await worker.get(ref, bind("run-s", "s", "input"))).toEqual(value);
    // its binding is authenticated with it: opened for another run, step, attempt, matter or kind, it fails to decrypt
    for (const other of [bind("run-t", "s", "input"), bind("run-s", "t", "input"), bind("run-s", "s", "input", "m1", 2), bind("run-s", "s", "input", "m2"), bind("run-s", "s", "input", null), bind("run-s", "s", "output")]) {
      await expect(worker.get(ref, other)).rejects.toMatchObject(DECRYPTION_FAILED);
    }
    // one byte changed, or sealed under another key: the cipher's DecryptionError, which no retry fixes
    const raw = Buffer.from(sealed.slice(3), "base64url");
    raw[raw.length - 1]! ^= 1;
    await expect(worker.get({ sealed: `b1.${raw.toString("base64url")}` }, bind("run-s", "s", "input"))).rejects.toMatchObject({ ...DECRYPTION_FAILED, retryable: false });
    await expect(new FilePayloads(tempDir("bear-sealed-other-"), cipher ? workspaceCipher() : undefined).get(ref, bind("run-s", "s", "input"))).rejects.toMatchObject(DECRYPTION_FAILED);
    // past inlineChars it is a file as before
    const big = await new FilePayloads(dir, cipher, { inlineChars: 16 }).put(bind("run-s", "u", "input"), value);
    expect(Object.keys(big)).toEqual(["file"]);
    expect(await worker.get(big, bind("run-s", "u", "input"))).toEqual(value);
  });

  it("a run's output file reaches the engine as its text (RawJson), its binding checked, and later steps refer to its file", async () => {
    const dir = tempDir("bear-raw-");
    const api = new FilePayloads(dir, cipher);
    const worker = new FilePayloads(dir, cipher);
    const extract: JsonValue = { parties: ["Alpha Widgets LLC", "Beta Gadgets Inc."], clauses: Array.from({ length: 300 }, (_, i) => ({ start: i * 10, label: `c${i}` })) };
    const ref = await worker.put(bind("run-r", "extract", "output"), extract);
    expect(Object.keys(ref)).toEqual(["file"]);
    const parse = jest.spyOn(JSON, "parse");
    const seen = await api.getOutput(ref, bind("run-r", "extract", "output"));
    // not parsed (a sealed file's envelope is, the payload inside it is not): the text after its binding is the value's JSON
    const parsedPayloads = parse.mock.calls.filter(([text]) => String(text).includes('"binding"'));
    parse.mockRestore();
    expect(RawJson.isInstance(seen)).toBe(true);
    expect(parsedPayloads).toEqual([]);
    expect((seen as RawJson).text).toBe(JSON.stringify(extract));
    expect((seen as RawJson).value).toEqual(extract);
    expect(Object.getPrototypeOf((seen as RawJson).value)).toBe(Object.prototype);
    // a later step's parameters holding it refer to the file; the worker reads the value from there
    const input: JsonValue = { parameters: { key_terms: seen as unknown as JsonValue, format: "json" } };
    const inRef = await api.put(bind("run-r", "assess", "input"), input);
    expect(await worker.get(inRef, bind("run-r", "assess", "input"))).toEqual({ parameters: { key_terms: extract, format: "json" } });
    // the binding is checked as a parse would: another attempt's, step's or matter's reading is refused
    await expect(api.getOutput(ref, bind("run-r", "extract", "output", "m1", 2))).rejects.toMatchObject({ code: "STEP_PAYLOAD_INVALID" });
    await expect(api.getOutput(ref, bind("run-r", "extract", "output", "m2"))).rejects.toMatchObject(cipher ? DECRYPTION_FAILED : { code: "STEP_MATTER_MISMATCH" });
    // a file whose binding is written in another order (another writer) is parsed as before
    const name = (ref as { file: string }).file;
    const b = bind("run-r", "extract", "output");
    const reordered = JSON.stringify({ binding: { act: b.act, actor: b.actor, agent: b.agent, type: b.type, kind: b.kind, matter: b.matter, attempt: b.attempt, key: b.key, runId: b.runId }, value: extract });
    const context = `bear:payload-file:${JSON.stringify([name, "m1"])}`;
    fs.writeFileSync(path.join(dir, name), cipher ? JSON.stringify({ sealed: cipher.seal(reordered, context), keyId: cipher.keyId }) : reordered);
    const again = await new FilePayloads(dir, cipher).getOutput(ref, b);
    expect(RawJson.isInstance(again)).toBe(false);
    expect(again).toEqual(extract);
    // a small output, sealed inside its job, is parsed (nothing to gain)
    const small = await worker.put(bind("run-r", "tiny", "output"), { ok: true });
    expect(await api.getOutput(small, bind("run-r", "tiny", "output"))).toEqual({ ok: true });
  });

  it("a review-sized output (150 kB) is written and read back with no thread-pool round trip", async () => {
    const dir = tempDir("bear-sync-");
    const api = new FilePayloads(dir, cipher);
    const worker = new FilePayloads(dir, cipher);
    const report: JsonValue = { findings: Array.from({ length: 2500 }, (_, i) => ({ clause: i, note: `The supplier shall indemnify the customer (${i}).` })) };
    expect(JSON.stringify(report).length).toBeGreaterThan(128 * 1024);
    const binding = bind("run-sync", "report", "output");
    // every asynchronous file call makes one of these (a request to libuv's pool, or a FileHandle)
    const pooled: string[] = [];
    const hook = createHook({ init: (_id, type) => void (/^FS|FILEHANDLE/.test(type) && pooled.push(type)) }).enable();
    let ref: PayloadRef;
    let back: JsonValue | RawJson;
    try {
      ref = await worker.put(binding, report);
      back = await api.getOutput(ref, binding);
    } finally {
      hook.disable();
    }
    expect("file" in ref).toBe(true);
    expect(RawJson.isInstance(back) ? back.value : back).toEqual(report);
    expect(pooled).toEqual([]); // before: FILEHANDLE and FSREQPROMISE, ~9 pool round trips for the write and the read
  });

  it("a reference to another run's or matter's file is refused", async () => {
    const dir = tempDir("bear-shared-");
    const api = new FilePayloads(dir, cipher);
    const ref = await api.put(bind("run-a", "s", "input", "m1"), { parameters: { text: TEXT } });
    const shared = filesOf(dir).find((f) => f.includes("+="))!;
    // a tampered input naming run-a's text file from run-b: the name is not one of run-b's
    const forged = new FilePayloads(dir, cipher, { shareValues: false, inlineChars: 0 });
    const forgedRef = await forged.put(bind("run-b", "s", "input", "m1"), { parameters: { text: "x" } });
    const file = path.join(dir, (forgedRef as { file: string }).file);
    const envelope = { binding: bind("run-b", "s", "input", "m1"), value: { parameters: { text: null } }, shared: [{ path: ["parameters", "text"], file: shared }] };
    // (forged by someone holding the workspace's key: sealed for the file's own name and matter)
    const context = `bear:payload-file:${JSON.stringify([(forgedRef as { file: string }).file, "m1"])}`;
    fs.writeFileSync(file, cipher ? JSON.stringify({ sealed: cipher.seal(JSON.stringify(envelope), context), keyId: cipher.keyId }) : JSON.stringify(envelope));
    await expect(new FilePayloads(dir, cipher).get(forgedRef, bind("run-b", "s", "input", "m1"))).rejects.toThrow(/is not one of this run's/);
    // the run's own input read for another matter: sealed inside its job, it does not decrypt
    await expect(new FilePayloads(dir, cipher).get(ref, bind("run-a", "s", "input", "m2"))).rejects.toMatchObject(DECRYPTION_FAILED);
    await expect(new FilePayloads(dir, cipher).get(ref, bind("run-a", "s", "input", "m1"))).resolves.toEqual({ parameters: { text: TEXT } });
    // as a file: sealed for its matter when the workspace is encrypted, else its binding is checked
    const fileRef = await new FilePayloads(dir, cipher, { inlineChars: 0 }).put(bind("run-a", "f", "input", "m1"), { parameters: { text: TEXT } });
    expect(Object.keys(fileRef)).toEqual(["file"]);
    await expect(new FilePayloads(dir, cipher).get(fileRef, bind("run-a", "f", "input", "m2"))).rejects.toMatchObject(cipher ? DECRYPTION_FAILED : { code: "STEP_MATTER_MISMATCH" });
    await expect(new FilePayloads(dir, cipher).get(fileRef, bind("run-a", "f", "input", "m1"))).resolves.toEqual({ parameters: { text: TEXT } });
  });

  it("a payload opens only for the step type, agent, actor and act its job was sent as, inside the job or as a file", async () => {
    const dir = tempDir("bear-identity-");
    const sent = bind("run-i", "s", "input");
    const retold: Array<Partial<PayloadBinding>> = [{ actor: "admin" }, { actor: null }, { type: "legal.redact" }, { agent: "coordinator" }, { act: true }];
    for (const inlineChars of [undefined, 0]) {
      const ref = await new FilePayloads(dir, cipher, inlineChars === undefined ? {} : { inlineChars }).put(sent, { parameters: { n: 1 } });
      expect(Object.keys(ref)).toEqual([inlineChars === 0 ? "file" : "sealed"]);
      for (const change of retold) {
        // sealed inside the job: the binding is the authenticated data; a file: its binding is read back and compared
        const refused = new FilePayloads(dir, cipher).get(ref, { ...sent, ...change });
        await expect(refused).rejects.toMatchObject(inlineChars === 0 ? { code: "STEP_PAYLOAD_INVALID", message: expect.stringContaining("another step type, agent, actor or act") } : DECRYPTION_FAILED);
      }
      await expect(new FilePayloads(dir, cipher).get(ref, sent)).resolves.toEqual({ parameters: { n: 1 } });
    }
    // an output file is checked by its text's head, unparsed: another actor's binding does not match it, and it is then parsed and refused
    const out = await new FilePayloads(dir, cipher, { inlineChars: 0 }).put(bind("run-i", "s", "output"), { n: 2 });
    await expect(new FilePayloads(dir, cipher).getOutput(out, { ...bind("run-i", "s", "output"), actor: "admin" })).rejects.toMatchObject({ code: "STEP_PAYLOAD_INVALID" });
    expect(((await new FilePayloads(dir, cipher).getOutput(out, bind("run-i", "s", "output"))) as RawJson).text).toBe('{"n":2}');
    // a payload in the clear binds nothing: a node that seals its payloads refuses one
    await expect(new FilePayloads(dir, cipher).get({ inline: { parameters: { n: 1 } } }, sent)).rejects.toMatchObject({ code: "STEP_PAYLOAD_INVALID" });
  });
});

describe("FilePayloads, ciphers", () => {
  it("an encrypted workspace whose cipher is not bound yet is refused: nothing in the clear, nothing under the cluster's key", async () => {
    const dir = tempDir("bear-unbound-");
    let bound: ContentCipher | undefined;
    const payloads = new FilePayloads(dir, () => bound);
    const value = { parameters: { party: "Alpha Widgets LLC", text: TEXT } };
    await expect(payloads.put(bind("run-u", "s", "input"), { parameters: { party: "Alpha Widgets LLC" } })).rejects.toMatchObject({ code: "WORKSPACE_CIPHER_MISSING", retryable: false });
    await expect(payloads.put(bind("run-u", "t", "input"), value)).rejects.toMatchObject({ code: "WORKSPACE_CIPHER_MISSING" });
    // no key file made, no payload written
    expect(filesOf(dir)).toEqual([]);
    bound = workspaceCipher();
    const ref = await payloads.put(bind("run-u", "s", "input"), value);
    expect(await payloads.get(ref, bind("run-u", "s", "input"))).toEqual(value);
    bound = undefined;
    await expect(payloads.get(ref, bind("run-u", "s", "input"))).rejects.toMatchObject({ code: "WORKSPACE_CIPHER_MISSING" });
    await expect(payloads.get({ inline: value }, bind("run-u", "s", "input"))).rejects.toMatchObject({ code: "STEP_PAYLOAD_INVALID" });
    expect(filesOf(dir).some((f) => f.endsWith(PAYLOAD_KEY_FILE))).toBe(false);
  });

  it("without the workspace's cipher or one for the cluster's payload key, FilePayloads cannot be made", () => {
    expect(() => new Payloads(tempDir("bear-nokey-"))).toThrow(expect.objectContaining({ code: "WORKSPACE_CIPHER_MISSING" }));
  });

  it("a payload key file still being written by the process that created it is waited for (shares without hard links)", async () => {
    const dir = tempDir("bear-keywait-");
    const file = path.join(dir, PAYLOAD_KEY_FILE);
    const key = randomBytes(32).toString("hex");
    fs.writeFileSync(file, key.slice(0, 20), { mode: 0o600 }); // created exclusively, part written
    // the rest 300 ms later, from another process (this one waits synchronously meanwhile)
    const writer = spawn(process.execPath, ["-e", `setTimeout(() => require("node:fs").writeFileSync(${JSON.stringify(file)}, ${JSON.stringify(key)}), 300)`], { stdio: "ignore" });
    const exited = new Promise((resolve) => writer.once("exit", resolve));
    const ref = await new FilePayloads(dir).put(bind("run-k", "s", "input"), { parameters: { x: 1 } });
    await exited;
    expect(fs.readFileSync(file, "utf8")).toBe(key);
    const sealedWithKey = keyCipher(Buffer.from(key, "hex"));
    expect(JSON.parse(sealedWithKey.open((ref as { sealed: string }).sealed, `bear:payload:${JSON.stringify(["run-k", "s", 1, "m1", "input", "legal.review", null, "alice", false])}`))).toMatchObject({ value: { parameters: { x: 1 } } });
    // a key file that is not hex at all is reported as itself, at once
    const bad = tempDir("bear-keybad-");
    fs.writeFileSync(path.join(bad, PAYLOAD_KEY_FILE), "not a key");
    await expect(new FilePayloads(bad).put(bind("run-k", "s", "input"), { parameters: { x: 1 } })).rejects.toThrow(/is not 64 hex digits/);
  });

  it("a short key file left by a process stopped between create and write fails at once, naming the file, and is not read again per payload", async () => {
    const dir = tempDir("bear-keystale-");
    const file = path.join(dir, PAYLOAD_KEY_FILE);
    fs.writeFileSync(file, randomBytes(32).toString("hex").slice(0, 20), { mode: 0o600 });
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    const payloads = new FilePayloads(dir);
    const started = performance.now();
    const first = payloads.put(bind("run-s", "s", "input"), { parameters: { x: 1 } });
    await expect(first).rejects.toMatchObject({ code: "STEP_PAYLOAD_INVALID", retryable: false });
    await expect(first).rejects.toThrow(file);
    const error = await first.catch((e: unknown) => e);
    expect((error as { hint?: string }).hint).toContain(`Remove '${file}'`);
    // the next payloads get the same failure without reading (or waiting on) the file again
    const read = jest.spyOn(fs, "readFileSync");
    for (let i = 0; i < 5; i++) await expect(payloads.put(bind("run-s", `s${i}`, "input"), { parameters: { x: i } })).rejects.toBe(error);
    expect(read.mock.calls.filter(([f]) => f === file)).toHaveLength(0);
    read.mockRestore();
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
