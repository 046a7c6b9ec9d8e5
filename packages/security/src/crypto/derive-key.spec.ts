import { deriveKey } from "./derive-key";

describe("deriveKey", () => {
  const master = Buffer.alloc(32, 9);
  it("gives 32 bytes, stable per purpose, different across purposes and masters", () => {
    const a = deriveKey(master, "rag/document-id");
    expect(a).toHaveLength(32);
    expect(deriveKey(master, "rag/document-id").equals(a)).toBe(true);
    expect(deriveKey(master, "other").equals(a)).toBe(false);
    expect(deriveKey(Buffer.alloc(32, 8), "rag/document-id").equals(a)).toBe(false);
    expect(a.equals(master)).toBe(false);
  });
  it("refuses a short master key and an odd purpose", () => {
    expect(() => deriveKey(Buffer.alloc(16), "x")).toThrow(/at least 32 bytes/);
    expect(() => deriveKey(master, "Has Spaces")).toThrow(/purpose/);
  });
});
