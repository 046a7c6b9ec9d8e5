// Placeholder numbering cost (rev12 #6): people and organisations linked per second by the indexed EntityLinker and by
// the linear scan it replaced (test/support/linear-entity-linker.ts, the spec's oracle), in the same run, interleaved,
// CPU time of this process (process.cpuUsage), median of the rounds. Each person is mentioned twice ("Ann Qxson",
// "Mr. Qxson") and owns an organisation mentioned twice ("Qxson Holdings, LLC", "Qxson Holdings"), as in a pasted
// list of invented parties (the reviewer's probe shape). Also the cost of continuing a matter table of that size.
//   nice -n 10 npx tsx bench/entity-linker.ts [people,...] [rounds]
import { EntityLinker } from "../src/scrub/entity-linker";
import { LinearEntityLinker } from "../test/support/linear-entity-linker";

interface Linker {
  link(type: string, value: string): number;
}

const sizes = (process.argv[2] ?? "800,2000,8000").split(",").map(Number);
const rounds = Number(process.argv[3] ?? 3);

function feed(linker: Linker, people: number): number {
  let sum = 0;
  for (let i = 0; i < people; i++) {
    const surname = `Q${i.toString(36)}son`;
    sum += linker.link("PERSON", `Ann ${surname}`) + linker.link("PERSON", `Mr. ${surname}`);
    sum += linker.link("ORGANIZATION", `${surname} Holdings, LLC`) + linker.link("ORGANIZATION", `${surname} Holdings`);
  }
  return sum;
}

function cpuMs(run: () => number): { ms: number; sum: number } {
  const start = process.cpuUsage();
  const sum = run();
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000, sum };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

console.log(`entity linker, ${rounds} rounds interleaved, CPU ms (median); 4 mentions per person (2 PERSON, 2 ORGANIZATION)`);
console.log("people | linear ms | indexed ms | linear people/s | indexed people/s | ratio | table continue (indexed) ms");
for (const people of sizes) {
  const linear: number[] = [];
  const indexed: number[] = [];
  const cont: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const a = cpuMs(() => feed(new LinearEntityLinker(), people));
    const b = cpuMs(() => feed(new EntityLinker(), people));
    if (a.sum !== b.sum) throw new Error(`numbering differs at ${people} people`);
    linear.push(a.ms);
    indexed.push(b.ms);
    // a matter holding `people` people: load its table, link one 50-name letter
    const state = JSON.parse(JSON.stringify((() => { const l = new EntityLinker(); feed(l, people); return l.state(); })())) as ReturnType<EntityLinker["state"]>;
    cont.push(cpuMs(() => { const l = EntityLinker.fromState(state); let s = 0; for (let i = 0; i < 50; i++) s += l.link("PERSON", `Beth Z${i}berg`); return s; }).ms);
  }
  const [l, x] = [median(linear), median(indexed)];
  console.log(`${people} | ${l.toFixed(0)} | ${x.toFixed(1)} | ${Math.round((people / l) * 1000)} | ${Math.round((people / x) * 1000)} | ${(l / x).toFixed(1)}x | ${median(cont).toFixed(1)}`);
}
// One very long ORGANIZATION finding (a plugin recognizer may return any span typed so, rev12 #18): the name, three of its
// runs and the name again, as one text's mentions. Heap held by the linker afterwards needs --expose-gc.
const gc = (globalThis as { gc?: () => void }).gc;
console.log("organisation words | linear ms | indexed ms | indexed heap held KiB");
for (const n of [50, 300, 1000]) {
  const words = Array.from({ length: n }, (_, i) => `Qor${i.toString(36)}vex`);
  const mentions = [`${words.join(" ")} Holdings, LLC`, words.slice(0, 3).join(" "), words.slice(n / 3, (2 * n) / 3).join(" "), words.slice(-2).join(" "), `${words.join(" ")} Holdings, LLC`];
  const feedLong = (l: Linker): number => mentions.reduce((sum, m) => sum + l.link("ORGANIZATION", m), 0);
  const linear: number[] = [];
  const indexed: number[] = [];
  const held: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const a = cpuMs(() => feedLong(new LinearEntityLinker()));
    gc?.();
    const before = process.memoryUsage().heapUsed;
    const kept = new EntityLinker();
    const b = cpuMs(() => feedLong(kept));
    gc?.();
    held.push((process.memoryUsage().heapUsed - before) / 1024);
    if (a.sum !== b.sum || kept.link("ORGANIZATION", mentions[1] ?? "") !== 1) throw new Error(`numbering differs at ${n} words`);
    linear.push(a.ms);
    indexed.push(b.ms);
  }
  console.log(`${n} | ${median(linear).toFixed(1)} | ${median(indexed).toFixed(1)} | ${gc ? median(held).toFixed(0) : "(run with --expose-gc)"}`);
}
console.log(`load ${(await import("node:os")).loadavg()[0]?.toFixed(1)}`);
