import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { bindOrder } from "./containment";

describe("bindOrder", () => {
  it("binds a read-only folder after the read-write grant that holds it, so it stays read-only", () => {
    expect(bindOrder({ readOnly: ["/ws/plugins/p", "/opt/runner.mjs"], readWrite: ["/ws"] })).toEqual([
      { path: "/ws", writable: true },
      { path: "/opt/runner.mjs", writable: false },
      { path: "/ws/plugins/p", writable: false },
    ]);
  });

  it("binds a path granted both ways once, read-write", () => {
    expect(bindOrder({ readOnly: ["/ws"], readWrite: ["/ws"] })).toEqual([{ path: "/ws", writable: true }]);
  });

  it("always binds a folder after every folder that contains it", () => {
    const segment = fc.constantFrom("a", "b", "c");
    const folder = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join("/")}`);
    fc.assert(
      fc.property(fc.array(folder, { maxLength: 6 }), fc.array(folder, { maxLength: 6 }), (readOnly, readWrite) => {
        const order = bindOrder({ readOnly, readWrite }).map((b) => b.path);
        expect(new Set(order).size).toBe(order.length);
        order.forEach((p, i) => order.slice(i + 1).forEach((later) => expect(p.startsWith(`${later}/`)).toBe(false)));
      }),
    );
  });
});
