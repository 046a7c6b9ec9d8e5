import type { Command } from "commander";
import type { CacheKind, CacheStats } from "@bear/core";
import { CliError } from "../cli-error";
import { CLI_ACTOR, CommandContext } from "../context";
import { bold, green } from "../output";
import { formatBytes } from "../progress";

const KINDS: readonly CacheKind[] = ["embedding", "search", "generation", "review"];

export function registerCacheCommand(program: Command): void {
  const cache = program
    .command("cache")
    .description("the workspace's cache of embeddings, search results, deterministic generations and reviews")
    .addHelpText("after", "\nExamples:\n  bear cache stats\n  bear cache clear\n  bear cache clear --kind search");
  cache
    .command("stats")
    .description("what the cache holds (memory, disk or Redis) and its hit, miss and eviction counts")
    .action(async (_flags: unknown, command: Command) => {
      const ctx = CommandContext.of(command);
      await ctx.requireWorkspace();
      const stats = await ctx.withWorkspace({ llm: false }, (workspace) => workspace.cacheStats());
      ctx.emit(stats, () => renderCacheStats(stats));
    });
  cache
    .command("clear")
    .description("empty the cache (every kind, or one); a running `bear serve` drops its copy within a second")
    .option("--kind <kind>", `only one kind: ${KINDS.join(", ")}`)
    .addHelpText("after", "\nExamples:\n  bear cache clear\n  bear cache clear --kind review\n\nThe clear is recorded in the audit log.")
    .action(async (flags: { kind?: string }, command: Command) => {
      const ctx = CommandContext.of(command);
      const kind = parseKind(flags.kind);
      await ctx.requireWorkspace();
      await ctx.withWorkspace({ llm: false }, (workspace) => workspace.clearCache(CLI_ACTOR, kind));
      ctx.emit({ cleared: kind ?? "all" }, () => `${green("Cleared")} the ${kind ? `${kind} ` : ""}cache.`);
    });
}

function parseKind(kind: string | undefined): CacheKind | undefined {
  if (kind === undefined) return undefined;
  if ((KINDS as readonly string[]).includes(kind)) return kind as CacheKind;
  throw new CliError("USAGE", `--kind must be one of ${KINDS.join(", ")}, not '${kind}'`);
}

/** One line per level and per kind: what people read in `bear cache stats` and `bear doctor`. */
export function cacheSummary(stats: CacheStats): string {
  const l2 = stats.l2;
  const where = !l2
    ? "memory only"
    : l2.error
      ? `${l2.backend} L2 unreachable (${l2.error})`
      : `${l2.backend} L2${l2.sealed ? " (sealed)" : ""}: ${l2.entries ?? "?"} entries${l2.bytes === undefined ? "" : `, ${formatBytes(l2.bytes)}${l2.maxBytes ? ` of ${formatBytes(l2.maxBytes)}` : ""}`}`;
  const totals = stats.lifetime ?? stats.kinds;
  const hits = KINDS.reduce((n, k) => n + totals[k].l1Hits + totals[k].l2Hits, 0);
  const lookups = hits + KINDS.reduce((n, k) => n + totals[k].misses, 0);
  return `${where}; L1 ${formatBytes(stats.l1.maxBytes)} cap; ${lookups ? `${Math.round((100 * hits) / lookups)}% hits of ${lookups} lookups` : "no lookups yet"}${stats.lifetime ? " (all processes)" : ""}`;
}

export function renderCacheStats(stats: CacheStats): string {
  const lines = [bold("Cache"), `  ${cacheSummary(stats)}`, `  L1 (this process): ${stats.l1.entries} entries, ${formatBytes(stats.l1.bytes)} of ${formatBytes(stats.l1.maxBytes)}`];
  if (stats.l2?.location) lines.push(`  L2: ${stats.l2.location}`);
  const totals = stats.lifetime ?? stats.kinds;
  lines.push(`  ${"kind".padEnd(11)}${"L1 hits".padStart(9)}${"L2 hits".padStart(9)}${"misses".padStart(9)}${"evicted".padStart(9)}${"expired".padStart(9)}`);
  for (const k of KINDS) {
    const c = totals[k];
    lines.push(`  ${k.padEnd(11)}${String(c.l1Hits).padStart(9)}${String(c.l2Hits).padStart(9)}${String(c.misses).padStart(9)}${String(c.evictions).padStart(9)}${String(c.expired).padStart(9)}`);
  }
  if (stats.lifetime) lines.push("  (counts of every process that used this cache, since it was created)");
  return lines.join("\n");
}
