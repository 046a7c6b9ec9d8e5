import fc from "fast-check";
import { decodeFindingLists, decodeFindings, encodeFindingLists, encodeFindings } from "./findings-codec";
import { PiiScanner } from "./pii-scanner";
import type { PiiFinding } from "./pii-types";

/** Any name: lone surrogates and NUL included (a custom recognizer's type is the user's string). */
const name = fc.string({ unit: "binary", maxLength: 40 });
/** Any number a finding could carry: offsets are integers, scores fractions, and -0 / NaN / huge values must survive too. */
const num = fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }), fc.double(), fc.constantFrom(-0, 0, 1, Number.MAX_SAFE_INTEGER));
const finding = fc.record({ type: name, start: num, end: num, score: num, recognizer: name }).map(
  // the scanner's key order
  ({ type, start, end, score, recognizer }): PiiFinding => ({ type, start, end, score, recognizer }),
);

describe("findings codec (a scan's findings packed into one buffer between threads)", () => {
  it("round-trips any findings exactly, key order included", () => {
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 60 }), (findings) => {
        const buffer = encodeFindings(findings);
        expect(buffer).toBeInstanceOf(ArrayBuffer);
        const decoded = decodeFindings(buffer as ArrayBuffer);
        expect(decoded).toEqual(findings);
        decoded.forEach((f, i) => {
          expect(Object.keys(f)).toEqual(Object.keys(findings[i] as PiiFinding));
          expect(Object.is(f.score, findings[i]?.score)).toBe(true); // -0 stays -0
        });
      }),
      { numRuns: 300 },
    );
  });

  it("round-trips any lists of findings (a batch of documents' results) exactly, empty lists included", () => {
    fc.assert(
      fc.property(fc.array(fc.array(finding, { maxLength: 12 }), { maxLength: 8 }), (lists) => {
        expect(decodeFindingLists(encodeFindingLists(lists) as ArrayBuffer)).toEqual(lists);
      }),
      { numRuns: 200 },
    );
  });

  it("round-trips a real scan's findings (the same JSON as the scanner's)", () => {
    const text = "Write to jane.roe@example.com or call +1 (415) 555-0132; IBAN GB82 WEST 1234 5698 7654 32, card 4111 1111 1111 1111.";
    const findings = new PiiScanner({ names: false }).scan(text);
    expect(findings.length).toBeGreaterThan(2);
    expect(JSON.stringify(decodeFindings(encodeFindings(findings) as ArrayBuffer))).toBe(JSON.stringify(findings));
  });

  it("packs nothing it could not give back exactly: an extra key, another key order, a key of another kind", () => {
    const f: PiiFinding = { type: "EMAIL", start: 1, end: 5, score: 1, recognizer: "EmailRecognizer" };
    expect(encodeFindings([f, { ...f, source: "x" } as PiiFinding])).toBeUndefined();
    expect(encodeFindings([{ start: 1, type: "EMAIL", end: 5, score: 1, recognizer: "r" } as PiiFinding])).toBeUndefined();
    expect(encodeFindings([{ ...f, start: "1" } as unknown as PiiFinding])).toBeUndefined();
    expect(encodeFindings([{ type: "EMAIL", start: 1, end: 5, score: 1 } as PiiFinding])).toBeUndefined();
    expect(decodeFindings(encodeFindings([]) as ArrayBuffer)).toEqual([]);
  });

  it("refuses a buffer cut short or naming names it does not hold, instead of reading past it", () => {
    fc.assert(
      fc.property(fc.array(finding, { minLength: 1, maxLength: 10 }), fc.nat(), (findings, cut) => {
        const buffer = encodeFindings(findings) as ArrayBuffer;
        const short = buffer.slice(0, cut % buffer.byteLength);
        expect(() => decodeFindings(short)).toThrow(RangeError);
      }),
      { numRuns: 200 },
    );
    const buffer = encodeFindings([{ type: "T", start: 0, end: 1, score: 1, recognizer: "R" }]) as ArrayBuffer;
    new Float64Array(buffer, 0, 2 + 1 + 2 + 5)[2 + 1 + 2 + 3] = 5; // the finding's type: name 5 of 2
    expect(() => decodeFindings(buffer)).toThrow(RangeError);
  });
});
