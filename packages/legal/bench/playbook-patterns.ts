// Playbook patterns: RE2JS (linear time, what reviews use) beside V8's RegExp (backtracking), on the
// default playbook's patterns over every sentence of a services agreement, then on the ReDoS attack.
// Run: npx tsx bench/playbook-patterns.ts
import { servicesAgreement } from "../test/fixtures";
import { DEFAULT_PLAYBOOK_YAML } from "../src/review/default-playbook";
import { loadPlaybook, type RuleCondition } from "../src/review/playbook";
import { compilePlaybookPattern } from "../src/review/playbook-pattern";

const ROUNDS = 200;

function patternsOf(cond: RuleCondition): string[] {
  if ("all" in cond) return cond.all.flatMap(patternsOf);
  if ("any" in cond) return cond.any.flatMap(patternsOf);
  const keys = ["text_matches", "unless_text_matches", "matching", "not_matching"] as const;
  return keys.flatMap((k) => (k in cond && typeof (cond as Record<string, unknown>)[k] === "string" ? [(cond as Record<string, string>)[k] as string] : []));
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};

const patterns = loadPlaybook(DEFAULT_PLAYBOOK_YAML).rules.flatMap((r) => patternsOf(r.when));
const sentences = servicesAgreement()
  .split(/(?<=[.;:])\s+/)
  .filter((s) => s.trim().length > 0);

function run(label: string, test: (p: number, s: string) => boolean): void {
  const perSentence: number[] = [];
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  let hits = 0;
  for (let r = 0; r < ROUNDS; r++) {
    for (const s of sentences) {
      const t = performance.now();
      for (let p = 0; p < patterns.length; p++) if (test(p, s)) hits++;
      perSentence.push((performance.now() - t) * 1000);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const f = (n: number) => n.toFixed(1).padStart(7);
  console.log(
    `${label.padEnd(8)} p50 ${f(pct(perSentence, 50))} µs  p95 ${f(pct(perSentence, 95))} µs  p99 ${f(pct(perSentence, 99))} µs per sentence × ${patterns.length} patterns  ` +
      `${Math.round((ROUNDS * sentences.length) / seconds)} sentences/s  hits ${hits / ROUNDS}  heap +${((process.memoryUsage().heapUsed - before) / 1e6).toFixed(1)} MB`,
  );
}

const native = patterns.map((p) => new RegExp(p, "i"));
const re2 = patterns.map((p) => compilePlaybookPattern(p));
console.log(`node ${process.version}, ${patterns.length} default-playbook patterns, ${sentences.length} sentences, ${ROUNDS} rounds`);
run("RegExp", (p, s) => (native[p] as RegExp).test(s));
run("RE2JS", (p, s) => (re2[p] as { test(t: string): boolean }).test(s));

const attack = "^(a+)+$";
for (const n of [18, 20, 22, 24]) {
  const text = `${"a".repeat(n)}!`;
  let t = performance.now();
  new RegExp(attack).test(text);
  const nativeMs = performance.now() - t;
  t = performance.now();
  compilePlaybookPattern(attack).test(text);
  console.log(`attack ${attack} on ${n + 1} chars: RegExp ${nativeMs.toFixed(1)} ms, RE2JS ${(performance.now() - t).toFixed(2)} ms`);
}
const long = `${"a".repeat(1_000_000)}!`;
const t = performance.now();
compilePlaybookPattern(attack).test(long);
console.log(`attack on 1,000,001 chars: RE2JS ${(performance.now() - t).toFixed(1)} ms (RegExp: would not finish)`);
