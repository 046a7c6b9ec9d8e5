import fc from "fast-check";
import { InvalidArgumentError } from "@bear/core";
import { ScanPoolError } from "../src/errors";
import { PiiScanner } from "../src/pii/pii-scanner";
import { PiiScanPool, pieces } from "../src/pii/scan-pool";
import { PiiScrubber } from "../src/scrub/pii-scrubber";
import { scanWorkerUrl } from "./support/scan-worker-build";

const LETTER =
  "Dear Ms. Margaret Okonkwo,\n\nPlease wire the fee to IBAN DE89 3704 0044 0532 0130 00 and call 415-555-0134.\n" +
  "Her SSN is 512-44-3921; write to margaret.okonkwo@example.com.\n\nBrightwater Analytics Corporation\n";

describe("PiiScanPool", () => {
  let pool: PiiScanPool;
  beforeAll(async () => {
    pool = new PiiScanPool({ threads: 2, workerUrl: await scanWorkerUrl() });
  });
  afterAll(() => pool.dispose());

  it("finds in a worker exactly what PiiScanner finds on the caller's thread", async () => {
    const texts = [LETTER, "No personal data here.", LETTER.toUpperCase()];
    const inline = new PiiScanner();
    expect(await pool.scanMany(texts)).toEqual(texts.map((t) => inline.scan(t)));
  }, 60_000);

  it("scans a long text in pieces and finds every structured value at its own offset", async () => {
    const url = await scanWorkerUrl();
    await using small = new PiiScanPool({ threads: 2, pieceChars: 4096, scanner: { names: false }, workerUrl: url });
    const text = Array.from({ length: 40 }, (_, i) => `Clause ${i}. Notices go to clerk${i}@example.com or 415-555-01${String(i).padStart(2, "0")}.\n\n`).join("").repeat(6);
    expect(text.length).toBeGreaterThan(3 * 4096);
    const expected = new PiiScanner({ names: false }).scan(text);
    expect(await small.scan(text)).toEqual(expected);
  }, 60_000);

  it("lets a scrubber scan on the pool: same scrubbed text as scanning on the calling thread", async () => {
    const key = new Uint8Array(32).fill(7);
    const pooled = new PiiScrubber({ scanPool: pool, hashKey: key });
    const inline = new PiiScrubber({ hashKey: key });
    for (const policy of ["default", "pseudonymize"]) {
      expect(pooled.canApplyOn({ policy, documentId: `d-${policy}` })).toBe(true); // scanned and applied on the pool
      const [a, b] = [await pooled.scrub(LETTER, { policy, documentId: `d-${policy}` }), await inline.scrub(LETTER, { policy, documentId: `d-${policy}` })];
      expect(a.text).toBe(b.text);
      expect(a.replacements).toEqual(b.replacements);
      expect(a.toOriginalSpan(a.replacements[0]!.start, a.replacements[0]!.end)).toEqual(b.toOriginalSpan(b.replacements[0]!.start, b.replacements[0]!.end));
    }
    // what needs this thread's state is applied here: the vault, a matter's table, a document numbered before
    expect(pooled.canApplyOn({ policy: "reversible" })).toBe(false);
    expect(pooled.canApplyOn({ matterId: "acme" })).toBe(false);
    pooled.apply(LETTER, [], { documentId: "seen" });
    expect(pooled.canApplyOn({ documentId: "seen" })).toBe(false);
  }, 60_000);

  it("stops a scan whose signal aborts, and scans again afterwards", async () => {
    const stop = new AbortController();
    const scanning = pool.scan(LETTER.repeat(2000), { signal: stop.signal });
    stop.abort(new Error("client went away"));
    await expect(scanning).rejects.toThrow("client went away");
    expect(await pool.scan(LETTER)).toEqual(new PiiScanner().scan(LETTER));
  }, 60_000);

  it("refuses options that cannot cross threads, and scans after dispose", async () => {
    const url = await scanWorkerUrl();
    expect(() => new PiiScanPool({ threads: 0, workerUrl: url })).toThrow(InvalidArgumentError);
    expect(() => new PiiScanPool({ workerUrl: url, scanner: { custom: [{ name: "x", type: "X", pattern: "x", score: 0.5, validator: () => true }] } })).toThrow(/validator/);
    const p = new PiiScanPool({ threads: 1, workerUrl: url });
    await p.dispose();
    await expect(p.scan("text")).rejects.toBeInstanceOf(ScanPoolError);
  });

  it("cuts a text into pieces that cover it exactly, in order, each at most the piece size", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", " ", "\n", "1", "é"), maxLength: 3000 }), fc.integer({ min: 16, max: 400 }), (text, size) => {
        const ps = pieces(text, size);
        expect(ps.map((p) => p.text).join("")).toBe(text);
        let at = 0;
        for (const p of ps) {
          expect(p.offset).toBe(at);
          expect(p.text.length).toBeLessThanOrEqual(size);
          expect(p.text.length).toBeGreaterThan(0);
          at += p.text.length;
        }
      }),
    );
  });
});
