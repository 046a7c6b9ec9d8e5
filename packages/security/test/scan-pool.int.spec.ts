import fc from "fast-check";
import { InvalidArgumentError, WorkerPool } from "@bear/core";
import { ScanPoolError } from "../src/errors";
import { PiiScanner } from "../src/pii/pii-scanner";
import { PiiScanPool } from "../src/pii/scan-pool";
import { PII_SCAN_TASK } from "../src/pii/scan-task";
import { PiiScrubber } from "../src/scrub/pii-scrubber";
import { scanWorkerUrl } from "./support/scan-worker-build";
import { threadIds, threadSample } from "./support/thread-cpu";

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

  it("shares a long text's recognizers among threads and finds exactly what one scan finds", async () => {
    const url = await scanWorkerUrl();
    const body = Array.from({ length: 40 }, (_, i) => `${i + 1}. Notices. Notices go to clerk${i}@example.com or 415-555-01${String(i).padStart(2, "0")}.\n\n`).join("");
    // the short name is defined at the start and mentioned at the end: a cut text would lose the link
    const text = `${LETTER}\nBrightwater Analytics Corporation ("Brightwater")\n\n${body.repeat(6)}Brightwater shall pay Ms. Okonkwo.\n`;
    for (const scanner of [{}, { names: false }]) {
      await using lanes = new PiiScanPool({ threads: 2, laneChars: 4096, scanner, workerUrl: url });
      expect(await lanes.scan(text)).toEqual(new PiiScanner(scanner).scan(text));
    }
  }, 120_000);

  it("scans a long text structured-only as one task (lanes would cost more CPU than they save), with names in lanes", async () => {
    const shared = new WorkerPool({ url: await scanWorkerUrl(), size: 2, name: "a test pool" });
    try {
      const text = `${LETTER}\n${"Call 415-555-0134 or write to clerk@example.com about the invoice.\n".repeat(200)}`;
      for (const [scanner, tasks] of [[{ names: false }, 1], [{}, 3]] as const) {
        const scans = new PiiScanPool({ pool: shared, laneChars: 4096, scanner });
        const before = shared.stats().completed;
        expect(await scans.scan(text)).toEqual(new PiiScanner(scanner).scan(text));
        expect(shared.stats().completed - before).toBe(tasks); // one scan task, or two lanes and the document-wide task
      }
    } finally {
      await shared.dispose();
    }
  }, 120_000);

  it("finds in lanes what one scan finds, for texts made of legal and PII fragments (fast-check, real threads)", async () => {
    const url = await scanWorkerUrl();
    await using lanes = new PiiScanPool({ threads: 2, laneChars: 0, workerUrl: url });
    const fragments = [LETTER, "Good Sam Enterprises, LLC (\"Good Sam\"), a Delaware limited liability company", "12. Severability.\n", "Good Sam", "the laws of the State of New York", "\n\n", "By: /s/ Paul E. Schedler\nTitle: President\n", "Mr. Schedler "];
    const texts = fc.sample(fc.array(fc.constantFrom(...fragments), { maxLength: 12 }).map((p) => p.join("")), { numRuns: 12, seed: 18 });
    const inline = new PiiScanner();
    expect(await lanes.scanMany(texts)).toEqual(texts.map((t) => inline.scan(t)));
  }, 120_000);

  it("scanMany sends short texts in batches (fewer tasks than texts), each found exactly as scan finds it, beside texts in lanes and inline", async () => {
    const shared = new WorkerPool({ url: await scanWorkerUrl(), size: 2, name: "a test pool" });
    try {
      const fragments = [LETTER, "No personal data here.", "Call 415-555-0134 or write to clerk@example.com.\n", "12. Severability.\n", "", "IBAN GB82 WEST 1234 5698 7654 32\n"];
      const short = fc.sample(fc.array(fc.constantFrom(...fragments), { maxLength: 6 }).map((p) => p.join("")), { numRuns: 40, seed: 9 });
      for (const scanner of [{ names: false }, {}]) {
        const inline = new PiiScanner(scanner);
        const scans = new PiiScanPool({ pool: shared, scanner });
        const before = shared.stats().completed;
        expect(await scans.scanMany(short)).toEqual(short.map((t) => inline.scan(t)));
        expect(shared.stats().completed - before).toBeLessThan(short.length / 2);
        // a long text in lanes and a short one inline keep their own ways, in their places
        const mixed = new PiiScanPool({ pool: shared, scanner, laneChars: 2048, inlineBelowChars: 40 });
        const texts = [LETTER.repeat(12), ...short.slice(0, 9), "tiny"];
        expect(await mixed.scanMany(texts)).toEqual(texts.map((t) => inline.scan(t)));
      }
      // a scan's findings come back as one buffer moved from the thread (findings-codec.ts), not as a clone of objects
      expect(await shared.run({ kind: PII_SCAN_TASK, text: LETTER, options: { names: false } } as never)).toBeInstanceOf(ArrayBuffer);
    } finally {
      await shared.dispose();
    }
  }, 120_000);

  it("scans a short text on the calling thread below inlineBelowChars (no thread started)", async () => {
    await using local = new PiiScanPool({ threads: 1, inlineBelowChars: 10_000, workerUrl: await scanWorkerUrl() });
    expect(await local.scan(LETTER)).toEqual(new PiiScanner().scan(LETTER));
  }, 60_000);

  it("turns a thread that dies during a scan into a typed error, and ends its threads on dispose", async () => {
    // a 16 MB heap holds the scanner (its word lists sit outside the heap, model/word-table.bin) but not a 4 MB
    // text's tokens and findings: the thread dies of it
    const small = new PiiScanPool({ threads: 2, memoryMb: 16, laneChars: 0, workerUrl: await scanWorkerUrl() });
    await expect(small.scan(LETTER.repeat(Math.ceil(4_000_000 / LETTER.length)))).rejects.toMatchObject({ code: expect.stringMatching(/^WORKER_(?:OUT_OF_MEMORY|FAILED)$/) });
    await small.dispose();
    await expect(small.scan(LETTER)).rejects.toBeInstanceOf(ScanPoolError);
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

  it("hands a busy thread its next document: the second scan is done before this thread sees the first's answer", async () => {
    const threadsBefore = new Set(threadIds());
    await using one = new PiiScanPool({ threads: 1, scanner: { names: false }, workerUrl: await scanWorkerUrl() });
    // Documents long enough (~150 KB, tens of ms each) that a document sent only after the first's answer is seen
    // would be answered turns of this thread's event loop later, while two already in the worker answer in one.
    const long = `${LETTER}\n`.repeat(600);
    const texts = [long, long.toUpperCase(), `${long}\n${long}`];
    for (const t of texts) await one.scan(t); // the thread is up and warm
    // The pool's thread: of the threads it started, the one that did the scanning.
    const [busiest] = threadIds()
      .filter((tid) => !threadsBefore.has(tid))
      .map((tid) => ({ tid, cpuMs: threadSample(tid)?.cpuMs ?? 0 }))
      .sort((a, b) => b.cpuMs - a.cpuMs);
    if (!busiest) throw new Error("the pool started no thread");
    const scanThread = busiest.tid;
    const scanCpuMs = (): number => threadSample(scanThread)?.cpuMs ?? Number.POSITIVE_INFINITY;
    let cpu = scanCpuMs();
    for (const t of texts.slice(0, 2)) await one.scan(t);
    const twoScansCpuMs = scanCpuMs() - cpu;
    let turns = 0;
    let turning = true;
    const turn = (): void => {
      turns++;
      if (turning) setImmediate(turn);
    };
    const seenAt: number[] = [];
    const scans = texts.map((t, i) => one.scan(t).then((found) => ((seenAt[i] = turns), found)));
    // This thread does nothing else for a while: only a document already in the worker can be scanned meanwhile.
    // It waits (busy, never yielding) until the pool's thread has done the CPU work of two scans and sleeps, so a
    // loaded machine that gives that thread little CPU slows the test down instead of failing it.
    // ("Sleeps" for 100 ms on end: between two documents already in its queue it never waits that long.)
    cpu = scanCpuMs();
    const start = performance.now();
    let asleepSince: number | undefined;
    for (;;) {
      const now = threadSample(scanThread);
      const asleep = now !== undefined && !now.runnable && now.cpuMs - cpu >= twoScansCpuMs / 2;
      asleepSince = asleep ? (asleepSince ?? performance.now()) : undefined;
      if ((asleepSince !== undefined && performance.now() - asleepSince >= 100) || performance.now() - start >= 30_000) break;
    }
    setImmediate(turn);
    const found = await Promise.all(scans);
    turning = false;
    expect(found).toEqual(texts.map((t) => new PiiScanner({ names: false }).scan(t)));
    expect(seenAt[1]).toBe(seenAt[0]); // both answers were waiting: the second never needed the first's round trip
    expect(seenAt[2]).toBeGreaterThan(seenAt[1] ?? 0); // the third was held in this thread (one handed ahead at most)
  }, 60_000);

  it("refuses options that cannot cross threads, and scans after dispose", async () => {
    const url = await scanWorkerUrl();
    expect(() => new PiiScanPool({ threads: 0, workerUrl: url })).toThrow(InvalidArgumentError);
    expect(() => new PiiScanPool({ laneChars: -1, workerUrl: url })).toThrow(InvalidArgumentError);
    expect(() => new PiiScanPool({ workerUrl: url, scanner: { custom: [{ name: "x", type: "X", pattern: "x", score: 0.5, validator: () => true }] } })).toThrow(/validator/);
    const p = new PiiScanPool({ threads: 1, workerUrl: url });
    await p.dispose();
    await expect(p.scan("text")).rejects.toBeInstanceOf(ScanPoolError);
  });

});
