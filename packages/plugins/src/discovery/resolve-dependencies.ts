import semver from "semver";
import { PluginDependencyError } from "../errors";

/** The part of a plugin the resolver looks at. */
export interface DependencyNode {
  readonly manifest: { readonly name: string; readonly version: string; readonly dependencies: Readonly<Record<string, string>> };
}

export interface LoadOrder<T extends DependencyNode> {
  /** Plugins whose dependencies are all satisfiable, every dependency before its dependents. */
  readonly order: T[];
  /** One error per plugin that cannot be loaded, naming the dependency at fault. */
  readonly problems: PluginDependencyError[];
}

/**
 * Orders plugins so each comes after the plugins it depends on. A plugin with a missing,
 * incompatible (semver) or cyclic dependency is left out with an error, and so is every plugin
 * that depends on it, directly or not; all the others are kept. `available` lists plugins that are
 * already running and may satisfy dependencies without being part of the order.
 */
export function resolveLoadOrder<T extends DependencyNode>(plugins: readonly T[], available: readonly DependencyNode[] = []): LoadOrder<T> {
  const byName = new Map<string, DependencyNode>();
  for (const p of available) byName.set(p.manifest.name, p);
  for (const p of plugins) byName.set(p.manifest.name, p);
  const candidates = new Set(plugins.map((p) => p.manifest.name));
  const failed = new Map<string, PluginDependencyError>();

  for (const p of plugins) {
    for (const [dep, range] of Object.entries(p.manifest.dependencies)) {
      const target = byName.get(dep);
      if (target === undefined) {
        failed.set(p.manifest.name, new PluginDependencyError(p.manifest.name, dep, "missing", `${range} is not installed`));
        break;
      }
      if (!semver.satisfies(target.manifest.version, range, { includePrerelease: true })) {
        failed.set(p.manifest.name, new PluginDependencyError(p.manifest.name, dep, "incompatible", `${range} is not satisfied by the installed version ${target.manifest.version}`));
        break;
      }
    }
  }

  // Cycles, among the candidates (running plugins were ordered when they were loaded).
  const colour = new Map<string, "grey" | "black">();
  const stack: string[] = [];
  const visit = (name: string): void => {
    colour.set(name, "grey");
    stack.push(name);
    const node = byName.get(name);
    for (const dep of Object.keys(node?.manifest.dependencies ?? {})) {
      if (!candidates.has(dep)) continue;
      const c = colour.get(dep);
      if (c === "grey") {
        const cycle = [...stack.slice(stack.indexOf(dep)), dep];
        for (let i = 0; i < cycle.length - 1; i++) {
          const member = cycle[i] as string;
          if (failed.get(member)?.problem === "cycle") continue;
          failed.set(member, new PluginDependencyError(member, cycle[i + 1] as string, "cycle", `forms a dependency cycle: ${cycle.join(" -> ")}`));
        }
      } else if (c === undefined) {
        visit(dep);
      }
    }
    stack.pop();
    colour.set(name, "black");
  };
  for (const name of [...candidates].sort()) if (!colour.has(name)) visit(name);

  // Everything that depends on a failed plugin fails too.
  let changed = true;
  while (changed) {
    changed = false;
    for (const p of plugins) {
      if (failed.has(p.manifest.name)) continue;
      const bad = Object.keys(p.manifest.dependencies).find((d) => failed.has(d));
      if (bad !== undefined) {
        failed.set(p.manifest.name, new PluginDependencyError(p.manifest.name, bad, "unavailable", `cannot be loaded (${failed.get(bad)?.code})`));
        changed = true;
      }
    }
  }

  // Kahn's algorithm over the rest, alphabetical among equals so the order is stable.
  const remaining = new Map(plugins.filter((p) => !failed.has(p.manifest.name)).map((p) => [p.manifest.name, p]));
  const order: T[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining.values()]
      .filter((p) => Object.keys(p.manifest.dependencies).every((d) => !remaining.has(d)))
      .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
    /* c8 ignore next */ if (ready.length === 0) break; // unreachable: cycles were removed above
    for (const p of ready) {
      order.push(p);
      remaining.delete(p.manifest.name);
    }
  }
  return { order, problems: [...failed.values()] };
}
