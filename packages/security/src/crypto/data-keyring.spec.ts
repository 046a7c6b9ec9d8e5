import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { DataKeyring } from "./data-keyring";
import { KeyEncryptionKey } from "./key-encryption-key";
import { KeyedContentCipher } from "./keyed-content-cipher";

let dir: string;
let kek: KeyEncryptionKey;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-keys-"));
  kek = KeyEncryptionKey.fromBytes(randomBytes(32));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("DataKeyring (one data key per document)", () => {
  it("opens what it sealed, for that document only", () => {
    const ring = new DataKeyring({ dir, kek });
    expect(() => ring.open("doc-b", ring.seal("doc-a", "x"))).toThrow(expect.objectContaining({ code: "DATA_KEY_DESTROYED" })); // doc-b has none yet
    for (const id of ["doc-b", "doc-c"]) ring.seal(id, "");
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.constantFrom("doc-a", "doc-b", "doc-c"), (text, id) => {
        const sealed = ring.seal(id, text);
        expect(sealed.startsWith("d1.")).toBe(true);
        expect(ring.open(id, sealed)).toBe(text);
        const other = id === "doc-a" ? "doc-b" : "doc-a";
        expect(() => ring.open(other, sealed)).toThrow(expect.objectContaining({ code: "DECRYPTION_FAILED" }));
      }),
    );
    expect(fs.readdirSync(dir).filter((f) => f.endsWith(".key"))).toHaveLength(3);
    for (const f of fs.readdirSync(dir)) expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
  });

  it("destroy makes the sealed text unopenable, for this and every later instance on the folder", () => {
    const a = new DataKeyring({ dir, kek });
    const b = new DataKeyring({ dir, kek });
    const sealed = a.seal("doc", "Clause 7: the Quillfeather indemnity");
    expect(b.open("doc", sealed)).toContain("Quillfeather"); // another instance (process) reads the key file
    expect(a.destroy("doc")).toBe(true);
    expect(a.destroy("doc")).toBe(false);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(() => a.open("doc", sealed)).toThrow(expect.objectContaining({ code: "DATA_KEY_DESTROYED" }));
    expect(() => new DataKeyring({ dir, kek }).open("doc", sealed)).toThrow(expect.objectContaining({ code: "DATA_KEY_DESTROYED" }));
    // b still holds the old key in memory, but never seals with it again: a new key is made and stored.
    const again = b.seal("doc", "new text");
    expect(a.open("doc", again)).toBe("new text");
    expect(() => a.open("doc", sealed)).toThrow(expect.objectContaining({ code: "DECRYPTION_FAILED" }));
  });

  it("another workspace key cannot unwrap the data keys; text sealed before data keys still opens through the legacy cipher", () => {
    const legacy = new KeyedContentCipher(kek);
    const ring = new DataKeyring({ dir, kek, legacy });
    const sealed = ring.seal("doc", "text");
    const stranger = new DataKeyring({ dir, kek: KeyEncryptionKey.fromBytes(randomBytes(32)) });
    expect(() => stranger.open("doc", sealed)).toThrow(expect.objectContaining({ code: "DECRYPTION_FAILED" }));
    expect(ring.open("doc", legacy.seal("old row"))).toBe("old row");
  });
});
