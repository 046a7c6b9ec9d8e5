// PII detection quality on the public sets: npx tsx bench/quality.ts
import path from "node:path";
import { PiiScanner } from "../src/pii/pii-scanner";
import { evaluate, formatReport, loadJsonl, PRESIDIO_LABELS, SEC_LABELS, sharedDataDir } from "./pii-eval";

const data = sharedDataDir(import.meta.dirname);
const scanner = new PiiScanner();
const presidio = evaluate(loadJsonl(path.join(data, "pii_presidio_synth/pii.jsonl")), (t) => scanner.scan(t), PRESIDIO_LABELS);
console.log(formatReport("pii_presidio_synth (public)", presidio));
const sec = evaluate(loadJsonl(path.join(data, "pii_sec_filings_ner/pii.jsonl")), (t) => scanner.scan(t), SEC_LABELS);
console.log(formatReport("pii_sec_filings_ner FIN5 (public, role terms not PII)", sec));
console.log(`memory: rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`);
