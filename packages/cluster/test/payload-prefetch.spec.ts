import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { contentCipherFromKey } from "@bear/security";
import { FilePayloads, stepBinding } from "../src/payloads/payload-store";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-prefetch-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const job = { runId: "run-1", key: "s", attempt: 1, matter: "acme", type: "test.echo", actor: "alice" };

describe("FilePayloads.prefetch (a worker opens a job's sealed parameters before BullMQ hands the job over)", () => {
  it("gives the first get of the very same sealed text and binding the prefetched value, once; any other get opens as before", async () => {
    const sender = new FilePayloads(dir, undefined, { keyCipher: contentCipherFromKey });
    const worker = new FilePayloads(dir, undefined, { keyCipher: contentCipherFromKey });
    const binding = stepBinding(job, "input");
    const ref = await sender.put(binding, { parameters: { clause: "Section 4.2" } });
    expect("sealed" in ref).toBe(true);
    worker.prefetch(ref, binding);
    await expect(worker.get(ref, binding)).resolves.toEqual({ parameters: { clause: "Section 4.2" } });
    expect(worker.prefetchHits).toBe(1);
    await expect(worker.get(ref, binding)).resolves.toEqual({ parameters: { clause: "Section 4.2" } }); // taken once
    expect(worker.prefetchHits).toBe(1);
    // prefetched for another binding (a forged announcement naming another step or actor): never taken, and refused as before
    worker.prefetch(ref, stepBinding({ ...job, actor: "mallory" }, "input"));
    await expect(worker.get(ref, stepBinding({ ...job, actor: "mallory" }, "input"))).rejects.toMatchObject({ code: "DECRYPTION_FAILED" });
    expect(worker.prefetchHits).toBe(2); // its own prefetched failure, rethrown
    const other = await sender.put(stepBinding({ ...job, key: "t" }, "input"), { parameters: { clause: "forged" } });
    worker.prefetch(other, binding); // another step's sealed text announced under this binding
    await expect(worker.get(ref, binding)).resolves.toEqual({ parameters: { clause: "Section 4.2" } });
    expect(worker.prefetchHits).toBe(2); // the genuine text was opened anew
  });

  it("prefetches nothing but sealed payloads (a file could be rewritten between), and keeps at most 32", async () => {
    const worker = new FilePayloads(dir, undefined, { keyCipher: contentCipherFromKey });
    const binding = stepBinding(job, "input");
    worker.prefetch({ file: "00/run-1+s.1.input.json" }, binding);
    worker.prefetch({ inline: { parameters: {} } }, binding);
    const sealed = await worker.put(binding, { parameters: {} });
    for (let i = 0; i < 40; i++) worker.prefetch({ sealed: `b1.${"A".repeat(40)}${i}` }, binding);
    worker.prefetch(sealed, binding); // the newest: kept
    await worker.get(sealed, binding);
    expect(worker.prefetchHits).toBe(1);
  });
});
