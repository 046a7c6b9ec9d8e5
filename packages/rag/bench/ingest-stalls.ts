// The longest stretches the main thread spends without a turn of the event loop while one large
// document is ingested (what a server's /health or a search waits behind), in a fresh process:
// a 1 ms interval timer records, between consecutive ticks, the wall time and the process's CPU
// time (the main thread's, in the stretches that matter: LanceDB's threads are idle until the
// commit). CPU gaps hold on a loaded machine; wall gaps show the load.
//
//   cd packages/rag && nice -n 10 npx tsx --tsconfig ../../tsconfig.base.json bench/ingest-stalls.ts [--kb=400] [--runs=3] [--before=DIR]
//   --dist      the built package (dist/index.js), as production runs it; with --before=DIR, DIR/dist/index.js beside it
//   --before=DIR  also another checkout's rag package (DIR/src/index.ts, or DIR/dist with --dist), run alternately
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { RagEngine } from "../src/index";

const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const dist = process.argv.includes("--dist");

/** About `kb` KB of real contract text (cuad_train's contracts, one after another). */
function contractText(kb: number): string {
  const dir = ((): string => {
    for (let d = path.resolve(import.meta.dirname, "../../.."); d !== path.dirname(d); d = path.dirname(d)) {
      if (fs.existsSync(path.join(d, "shared/data"))) return path.join(d, "shared/data/cuad_train/full_contract_txt");
    }
    throw new Error("../shared/data not found");
  })();
  const parts: string[] = [];
  let size = 0;
  for (const name of fs.readdirSync(dir).sort()) {
    if (size >= kb * 1000) break;
    const text = fs.readFileSync(path.join(dir, name), "utf8");
    parts.push(text);
    size += text.length;
  }
  return parts.join("\n\n").slice(0, kb * 1000);
}

async function child(pkg: string, kb: number): Promise<void> {
  const file = dist ? path.resolve(pkg, "dist/index.js") : path.resolve(pkg, "src/index.ts");
  const { RagEngine: Engine } = (await import(pathToFileURL(file).href)) as { RagEngine: typeof RagEngine };
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "rag-stalls-"));
  try {
    fs.mkdirSync(path.join(root, "docs"));
    fs.writeFileSync(path.join(root, "docs", "large.txt"), contractText(kb));
    const rag = await Engine.open({ dir: path.join(root, "index"), root });
    const gaps: { wall: number; cpu: number; at: bigint }[] = [];
    let wall = performance.now();
    let cpu = process.cpuUsage();
    const timer = setInterval(() => {
      const now = performance.now();
      const used = process.cpuUsage(cpu);
      gaps.push({ wall: now - wall, cpu: (used.user + used.system) / 1000, at: process.hrtime.bigint() });
      wall = now;
      cpu = process.cpuUsage();
    }, 1);
    await rag.ingest(["docs"], { matter: "m" });
    clearInterval(timer);
    await rag.dispose();
    const top = (key: "wall" | "cpu"): number[] => gaps.map((g) => g[key]).sort((a, b) => b - a).slice(0, 3);
    // For a --cpu-prof of the child: where (process.hrtime, µs) the longest CPU stretch ended.
    if (process.env["STALLS_AT"]) for (const g of [...gaps].sort((a, b) => b.cpu - a.cpu).slice(0, 3)) console.error(`stretch ${g.cpu.toFixed(1)} ms cpu, ${g.wall.toFixed(1)} ms wall, ended at ${g.at / 1000n} us`);
    console.log(`RESULT ${JSON.stringify({ cpu: top("cpu"), wall: top("wall"), ticks: gaps.length })}`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function main(): void {
  const kb = Number(arg("kb") ?? 400);
  const runs = Number(arg("runs") ?? 3);
  const before = arg("before");
  const engines: [string, string][] = [...(before ? [["before", before] as [string, string]] : []), ["engine", path.resolve(import.meta.dirname, "..")]];
  const results = new Map<string, { cpu: number[]; wall: number[] }[]>();
  console.log(`${kb} KB of contract text, one document, ${runs} fresh processes each${dist ? " (dist)" : ""}; load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  for (let r = 0; r < runs; r++) {
    for (const [name, pkg] of r % 2 === 0 ? engines : [...engines].reverse()) {
      const out = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, `--child=${pkg}`, `--kb=${kb}`, ...(dist ? ["--dist"] : [])], { encoding: "utf8", maxBuffer: 1 << 24 });
      const line = out.stdout.split("\n").find((l) => l.startsWith("RESULT "));
      if (!line) throw new Error(`${name} failed: ${out.stderr.slice(-2000)}`);
      const result = JSON.parse(line.slice(7)) as { cpu: number[]; wall: number[] };
      (results.get(name) ?? results.set(name, []).get(name)!).push(result);
      console.log(`  round ${r + 1} ${name.padEnd(6)}  longest stretches: CPU ${result.cpu.map((x) => x.toFixed(1)).join(", ")} ms; wall ${result.wall.map((x) => x.toFixed(1)).join(", ")} ms`);
    }
  }
  for (const [name, rs] of results) {
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`${name.padEnd(6)} median of the longest stretch: CPU ${median(rs.map((x) => x.cpu[0]!)).toFixed(1)} ms, wall ${median(rs.map((x) => x.wall[0]!)).toFixed(1)} ms`);
  }
}

const childPkg = arg("child");
if (childPkg) await child(childPkg, Number(arg("kb") ?? 400));
else main();
