import { randomBytes } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { DocumentIds } from "./document-ids";

describe("DocumentIds", () => {
  it("keeps a copy of its key (the caller's is the caller's), zeroes it on dispose and computes no id after", () => {
    const key = randomBytes(32);
    const given = Buffer.from(key);
    const ids = new DocumentIds(given);
    const id = ids.of("acme", "/data/lease.pdf");
    given.fill(0); // the caller zeroing its own key changes nothing here
    expect(ids.of("acme", "/data/lease.pdf")).toBe(id);
    ids.dispose();
    expect(() => ids.of("acme", "/data/lease.pdf")).toThrow(expect.objectContaining({ code: "DISPOSED" }));
    expect(() => ids.resolve("acme", "/data/lease.pdf", () => false)).toThrow(expect.objectContaining({ code: "DISPOSED" }));
    // the same key in a new holder gives the same id: the disposed one's copy was zeroed, not the derivation changed
    expect(new DocumentIds(key).of("acme", "/data/lease.pdf")).toBe(id);
  });
});
