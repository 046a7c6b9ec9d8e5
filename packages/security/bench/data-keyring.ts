// Per-document data keys (crypto-shredding) beside the workspace-wide cipher, in the same run:
//   nice -n 10 npx tsx bench/data-keyring.ts [documents] [chunksPerDocument]
// Workload: N documents × M chunks of ~600 characters (rag's chunk size), sealed then opened field
// by field as the index does. Rows: KeyedContentCipher (one workspace key: the peer), DataKeyring
// warm (keys in memory), DataKeyring cold open (a fresh instance, as when an index is opened: each
// document's first value reads and unwraps its key file). Prints MB/s, per-value p50/p95/p99 (µs), rss.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DataKeyring } from "../src/crypto/data-keyring";
import { KeyEncryptionKey } from "../src/crypto/key-encryption-key";
import { KeyedContentCipher } from "../src/crypto/keyed-content-cipher";

const docs = Number(process.argv[2] ?? 300);
const perDoc = Number(process.argv[3] ?? 20);
const CLAUSES = [
  "The Tenant shall pay the monthly rent on the first day of each month without deduction or set-off. ",
  "Either party may terminate this Agreement upon thirty (30) days' prior written notice to the other party. ",
  "Each party shall keep the other party's Confidential Information strictly confidential. ",
  "This Agreement is governed by the laws of the State of Delaware, without regard to its conflict of laws rules. ",
  "The Supplier shall indemnify the Customer against all losses arising from a breach of its warranties. ",
];
const chunk = (d: number, c: number): string => {
  let s = `Section ${c + 1}. `;
  for (let i = 0; s.length < 600; i++) s += CLAUSES[(d * 7 + c * 3 + i) % CLAUSES.length];
  return s;
};
const values = Array.from({ length: docs }, (_, d) => Array.from({ length: perDoc }, (_, c) => chunk(d, c)));
const bytes = values.flat().reduce((n, v) => n + Buffer.byteLength(v), 0);

function pct(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
function row(name: string, run: (d: number, c: number) => void): void {
  const lat: number[] = [];
  const t0 = process.hrtime.bigint();
  for (let d = 0; d < docs; d++)
    for (let c = 0; c < perDoc; c++) {
      const s = process.hrtime.bigint();
      run(d, c);
      lat.push(Number(process.hrtime.bigint() - s) / 1000);
    }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  lat.sort((a, b) => a - b);
  const f = (n: number): string => n.toFixed(1).padStart(7);
  console.log(`${name.padEnd(34)} ${((bytes / 1024 / 1024) / (ms / 1000)).toFixed(1).padStart(7)} MB/s  p50 ${f(pct(lat, 50))} µs  p95 ${f(pct(lat, 95))} µs  p99 ${f(pct(lat, 99))} µs  rss ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB`);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bear-keyring-bench-"));
try {
  const kek = KeyEncryptionKey.fromBytes(randomBytes(32));
  const workspace = new KeyedContentCipher(kek);
  const keyring = new DataKeyring({ dir, kek });
  console.log(`${docs} documents × ${perDoc} chunks, ${(bytes / 1024 / 1024).toFixed(1)} MB; node ${process.version}, ${os.cpus().length} cpus`);
  const sealedW: string[][] = values.map(() => []);
  const sealedK: string[][] = values.map(() => []);
  row("seal  workspace cipher (peer)", (d, c) => void sealedW[d]?.push(workspace.seal(values[d]![c]!)));
  row("seal  data keyring (keys created)", (d, c) => void sealedK[d]?.push(keyring.seal(`doc-${d}`, values[d]![c]!)));
  row("seal  data keyring (warm)", (d, c) => void keyring.seal(`doc-${d}`, values[d]![c]!));
  row("open  workspace cipher (peer)", (d, c) => void workspace.open(sealedW[d]![c]!));
  row("open  data keyring (warm)", (d, c) => void keyring.open(`doc-${d}`, sealedK[d]![c]!));
  const cold = new DataKeyring({ dir, kek });
  row("open  data keyring (cold: key files)", (d, c) => void cold.open(`doc-${d}`, sealedK[d]![c]!));
  const t0 = process.hrtime.bigint();
  for (let d = 0; d < docs; d++) keyring.destroy(`doc-${d}`);
  console.log(`destroy: ${(Number(process.hrtime.bigint() - t0) / 1e6 / docs).toFixed(3)} ms per document (overwrite, fsync, unlink, fsync folder)`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
