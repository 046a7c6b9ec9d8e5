#!/usr/bin/env node
// Reads `nx graph --file=graph.json` and fails on what the layering forbids: dependency cycles,
// and any project depending on an app (apps only sit on top), except an app on an app tagged
// `app:embeddable` (the CLI's `bear serve` embeds the server). Prints the layering it found.
import fs from "node:fs";

const file = process.argv[2] ?? "graph.json";
const { graph } = JSON.parse(fs.readFileSync(file, "utf8"));
const projects = Object.keys(graph.nodes).filter((n) => !n.startsWith("npm:"));
const edges = new Map(projects.map((p) => [p, (graph.dependencies[p] ?? []).map((d) => d.target).filter((t) => projects.includes(t))]));
const tagsOf = (p) => graph.nodes[p].data?.tags ?? [];
const isApp = (p) => graph.nodes[p].type === "app" || tagsOf(p).includes("type:app");
const embeddable = (p) => tagsOf(p).includes("app:embeddable");

const problems = [];
for (const [source, targets] of edges) {
  for (const target of targets) {
    if (isApp(target) && !(isApp(source) && embeddable(target))) problems.push(`${source} depends on the app ${target}`);
  }
}

// Depth-first search for cycles.
const state = new Map();
function visit(node, trail) {
  if (state.get(node) === "done") return;
  if (state.get(node) === "open") {
    problems.push(`cycle: ${[...trail.slice(trail.indexOf(node)), node].join(" -> ")}`);
    return;
  }
  state.set(node, "open");
  for (const next of edges.get(node) ?? []) visit(next, [...trail, node]);
  state.set(node, "done");
}
for (const p of projects) visit(p, []);

for (const p of projects.sort()) {
  const tags = (graph.nodes[p].data?.tags ?? []).join(",");
  console.log(`${p.padEnd(24)} [${tags}] -> ${(edges.get(p) ?? []).sort().join(", ") || "(nothing)"}`);
}
if (problems.length) {
  console.error(`\nproject graph problems:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log("\nproject graph: no cycles, apps only on top");
