// BEAR next to the JS peers a user might pick instead: npx tsx bench/peers.ts
// (bench-only devDependencies; both run offline: @redactpii/node phones home only when given an apiKey).
import path from "node:path";
import { OpenRedaction } from "@openredaction/core";
import { Redactor } from "@redactpii/node";
import type { PiiFinding } from "../src/pii/pii-types";
import { PiiScanner } from "../src/pii/pii-scanner";
import { corpus } from "./legal-corpus";
import { evaluate, loadJsonl, PRESIDIO_LABELS, SEC_LABELS, sharedDataDir } from "./pii-eval";

const MARK = "\uE000";
/** Spans of a redactor that only returns text: replace with a marker, then align the pieces with the original. */
function spansFromRedacted(original: string, redacted: string): PiiFinding[] {
  const pieces = redacted.split(MARK);
  const out: PiiFinding[] = [];
  let pos = 0;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] ?? "";
    const at = i === 0 ? 0 : piece.length === 0 ? (i === pieces.length - 1 ? original.length : pos) : original.indexOf(piece, pos);
    if (at < 0) break;
    if (i > 0 && at > pos) out.push({ type: "PII", start: pos, end: at, score: 1, recognizer: "peer" });
    pos = at + piece.length;
  }
  return out;
}

const redactpii = new Redactor({ globalReplaceWith: MARK, rules: { CREDIT_CARD: true, EMAIL: true, NAME: true, PHONE: true, SSN: true } });
const openredaction = new OpenRedaction();
const bear = new PiiScanner();
const bearStructured = new PiiScanner({ names: false });

type Detect = (text: string) => Promise<readonly PiiFinding[]>;
const tools: [string, Detect][] = [
  ["BEAR PiiScanner (names)", async (t) => bear.scan(t)],
  ["BEAR PiiScanner (structured)", async (t) => bearStructured.scan(t)],
  ["@redactpii/node 1.0.17", async (t) => spansFromRedacted(t, redactpii.redact(t))],
  [
    "@openredaction/core 1.1.5",
    async (t) => (await openredaction.detect(t)).detections.map((d) => ({ type: "PII", start: d.position[0], end: d.position[1], score: d.confidence ?? 1, recognizer: "peer" })),
  ],
];

const data = sharedDataDir(import.meta.dirname);
const sets = [
  ["presidio synth", loadJsonl(path.join(data, "pii_presidio_synth/pii.jsonl")), PRESIDIO_LABELS],
  ["SEC FIN5", loadJsonl(path.join(data, "pii_sec_filings_ner/pii.jsonl")), SEC_LABELS],
] as const;
const text = corpus(1024 * 1024);
console.log(`${"tool".padEnd(30)} ${"presidio P / R / F2".padEnd(22)} ${"SEC P / R / F2".padEnd(22)} throughput (1 MB legal corpus)`);
for (const [name, detect] of tools) {
  const cols: string[] = [];
  for (const [, records, labels] of sets) {
    const found = new Map<string, readonly PiiFinding[]>();
    for (const r of records) found.set(r.id, await detect(r.text));
    const byText = new Map(records.map((r) => [r.text, found.get(r.id) ?? []]));
    const m = evaluate(records, (t) => byText.get(t) ?? [], labels).overall;
    cols.push(`${m.precision.toFixed(3)} / ${m.recall.toFixed(3)} / ${m.f2.toFixed(3)}`.padEnd(22));
  }
  const slice = name.includes("(names)") ? text.slice(0, 256 * 1024) : text;
  const t0 = performance.now();
  for (let i = 0; i < slice.length; i += 16 * 1024) await detect(slice.slice(i, i + 16 * 1024));
  const mbps = slice.length / 1048576 / ((performance.now() - t0) / 1000);
  console.log(`${name.padEnd(30)} ${cols.join(" ")} ${mbps.toFixed(2)} MB/s${slice.length < text.length ? " (256 KB slice)" : ""}`);
}
