// The recognizers' fast paths beside their previous whole-text versions (test/support/reference/), same run, same
// documents, alternating: nice -n 10 npx tsx bench/fast-path.ts [contracts]. Prints MB/s on CPU time (the machine
// is shared: wall time counts other jobs), per-document p50/p95/p99 and memory; findings must be equal.
import { loadCuad } from "./legal-eval";
import { sharedDataDir } from "./pii-eval";
import type { Recognizer } from "../src/pii/pii-types";
import { AddressRecognizer } from "../src/pii/recognizers/address-recognizer";
import { PhoneRecognizer } from "../src/pii/recognizers/phone-recognizer";
import * as fast from "../src/pii/recognizers/structured-recognizers";
import { AddressRecognizer as OldAddress } from "../test/support/reference/address-recognizer";
import { PhoneRecognizer as OldPhone } from "../test/support/reference/phone-recognizer";
import * as old from "../test/support/reference/structured-recognizers";

const n = Number(process.argv[2] ?? 50);
const docs = loadCuad(sharedDataDir(import.meta.dirname), "report", n).map((c) => c.text);
const MB = docs.reduce((s, d) => s + Buffer.byteLength(d), 0) / (1024 * 1024);
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const pct = (l: number[], p: number): string => ([...l].sort((a, b) => a - b)[Math.min(l.length - 1, Math.floor((p / 100) * l.length))] ?? 0).toFixed(1);

console.log(`${docs.length} cuad_train contracts (report part), ${MB.toFixed(2)} MB; MB/s on CPU time`);
const pairs: [string, Recognizer, Recognizer][] = [
  ["PhoneRecognizer", new PhoneRecognizer(), new OldPhone()],
  ["AddressRecognizer", new AddressRecognizer(), new OldAddress()],
  ["EmailRecognizer", fast.emailRecognizer(), old.emailRecognizer()],
  ["UrlRecognizer", fast.urlRecognizer(), old.urlRecognizer()],
  ["IpAddressRecognizer", fast.ipAddressRecognizer(), old.ipAddressRecognizer()],
];
for (const [name, now, before] of pairs) {
  for (const d of docs.slice(0, 3)) {
    now.recognize(d); // warm up
    before.recognize(d);
  }
  const lat = { now: [] as number[], before: [] as number[] };
  let same = true;
  for (const d of docs) {
    let t = cpuMs();
    const a = JSON.stringify(now.recognize(d));
    lat.now.push(cpuMs() - t);
    t = cpuMs();
    const b = JSON.stringify(before.recognize(d));
    lat.before.push(cpuMs() - t);
    same &&= a === b;
  }
  const rate = (l: number[]): number => MB / (l.reduce((s, x) => s + x, 0) / 1000);
  const rss = (process.memoryUsage().rss / 1048576).toFixed(0);
  console.log(
    `${name.padEnd(20)} now ${rate(lat.now).toFixed(2).padStart(7)} MB/s (p50 ${pct(lat.now, 50)} p95 ${pct(lat.now, 95)} p99 ${pct(lat.now, 99)} ms)  before ${rate(lat.before).toFixed(2).padStart(7)} MB/s (p50 ${pct(lat.before, 50)} p95 ${pct(lat.before, 95)} p99 ${pct(lat.before, 99)} ms)  ${(rate(lat.now) / rate(lat.before)).toFixed(2)}x  findings ${same ? "identical" : "DIFFER"}  rss ${rss} MiB`,
  );
}
