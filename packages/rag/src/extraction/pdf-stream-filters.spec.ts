import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { ascii85, lzwEncode } from "../../test/support/hostile-files";
import { decodeAscii85, decodeAsciiHex, lzwDecodedSize, runLengthDecodedSize } from "./pdf-stream-filters";

const bytes = fc.uint8Array({ maxLength: 3000 });

describe("the PDF stream filters the bomb guard decodes", () => {
  it("ASCIIHexDecode gives back the bytes, whitespace and case ignored", () => {
    fc.assert(
      fc.property(bytes, fc.boolean(), (data, upper) => {
        let hex = Buffer.from(data).toString("hex").replace(/(..)/g, "$1 \n");
        if (upper) hex = hex.toUpperCase();
        expect(Buffer.from(decodeAsciiHex(Buffer.from(`${hex}>trailing`)))).toEqual(Buffer.from(data));
      }),
    );
    expect([...decodeAsciiHex(Buffer.from("7>"))]).toEqual([0x70]);
  });

  it("ASCII85Decode gives back the bytes, and reads z as four zeros", () => {
    fc.assert(fc.property(bytes, (data) => expect(Buffer.from(decodeAscii85(Buffer.from(`${ascii85(data)}~>`)))).toEqual(Buffer.from(data))));
    expect([...decodeAscii85(Buffer.from("z~>"))]).toEqual([0, 0, 0, 0]);
  });

  it("LZWDecode's counted length is the encoded data's length, through table resets", () => {
    fc.assert(fc.property(bytes, (data) => expect(lzwDecodedSize(lzwEncode(data), Number.MAX_SAFE_INTEGER)).toBe(data.length)));
    const long = Buffer.alloc(200_000).map((_, i) => (i * 7919) % 13);
    expect(lzwDecodedSize(lzwEncode(long), Number.MAX_SAFE_INTEGER)).toBe(long.length);
    expect(lzwDecodedSize(lzwEncode(Buffer.alloc(1 << 22, 0x20)), 1000)).toBeGreaterThan(1000);
  });

  it("RunLengthDecode's counted length follows the length bytes up to the end marker", () => {
    expect(runLengthDecodedSize(Uint8Array.from([2, 1, 2, 3, 0x81, 9, 128, 5, 5]), 1e9)).toBe(3 + 128);
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 128 }), fc.record({ byte: fc.integer({ min: 0, max: 255 }), times: fc.integer({ min: 2, max: 128 }) }))), (runs) => {
        const encoded: number[] = [];
        let expected = 0;
        for (const run of runs) {
          if (run instanceof Uint8Array) {
            encoded.push(run.length - 1, ...run);
            expected += run.length;
          } else {
            encoded.push(257 - run.times, run.byte);
            expected += run.times;
          }
        }
        encoded.push(128);
        expect(runLengthDecodedSize(Uint8Array.from(encoded), Number.MAX_SAFE_INTEGER)).toBe(expected);
      }),
    );
  });
});
