// Throughput of scanning, scrubbing and encryption: npx tsx bench/throughput.ts
import { createCipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { EnvelopeCipher } from "../src/crypto/envelope-cipher";
import { KeyEncryptionKey } from "../src/crypto/key-encryption-key";
import { PiiScanner } from "../src/pii/pii-scanner";
import { PiiScrubber } from "../src/scrub/pii-scrubber";
import { corpus } from "./legal-corpus";
import { sharedDataDir } from "./pii-eval";

const MB = 1024 * 1024;
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
function docs(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
function timeScan(label: string, scanner: PiiScanner, text: string, docSize: number): void {
  const lat: number[] = [];
  let found = 0;
  const t0 = performance.now();
  for (const d of docs(text, docSize)) {
    const s = performance.now();
    found += scanner.scan(d).length;
    lat.push(performance.now() - s);
  }
  const secs = (performance.now() - t0) / 1000;
  console.log(
    `${label.padEnd(34)} ${(text.length / MB).toFixed(1).padStart(5)} MB  ${(text.length / MB / secs).toFixed(2).padStart(7)} MB/s  ` +
      `per ${docSize / 1024} KiB doc p50 ${pct(lat, 50).toFixed(2)} ms p95 ${pct(lat, 95).toFixed(2)} ms p99 ${pct(lat, 99).toFixed(2)} ms  findings ${found}`,
  );
}

const big = corpus(20 * MB);
console.log(`corpus: ${(big.length / MB).toFixed(1)} MB legal-style text (generated, seed 42); machine load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} CPUs`);
timeScan("scan, structured recognizers", new PiiScanner({ names: false }), big, 16 * 1024);
timeScan("scan, with names (0.5 MB slice)", new PiiScanner(), big.slice(0, MB / 2), 16 * 1024);
{
  // real agreements: the first 20 public CUAD contracts (about 1 MB), when the shared data is there
  const dir = path.join(sharedDataDir(import.meta.dirname), "cuad_clauses/full_contract_txt");
  if (fs.existsSync(dir)) {
    const cuad = fs.readdirSync(dir).sort().slice(0, 20).map((f) => fs.readFileSync(path.join(dir, f), "utf8")).join("\n");
    timeScan("scan, with names (20 CUAD contr.)", new PiiScanner(), cuad, 16 * 1024);
  }
}

const scrubber = new PiiScrubber({ scanner: new PiiScanner({ names: false }) });
{
  const slice = big.slice(0, 5 * MB);
  const t0 = performance.now();
  let n = 0;
  for (const d of docs(slice, 16 * 1024)) n += (await scrubber.scrub(d, { policy: "default" })).replacements.length;
  const secs = (performance.now() - t0) / 1000;
  console.log(`${"scrub (replace), structured".padEnd(34)} ${(slice.length / MB).toFixed(1).padStart(5)} MB  ${(slice.length / MB / secs).toFixed(2).padStart(7)} MB/s  replacements ${n}`);
}

{
  const data = randomBytes(256 * MB);
  const kek = KeyEncryptionKey.fromBytes(randomBytes(32));
  const cipher = new EnvelopeCipher(kek);
  const gbps = (ms: number): string => ((data.length / 1e9) / (ms / 1000)).toFixed(2);
  const best = (f: () => void): number => {
    let m = Infinity;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      f();
      m = Math.min(m, performance.now() - t);
    }
    return m;
  };
  const raw = best(() => {
    const c = createCipheriv("aes-256-gcm", randomBytes(32), randomBytes(12));
    c.update(data);
    c.final();
    c.getAuthTag();
  });
  let sealed: Buffer = Buffer.alloc(0);
  const env = best(() => {
    sealed = cipher.encrypt(data);
  });
  const dec = best(() => {
    cipher.decrypt(sealed);
  });
  console.log(`encryption, 256 MB in memory: raw node:crypto AES-256-GCM ${gbps(raw)} GB/s | EnvelopeCipher encrypt ${gbps(env)} GB/s, decrypt ${gbps(dec)} GB/s`);
}
console.log(`memory: rss ${(process.memoryUsage().rss / MB).toFixed(0)} MiB, heap used ${(process.memoryUsage().heapUsed / MB).toFixed(0)} MiB`);
