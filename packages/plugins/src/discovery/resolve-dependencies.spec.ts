import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { resolveLoadOrder, type DependencyNode } from "./resolve-dependencies";

const node = (name: string, dependencies: Record<string, string> = {}, version = "1.0.0"): DependencyNode => ({ manifest: { name, version, dependencies } });
const names = (nodes: readonly DependencyNode[]): string[] => nodes.map((n) => n.manifest.name);

describe("resolveLoadOrder", () => {
  it("puts every dependency before its dependents", () => {
    const { order, problems } = resolveLoadOrder([node("c", { b: "^1" }), node("b", { a: "^1" }), node("a"), node("d")]);
    expect(problems).toEqual([]);
    expect(names(order)).toEqual(["a", "d", "b", "c"]);
  });

  it("reports a missing dependency and skips the plugin and its dependents, keeping the rest", () => {
    const { order, problems } = resolveLoadOrder([node("app", { lib: "^1" }), node("lib", { ghost: "^2.0.0" }), node("solo")]);
    expect(names(order)).toEqual(["solo"]);
    expect(problems.map((p) => [p.plugin, p.code, p.field])).toEqual([
      ["lib", "PLUGIN_DEPENDENCY_MISSING", "dependencies.ghost"],
      ["app", "PLUGIN_DEPENDENCY_UNAVAILABLE", "dependencies.lib"],
    ]);
    expect(problems[0]?.message).toBe("plugin 'lib': dependencies.ghost ^2.0.0 is not installed");
  });

  it("reports a dependency whose version does not satisfy the range", () => {
    const { order, problems } = resolveLoadOrder([node("app", { lib: "^2.0.0" }), node("lib", {}, "1.4.0")]);
    expect(names(order)).toEqual(["lib"]);
    expect(problems[0]?.message).toBe("plugin 'app': dependencies.lib ^2.0.0 is not satisfied by the installed version 1.4.0");
  });

  it("reports every member of a cycle and loads the plugins outside it", () => {
    const { order, problems } = resolveLoadOrder([node("a", { b: "*" }), node("b", { c: "*" }), node("c", { a: "*" }), node("d", { a: "*" }), node("e")]);
    expect(names(order)).toEqual(["e"]);
    const byPlugin = Object.fromEntries(problems.map((p) => [p.plugin, p.code]));
    expect(byPlugin).toEqual({ a: "PLUGIN_DEPENDENCY_CYCLE", b: "PLUGIN_DEPENDENCY_CYCLE", c: "PLUGIN_DEPENDENCY_CYCLE", d: "PLUGIN_DEPENDENCY_UNAVAILABLE" });
    expect(problems.find((p) => p.plugin === "a")?.message).toContain("a -> b -> c -> a");
  });

  it("lets already running plugins satisfy dependencies without reloading them", () => {
    const { order, problems } = resolveLoadOrder([node("app", { lib: "^1.2.0" })], [node("lib", {}, "1.3.0")]);
    expect(problems).toEqual([]);
    expect(names(order)).toEqual(["app"]);
  });

  it("orders any acyclic graph so that each plugin follows its dependencies, and drops none", () => {
    // Random DAGs: plugin i may depend only on plugins with a smaller index.
    const dag = fc.integer({ min: 1, max: 12 }).chain((n) =>
      fc.tuple(...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (_, j) => j)))).map((deps) =>
        deps.map((d, i) => node(`p${i}`, Object.fromEntries(d.map((j) => [`p${j}`, "^1.0.0"])))),
      ),
    );
    fc.assert(
      fc.property(dag, fc.func(fc.integer()), (nodes, shuffleKey) => {
        const shuffled = [...nodes].sort((a, b) => shuffleKey(a.manifest.name) - shuffleKey(b.manifest.name));
        const { order, problems } = resolveLoadOrder(shuffled);
        expect(problems).toEqual([]);
        expect(order).toHaveLength(nodes.length);
        const position = new Map(order.map((n, i) => [n.manifest.name, i]));
        for (const n of nodes) for (const dep of Object.keys(n.manifest.dependencies)) expect(position.get(dep)).toBeLessThan(position.get(n.manifest.name) as number);
      }),
    );
  });
});
