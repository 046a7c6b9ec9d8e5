// Reads V8 heap snapshots (bench/api-soak.ts SOAK_SNAPSHOTS, node --heapsnapshot-signal) and prints the self size and
// count of their objects by constructor (node type and name), and with two or more snapshots the growth from the
// first to the last, largest first: what an instance keeps as it serves more runs.
// Usage: node --import tsx bench/heap-by-constructor.ts a.heapsnapshot [b.heapsnapshot ...] [--top=30]
import fs from "node:fs";

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Self bytes and count per "type:name" (strings by type only: their names are their contents). */
function byConstructor(file: string): Map<string, { bytes: number; count: number }> {
  const snap = JSON.parse(fs.readFileSync(file, "utf8")) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt, width] = [fields.indexOf("type"), fields.indexOf("name"), fields.indexOf("self_size"), fields.length];
  const out = new Map<string, { bytes: number; count: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!]!;
    const key = type === "string" || type === "concatenated string" || type === "sliced string" || type === "number" ? type : `${type}:${snap.strings[snap.nodes[i + nameAt]!]!.slice(0, 60)}`;
    const entry = out.get(key) ?? { bytes: 0, count: 0 };
    entry.bytes += snap.nodes[i + sizeAt]!;
    entry.count++;
    out.set(key, entry);
  }
  return out;
}

const args = process.argv.slice(2);
const top = Number(args.find((a) => a.startsWith("--top="))?.slice(6) ?? 30);
const files = args.filter((a) => !a.startsWith("--"));
const maps = files.map(byConstructor);
const kb = (n: number): string => (n / 1024).toFixed(0);
const last = maps.at(-1)!;
if (maps.length === 1) {
  console.log("| constructor | self kB | count |");
  console.log("|---|---|---|");
  for (const [k, v] of [...last].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top)) console.log(`| ${k} | ${kb(v.bytes)} | ${v.count} |`);
} else {
  const first = maps[0]!;
  const total = (m: Map<string, { bytes: number }>): number => [...m.values()].reduce((a, b) => a + b.bytes, 0);
  console.log(`total self size: ${maps.map((m) => `${kb(total(m))} kB`).join(" → ")} (${files.join(" → ")})`);
  console.log(`| constructor | ${files.map((_, i) => `self kB #${i + 1}`).join(" | ")} | ${files.map((_, i) => `count #${i + 1}`).join(" | ")} |`);
  console.log(`|---|${files.map(() => "---|").join("")}${files.map(() => "---|").join("")}`);
  const growth = [...last.keys()].map((k) => ({ k, d: last.get(k)!.bytes - (first.get(k)?.bytes ?? 0) })).sort((a, b) => b.d - a.d);
  for (const { k } of growth.slice(0, top)) console.log(`| ${k} | ${maps.map((m) => kb(m.get(k)?.bytes ?? 0)).join(" | ")} | ${maps.map((m) => m.get(k)?.count ?? 0).join(" | ")} |`);
}
