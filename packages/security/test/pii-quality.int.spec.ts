// Regression guard on the public PII sets: fails if detection quality drops below what it is now.
import path from "node:path";
import { PiiScanner } from "../src/pii/pii-scanner";
import { CHECKSUMMED, evaluate, loadJsonl, PRESIDIO_LABELS, SEC_LABELS, sharedDataDir } from "../bench/pii-eval";

const data = sharedDataDir(import.meta.dirname);
const scanner = new PiiScanner();

describe("PII detection quality on the shared public data", () => {
  it("keeps checksummed types at F2 ≥ 0.97 and overall token F2 ≥ 0.96 on the Presidio synthetic set", () => {
    const r = evaluate(loadJsonl(path.join(data, "pii_presidio_synth/pii.jsonl")), (t) => scanner.scan(t), PRESIDIO_LABELS);
    for (const type of CHECKSUMMED) expect(r.spans[type]?.f2 ?? 0).toBeGreaterThanOrEqual(0.97);
    expect(r.spans["PHONE"]?.f2 ?? 0).toBeGreaterThanOrEqual(0.97);
    expect(r.tokens["PERSON"]?.f2 ?? 0).toBeGreaterThanOrEqual(0.94);
    expect(r.tokens["LOCATION"]?.f2 ?? 0).toBeGreaterThanOrEqual(0.945);
    expect(r.tokens["ORGANIZATION"]?.f2 ?? 0).toBeGreaterThanOrEqual(0.84);
    expect(r.spans["ORGANIZATION"]?.f2 ?? 0).toBeGreaterThanOrEqual(0.8);
    expect(r.overall.precision).toBeGreaterThanOrEqual(0.97);
    expect(r.overall.f2).toBeGreaterThanOrEqual(0.96);
  });

  it("keeps overall token F2 ≥ 0.79 on the SEC loan agreements (role terms are not PII)", () => {
    const r = evaluate(loadJsonl(path.join(data, "pii_sec_filings_ner/pii.jsonl")), (t) => scanner.scan(t), SEC_LABELS);
    expect(r.overall.precision).toBeGreaterThanOrEqual(0.845);
    expect(r.tokens["ORGANIZATION"]?.f2 ?? 0).toBeGreaterThanOrEqual(0.79);
    expect(r.spans["ORGANIZATION"]?.f2 ?? 0).toBeGreaterThanOrEqual(0.7);
    expect(r.tokens["LOCATION"]?.f2 ?? 0).toBeGreaterThanOrEqual(0.68);
    expect(r.overall.f2).toBeGreaterThanOrEqual(0.79);
  });
});
