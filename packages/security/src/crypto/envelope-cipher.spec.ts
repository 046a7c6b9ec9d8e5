import { randomBytes } from "node:crypto";
import type { AuditEvent } from "@bear/core";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { EnvelopeCipher, HEADER_BYTES } from "./envelope-cipher";
import { KeyEncryptionKey, newSalt } from "./key-encryption-key";
import { SecureBuffer } from "./secure-buffer";

const FAST = { N: 2 ** 14, r: 8, p: 1 };
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-enc-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("KeyEncryptionKey", () => {
  it("derives the same key from the same passphrase and salt, another from another salt", async () => {
    const salt = newSalt();
    const a = await KeyEncryptionKey.fromPassphrase("correct horse battery", salt, FAST);
    const b = await KeyEncryptionKey.fromPassphrase("correct horse battery", salt, FAST);
    const c = await KeyEncryptionKey.fromPassphrase("correct horse battery", newSalt(), FAST);
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(c.id);
  });
  it("refuses weak scrypt parameters and short passphrases", async () => {
    await expect(KeyEncryptionKey.fromPassphrase("correct horse", newSalt(), { N: 1024, r: 8, p: 1 })).rejects.toThrow(/too weak/);
    await expect(KeyEncryptionKey.fromPassphrase("short", newSalt(), FAST)).rejects.toThrow(/too short/);
  });
  it("reads key files in raw, hex and base64 form", async () => {
    const key = randomBytes(32);
    const ids = [];
    for (const [name, content] of [["raw", key], ["hex", key.toString("hex")], ["b64", key.toString("base64")]] as const) {
      fs.writeFileSync(path.join(dir, name), content);
      ids.push((await KeyEncryptionKey.fromKeyFile(path.join(dir, name))).id);
    }
    expect(new Set(ids).size).toBe(1);
    fs.writeFileSync(path.join(dir, "bad"), "abc");
    await expect(KeyEncryptionKey.fromKeyFile(path.join(dir, "bad"))).rejects.toThrow(/32 bytes/);
  });
});

describe("EnvelopeCipher", () => {
  const kek = KeyEncryptionKey.fromBytes(Buffer.alloc(32, 1));
  const other = KeyEncryptionKey.fromBytes(Buffer.alloc(32, 2));

  it("round-trips buffers with a fresh data key per object", () => {
    const c = new EnvelopeCipher(kek);
    const a = c.encrypt(Buffer.from("privileged memo"));
    const b = c.encrypt(Buffer.from("privileged memo"));
    expect(a.equals(b)).toBe(false);
    expect(c.decrypt(a).toString()).toBe("privileged memo");
  });

  it("fails clearly on a wrong key or any flipped byte", () => {
    const c = new EnvelopeCipher(kek);
    const sealed = c.encrypt(Buffer.from("x".repeat(100)));
    expect(() => new EnvelopeCipher(other).decrypt(sealed)).toThrow(/encrypted under key/);
    for (const at of [10, 40, HEADER_BYTES - 1, HEADER_BYTES + 5, sealed.length - 1]) {
      const t = Buffer.from(sealed);
      t[at] = (t[at] ?? 0) ^ 1;
      expect(() => c.decrypt(t)).toThrow(/cannot decrypt/);
    }
  });

  it("streams large files and decrypts them back identically", async () => {
    const src = path.join(dir, "big.bin");
    fs.writeFileSync(src, randomBytes(5 * 1024 * 1024 + 7));
    const c = new EnvelopeCipher(kek, { root: dir });
    await c.encryptFile("big.bin", "big.enc");
    await c.decryptFile("big.enc", "big.out");
    expect(fs.readFileSync(path.join(dir, "big.out")).equals(fs.readFileSync(src))).toBe(true);
  });

  it("writes no plaintext when a file is tampered with or the key is wrong", async () => {
    fs.writeFileSync(path.join(dir, "a.txt"), "settlement terms ".repeat(10000));
    const c = new EnvelopeCipher(kek, { root: dir });
    await c.encryptFile("a.txt", "a.enc");
    const enc = fs.readFileSync(path.join(dir, "a.enc"));
    enc[HEADER_BYTES + 1000] = (enc[HEADER_BYTES + 1000] ?? 0) ^ 0xff;
    fs.writeFileSync(path.join(dir, "t.enc"), enc);
    await expect(c.decryptFile("t.enc", "t.out")).rejects.toThrow(/no plaintext was written/);
    await expect(new EnvelopeCipher(other, { root: dir }).decryptFile("a.enc", "w.out")).rejects.toThrow(/cannot decrypt/);
    expect(fs.readdirSync(dir).sort()).toEqual(["a.enc", "a.txt", "t.enc"]);
  });

  it("never creates a plaintext file, even briefly, when the last byte of a large file is tampered with", async () => {
    fs.writeFileSync(path.join(dir, "big.txt"), randomBytes(3 * 1024 * 1024));
    const c = new EnvelopeCipher(kek, { root: dir });
    await c.encryptFile("big.txt", "big.enc");
    const enc = fs.readFileSync(path.join(dir, "big.enc"));
    const at = enc.length - 17; // last ciphertext byte, just before the tag
    enc[at] = (enc[at] ?? 0) ^ 1;
    fs.writeFileSync(path.join(dir, "late.enc"), enc);
    const created: string[] = [];
    const watcher = fs.watch(dir, (_event, name) => name && created.push(String(name)));
    try {
      await expect(c.decryptFile("late.enc", "late.out")).rejects.toThrow(/no plaintext was written/);
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      watcher.close();
    }
    expect(created.filter((n) => n.startsWith("late.out"))).toEqual([]);
  });

  it("round-trips an empty file", async () => {
    fs.writeFileSync(path.join(dir, "empty.txt"), "");
    const c = new EnvelopeCipher(kek, { root: dir });
    await c.encryptFile("empty.txt", "empty.enc");
    expect(fs.statSync(path.join(dir, "empty.enc")).size).toBe(HEADER_BYTES + 16);
    await c.decryptFile("empty.enc", "empty.out");
    expect(fs.readFileSync(path.join(dir, "empty.out")).length).toBe(0);
  });

  it("re-wraps the data key under a new KEK without re-encrypting the data", async () => {
    fs.writeFileSync(path.join(dir, "r.txt"), "rotate me");
    const c = new EnvelopeCipher(kek, { root: dir });
    await c.encryptFile("r.txt", "r.enc");
    const before = fs.readFileSync(path.join(dir, "r.enc"));
    await c.rewrapFile("r.enc", other);
    const after = fs.readFileSync(path.join(dir, "r.enc"));
    expect(after.subarray(HEADER_BYTES).equals(before.subarray(HEADER_BYTES))).toBe(true);
    await new EnvelopeCipher(other, { root: dir }).decryptFile("r.enc", "r.out");
    expect(fs.readFileSync(path.join(dir, "r.out"), "utf8")).toBe("rotate me");
    await expect(c.decryptFile("r.enc", "r2.out")).rejects.toThrow(/encrypted under key/);
  });

  it("audits every key use, failures included, without file names or content", async () => {
    const events: AuditEvent[] = [];
    const audit = { record: async (e: AuditEvent) => void events.push(e) };
    fs.writeFileSync(path.join(dir, "client-memo.txt"), "privileged");
    const c = new EnvelopeCipher(kek, { root: dir, audit });
    await c.encryptFile("client-memo.txt", "m.enc");
    await expect(new EnvelopeCipher(other, { root: dir, audit }).decryptFile("m.enc", "m.out")).rejects.toThrow(/cannot decrypt/);
    await c.rewrapFile("m.enc", other);
    expect(events.map((e) => [e.action, e.outcome, e.details?.["operation"]])).toEqual([
      ["key.use", "success", "encrypt-file"],
      ["key.use", "failure", "decrypt-file"],
      ["key.use", "success", "rewrap"],
    ]);
    expect(events[2]?.details).toEqual({ operation: "rewrap", kek: `k-${kek.id}`, next: `k-${other.id}` });
    expect(JSON.stringify(events)).not.toMatch(/client-memo|privileged/);
  });

  it("refuses paths outside its root", async () => {
    await expect(new EnvelopeCipher(kek, { root: dir }).encryptFile("../etc.txt", "x.enc")).rejects.toThrow(/outside the workspace/);
  });

  it("adds only the 89-byte header and the 16-byte tag to the data", () => {
    const sealed = new EnvelopeCipher(kek).encrypt(Buffer.alloc(1000));
    expect(sealed.length).toBe(HEADER_BYTES + 1000 + 16);
  });
});

describe("SecureBuffer", () => {
  it("zeroes its bytes on dispose and refuses use afterwards", () => {
    const s = SecureBuffer.from(Buffer.from([1, 2, 3, 4]));
    const view = s.buffer;
    s.dispose();
    expect([...view]).toEqual([0, 0, 0, 0]);
    expect(() => s.buffer).toThrow(/disposed/);
  });
  it("is disposed at the end of a using block", () => {
    let view: Buffer | undefined;
    {
      using s = SecureBuffer.random(16);
      view = s.buffer;
    }
    expect(view.every((b) => b === 0)).toBe(true);
  });
});
