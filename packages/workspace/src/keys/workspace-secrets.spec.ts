import { randomBytes } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { WorkspaceSecrets } from "./workspace-secrets";

const zero = Buffer.alloc(32);

describe("WorkspaceSecrets", () => {
  it("zeroes the keys it was given, every key it derived and its content key on dispose, and refuses to hand out keys after", () => {
    const keys = { auditKey: randomBytes(32), vaultKey: randomBytes(32), hashKey: randomBytes(32) };
    const secrets = new WorkspaceSecrets(keys);
    const a = secrets.derive("audit/content-id");
    const b = secrets.derive("rag/document-id");
    expect(a.equals(b)).toBe(false);
    expect(secrets.derive("audit/content-id").equals(a)).toBe(true); // stable per purpose
    const kek = secrets.contentKey();
    expect(secrets.contentKey()).toBe(kek); // one per open workspace
    expect(kek.bytes.equals(zero)).toBe(false);
    secrets.dispose();
    for (const key of [a, b, keys.auditKey, keys.vaultKey, keys.hashKey]) expect(key.equals(zero)).toBe(true);
    expect(() => kek.bytes).toThrow(/disposed/);
    expect(() => secrets.derive("cache/key")).toThrow(expect.objectContaining({ code: "DISPOSED" }));
    expect(() => secrets.keys).toThrow(expect.objectContaining({ code: "DISPOSED" }));
    expect(() => secrets.contentKey()).toThrow(expect.objectContaining({ code: "DISPOSED" }));
    secrets.dispose(); // twice is fine
  });
});
