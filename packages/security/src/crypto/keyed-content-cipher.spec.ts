import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { jest } from "@jest/globals";
import fc from "fast-check";
import { DecryptionError } from "../errors";
import { KeyEncryptionKey } from "./key-encryption-key";
import { contentCipherFromKey, KeyedContentCipher } from "./keyed-content-cipher";

const cipherUnder = (key: Buffer) => new KeyedContentCipher(KeyEncryptionKey.fromBytes(key));
const key = randomBytes(32);
const cipher = cipherUnder(key);

describe("KeyedContentCipher (core ContentCipher)", () => {
  it("open(seal(x)) is x for any text, and the sealed form never contains it", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => {
        const sealed = cipher.seal(text);
        expect(cipher.open(sealed)).toBe(text);
        if (text.length >= 4) expect(sealed.includes(text)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("seals equal texts differently (a fresh nonce each time)", () => {
    expect(cipher.seal("Section 12.3 Termination")).not.toBe(cipher.seal("Section 12.3 Termination"));
  });

  it("refuses any altered character of a sealed value with DecryptionError", () => {
    const sealed = cipher.seal("The Tenant shall pay rent monthly.");
    fc.assert(
      fc.property(fc.integer({ min: 3, max: sealed.length - 1 }), fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), (at, ch) => {
        fc.pre(sealed[at] !== ch);
        const altered = sealed.slice(0, at) + ch + sealed.slice(at + 1);
        let opened: string | undefined;
        try {
          opened = cipher.open(altered);
        } catch (error) {
          expect(error).toBeInstanceOf(DecryptionError);
          return;
        }
        // base64url's last character may carry unused bits: then the bytes, and the text, are unchanged.
        expect(opened).toBe("The Tenant shall pay rent monthly.");
      }),
      { numRuns: 200 },
    );
  });

  it("refuses another key, and values that are not sealed, with an actionable message", () => {
    const sealed = cipher.seal("privileged");
    expect(() => cipherUnder(randomBytes(32)).open(sealed)).toThrow(/key is wrong or the data was altered/);
    expect(() => cipher.open("privileged")).toThrow(DecryptionError);
    expect(() => cipher.open("b1.AAAA")).toThrow(/truncated/);
  });

  it("binds a context: a value opens only with the context it was sealed for (none is a context of its own)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (text, a, b) => {
        const sealed = cipher.seal(text, a);
        expect(cipher.open(sealed, a)).toBe(text);
        if (a !== b) expect(() => cipher.open(sealed, b)).toThrow(DecryptionError);
        expect(() => cipher.open(sealed)).toThrow(/sealed for another context|altered/);
        expect(() => cipher.open(cipher.seal(text), a)).toThrow(DecryptionError);
      }),
      { numRuns: 150 },
    );
    // values sealed before contexts existed still open as they did
    expect(cipher.open(cipher.seal("privileged"))).toBe("privileged");
  });

  it("gives deterministic, key-dependent blind tokens of lowercase hex", () => {
    const other = cipherUnder(randomBytes(32));
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), (a, b) => {
        expect(cipher.blindTerm(a)).toBe(cipher.blindTerm(a));
        expect(cipher.blindTerm(a)).toMatch(/^[0-9a-f]{20}$/);
        expect(other.blindTerm(a)).not.toBe(cipher.blindTerm(a));
        if (a.normalize("NFC") !== b.normalize("NFC")) expect(cipher.blindTerm(a)).not.toBe(cipher.blindTerm(b));
      }),
    );
  });

  it("keeps the sealed form: values sealed the way before open, and its seals open the way before (AES-256-GCM, b1.<iv|tag|body>)", () => {
    // the sealing key as the cipher derives it, and the format as it was written before seals were prepared
    const sealKey = Buffer.from(hkdfSync("sha256", key, Buffer.from("@bear/security:content-cipher"), Buffer.from("seal"), 32));
    const label = Buffer.from("@bear/security:sealed-content:v1");
    const aad = (context?: string): Buffer => (context === undefined ? label : Buffer.concat([label, Buffer.from([0]), Buffer.from(context, "utf8")]));
    const sealBefore = (text: string, context?: string): string => {
      const iv = randomBytes(12);
      const c = createCipheriv("aes-256-gcm", sealKey, iv);
      c.setAAD(aad(context));
      const body = Buffer.concat([c.update(text, "utf8"), c.final()]);
      return "b1." + Buffer.concat([iv, c.getAuthTag(), body]).toString("base64url");
    };
    const openBefore = (sealed: string, context?: string): string => {
      const raw = Buffer.from(sealed.slice(3), "base64url");
      const d = createDecipheriv("aes-256-gcm", sealKey, raw.subarray(0, 12));
      d.setAAD(aad(context));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString("utf8");
    };
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), fc.option(fc.string({ unit: "binary", maxLength: 60 }), { nil: undefined }), (text, context) => {
        expect(cipher.open(sealBefore(text, context), context)).toBe(text);
        expect(openBefore(cipher.seal(text, context), context)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it("makes the next seal's context once the event loop turns, off the caller's path, and seals every value under a nonce of its own", async () => {
    const own = cipherUnder(randomBytes(32));
    expect(own.sealPrepared).toBe(false); // nothing is made before the first seal
    own.seal("first");
    expect(own.sealPrepared).toBe(false); // not on the caller's path
    await new Promise((resolve) => setImmediate(resolve));
    expect(own.sealPrepared).toBe(true);
    const nonces = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const text = `clause ${i}`;
      const sealed = own.seal(text, "ctx");
      expect(own.sealPrepared).toBe(false); // the prepared context is used once
      expect(own.open(sealed, "ctx")).toBe(text);
      nonces.add(Buffer.from(sealed.slice(3), "base64url").subarray(0, 12).toString("hex"));
      // every other seal right after the last, before the loop turns: made on the spot, as before
      if (i % 2 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(nonces.size).toBe(400);
    // a seal that throws (a context that is no string) still uses the prepared context up, never twice
    await new Promise((resolve) => setImmediate(resolve));
    expect(() => own.seal("x", 42 as never)).toThrow(/context is a string/);
    expect(own.sealPrepared).toBe(true); // refused before the context was taken
    own.seal("y");
    own.dispose();
    await new Promise((resolve) => setImmediate(resolve));
    expect(own.sealPrepared).toBe(false); // nothing is made from a disposed key
    expect(() => own.seal("x")).toThrow(/disposed/);
  });

  it("frees the prepared context's key schedule when disposed, not when it is garbage-collected", async () => {
    const own = cipherUnder(randomBytes(32));
    own.seal("x");
    await new Promise((resolve) => setImmediate(resolve));
    expect(own.sealPrepared).toBe(true);
    // node frees a cipher's OpenSSL context (its AES key schedule) in final(): the prepared one is finished on dispose
    const gcmPrototype = Object.getPrototypeOf(createCipheriv("aes-256-gcm", randomBytes(32), randomBytes(12))) as { final: () => Buffer };
    const finals = jest.spyOn(gcmPrototype, "final");
    try {
      own.dispose();
      expect(finals).toHaveBeenCalledTimes(1);
      expect(own.sealPrepared).toBe(false);
    } finally {
      finals.mockRestore();
    }
  });

  it("keys the index by the KEK's id and is unusable once disposed", () => {
    const kek = KeyEncryptionKey.fromBytes(key);
    const own = new KeyedContentCipher(kek);
    expect(own.keyId).toBe(kek.id);
    own.dispose();
    expect(() => own.seal("x")).toThrow(/disposed/);
  });
});

describe("contentCipherFromKey (a cipher over a raw key, e.g. a cluster's payload key)", () => {
  it("seals as the KeyedContentCipher over that key does, and zeroises the KeyEncryptionKey it made before returning", () => {
    const original = KeyEncryptionKey.prototype.dispose;
    const made: Array<{ kek: KeyEncryptionKey; bytes: Buffer }> = [];
    const spy = jest.spyOn(KeyEncryptionKey.prototype, "dispose").mockImplementation(function (this: KeyEncryptionKey) {
      made.push({ kek: this, bytes: this.bytes }); // the key's own buffer, read before it is zeroed
      original.call(this);
    });
    let own: KeyedContentCipher;
    try {
      own = contentCipherFromKey(key);
    } finally {
      spy.mockRestore();
    }
    expect(made).toHaveLength(1);
    expect(made[0]!.bytes.equals(Buffer.alloc(32))).toBe(true);
    expect(() => made[0]!.kek.bytes).toThrow(/disposed/);
    expect(key.equals(Buffer.alloc(32))).toBe(false); // the caller's key is left to the caller
    // the derived keys outlive the KEK: same key id, and each opens what the other sealed
    expect(own.keyId).toBe(cipher.keyId);
    expect(own.open(cipher.seal("Clause 4.1 Payment", "run-1"), "run-1")).toBe("Clause 4.1 Payment");
    expect(cipher.open(own.seal("Clause 4.2 Interest"))).toBe("Clause 4.2 Interest");
    expect(own.blindTerm("payment")).toBe(cipher.blindTerm("payment"));
    own.dispose();
  });

  it("refuses a key that is not 32 bytes, with KeyError", () => {
    expect(() => contentCipherFromKey(new Uint8Array(16))).toThrow(expect.objectContaining({ code: "KEY_INVALID" }));
  });
});
