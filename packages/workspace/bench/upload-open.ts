// What opening an encrypted workspace spends on upload recovery when nothing needs it
// (`UploadStore.needsRecovery()`, called by every open without a cluster: every `bear …` command),
// with N stored (sealed) originals. "sweep" is the path before the marker (every open read the first
// bytes of each original); "marker" is the path now (tmp's listing and one stat), measured in the same
// process, interleaved, CPU time per call (process.cpuUsage), median of the rounds. Run from packages/workspace:
//   nice -n 10 npx tsx --tsconfig ../../tsconfig.base.json bench/upload-open.ts [uploads=1000,10000] [rounds=15]
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { EnvelopeCipher, KeyEncryptionKey } from "@bear/security";
import { UploadStore } from "../src/uploads/upload-store";

const sizes = (process.argv[2] ?? "1000,10000").split(",").map(Number);
const ROUNDS = Number(process.argv[3] ?? 15);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const cpuMs = (fn: () => void): number => {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

const cipher = new EnvelopeCipher(KeyEncryptionKey.fromBytes(randomBytes(32)));
const sealed = cipher.encrypt(randomBytes(4096)); // a stored original as uploads keep it: sealed, 4 KB
console.log(`upload recovery check on open, encrypted workspace, nothing to recover; CPU ms per open (median of ${ROUNDS} rounds), load ${os.loadavg()[0]!.toFixed(1)}`);
console.log(`${"uploads".padStart(8)} ${"sweep (before)".padStart(16)} ${"marker (now)".padStart(14)} ${"ratio".padStart(8)} ${"files read before/now".padStart(22)}`);
for (const n of sizes) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "bear-upload-open-"));
  const uploads = path.join(root, "uploads");
  const tmp = path.join(root, "tmp");
  fs.mkdirSync(tmp, { recursive: true });
  for (let m = 0; m < 10; m++) fs.mkdirSync(path.join(uploads, `matter-${m}`), { recursive: true });
  for (let i = 0; i < n; i++) fs.writeFileSync(path.join(uploads, `matter-${i % 10}`, `contract-${i}.pdf`), sealed);
  const store = new UploadStore(uploads, tmp, 1 << 30, () => cipher);
  const marker = path.join(uploads, ".swept-v1");
  store.needsRecovery(); // warm the directory cache, writes the marker
  const before: number[] = [];
  const now: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    fs.rmSync(marker, { force: true });
    before.push(cpuMs(() => store.needsRecovery())); // no marker: the full sweep (then it writes the marker)
    now.push(cpuMs(() => store.needsRecovery()));
  }
  if (!fs.existsSync(marker) || store.needsRecovery()) throw new Error("the marker was not written, or recovery was wanted");
  const b = median(before);
  const a = median(now);
  console.log(`${String(n).padStart(8)} ${b.toFixed(3).padStart(16)} ${a.toFixed(3).padStart(14)} ${`${(b / Math.max(a, 0.001)).toFixed(0)}x`.padStart(8)} ${`${n} / 0`.padStart(22)}`);
  fs.rmSync(root, { recursive: true, force: true });
}
