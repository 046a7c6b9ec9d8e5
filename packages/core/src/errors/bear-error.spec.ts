import { describe, expect, it } from "@jest/globals";
import { BearError } from "./bear-error";
import { ConfigError, OfflineViolationError, PathOutsideWorkspaceError } from "./core-errors";

describe("BearError", () => {
  it("carries a stable code, a hint and the wrapped cause", () => {
    const cause = new Error("ENOENT");
    const error = new BearError("SOMETHING_BROKE", "model file 'x.gguf' is missing", { hint: "run bear models pull", cause });
    expect(error.code).toBe("SOMETHING_BROKE");
    expect(error.hint).toBe("run bear models pull");
    expect(error.cause).toBe(cause);
    expect(error.name).toBe("BearError");
    expect(error.describe()).toBe("model file 'x.gguf' is missing\n  hint: run bear models pull");
  });

  it("serialises to JSON without the cause or stack", () => {
    const json = JSON.parse(JSON.stringify(new OfflineViolationError("example.com", "fetch")));
    expect(json).toEqual({
      name: "OfflineViolationError",
      code: "OFFLINE_VIOLATION",
      message: expect.stringContaining("example.com"),
      hint: expect.any(String),
      details: { target: "example.com", via: "fetch" },
    });
  });

  it("recognises instances across package copies by brand, not by prototype", () => {
    const foreign = Object.assign(Object.create(Error.prototype), { [Symbol.for("@bear/core:BearError")]: true });
    expect(BearError.isInstance(foreign)).toBe(true);
    expect(BearError.isInstance(new Error("plain"))).toBe(false);
    expect(BearError.isInstance(null)).toBe(false);
    expect(BearError.isInstance(new ConfigError("CONFIG_INVALID", "bad"))).toBe(true);
  });

  it("subclasses keep their own name and are instanceof BearError", () => {
    const error = new PathOutsideWorkspaceError("../etc/passwd", "/ws", "it climbs out with '..'");
    expect(error).toBeInstanceOf(BearError);
    expect(error.name).toBe("PathOutsideWorkspaceError");
    expect(error.message).toContain("../etc/passwd");
  });
});
