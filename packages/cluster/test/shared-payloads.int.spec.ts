// A run's large values go through the shared folder once: the API writes a long string (the
// contract text every review step names) once per run and refers to earlier steps' outputs by their
// files; a worker reads each once and keeps it. Real files, a real AES-GCM cipher.
import fs from "node:fs";
import path from "node:path";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import type { ContentCipher } from "@bear/core";
import type { JsonValue } from "@bear/workflow-engine";
import { FilePayloads, type PayloadBinding, type PayloadRef } from "../src/index";
import { PAYLOAD_KEY_FILE } from "../src/payloads/payload-key";
import { tempDir } from "./fixtures/test-cluster";

/** AES-256-GCM, as the workspace's cipher seals (nonce | tag | ciphertext, base64). */
function aesCipher(): ContentCipher {
  const key = randomBytes(32);
  return {
    keyId: "test-key",
    seal: (plain) => {
      const iv = randomBytes(12);
      const c = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([c.update(plain, "utf8"), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]).toString("base64");
    },
    open: (sealed) => {
      const raw = Buffer.from(sealed, "base64");
      const d = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString("utf8");
    },
    blindTerm: (term) => term,
  };
}

const TEXT = `THIS AGREEMENT is made between Alpha Widgets LLC and Beta Gadgets Inc. ${"The parties agree to the terms below. ".repeat(400)}`;

const bind = (runId: string, key: string, kind: "input" | "output", matter: string | null = "m1", attempt = 1): PayloadBinding => ({ runId, key, attempt, matter, kind });

function filesOf(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

describe.each([
  ["plain", undefined],
  ["sealed", aesCipher()],
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
    expect(sealed.includes("Alpha") || Buffer.from(sealed, "base64").toString("latin1").includes("Alpha")).toBe(false);
    // no payload file; without a workspace cipher, the cluster's payload key (0600) is the only file
    expect(filesOf(dir)).toEqual(cipher ? [] : [PAYLOAD_KEY_FILE]);
    if (!cipher) expect(fs.statSync(path.join(dir, PAYLOAD_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(await worker.get(ref, bind("run-s", "s", "input"))).toEqual(value);
    // written for another step, attempt or matter: refused like a file's
    await expect(worker.get(ref, bind("run-s", "t", "input"))).rejects.toMatchObject({ code: "STEP_PAYLOAD_INVALID" });
    await expect(worker.get(ref, bind("run-s", "s", "input", "m1", 2))).rejects.toMatchObject({ code: "STEP_PAYLOAD_INVALID" });
    await expect(worker.get(ref, bind("run-s", "s", "input", "m2"))).rejects.toMatchObject({ code: "STEP_MATTER_MISMATCH" });
    // one byte changed, or sealed under another key: refused
    const raw = Buffer.from(sealed, "base64");
    raw[raw.length - 1]! ^= 1;
    await expect(worker.get({ sealed: raw.toString("base64") }, bind("run-s", "s", "input"))).rejects.toThrow(/cannot be opened/);
    await expect(new FilePayloads(tempDir("bear-sealed-other-"), cipher ? aesCipher() : undefined).get(ref, bind("run-s", "s", "input"))).rejects.toThrow(/cannot be opened/);
    // past inlineChars it is a file as before
    const big = await new FilePayloads(dir, cipher, { inlineChars: 16 }).put(bind("run-s", "u", "input"), value);
    expect(Object.keys(big)).toEqual(["file"]);
    expect(await worker.get(big, bind("run-s", "u", "input"))).toEqual(value);
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
    fs.writeFileSync(file, cipher ? JSON.stringify({ sealed: cipher.seal(JSON.stringify(envelope)), keyId: cipher.keyId }) : JSON.stringify(envelope));
    await expect(new FilePayloads(dir, cipher).get(forgedRef, bind("run-b", "s", "input", "m1"))).rejects.toThrow(/is not one of this run's/);
    // the run's own text read for another matter: refused as a matter mismatch
    await expect(new FilePayloads(dir, cipher).get(ref, bind("run-a", "s", "input", "m2"))).rejects.toMatchObject({ code: "STEP_MATTER_MISMATCH" });
    await expect(new FilePayloads(dir, cipher).get(ref, bind("run-a", "s", "input", "m1"))).resolves.toEqual({ parameters: { text: TEXT } });
  });
});
