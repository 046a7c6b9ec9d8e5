import fc from "fast-check";
import { newModelFile, readModelFile } from "./model-file";

class FileError extends Error {}
const fail = (reason: string): never => {
  throw new FileError(reason);
};

describe("model files", () => {
  it("read back any header, with the body 4-byte aligned after it", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.boolean())), fc.integer({ min: 0, max: 64 }), (header, bodyBytes) => {
        const { bytes, bodyStart } = newModelFile("BEARTST1", header, bodyBytes);
        expect(bodyStart % 4).toBe(0);
        expect(bytes.length).toBe(bodyStart + bodyBytes);
        const read = readModelFile<Record<string, unknown>>(bytes, "BEARTST1", "test model", fail);
        expect(read.header).toEqual(JSON.parse(JSON.stringify(header)));
        expect(read.bodyStart).toBe(bodyStart);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses another signature, a header running past the end, and a header that is not JSON", () => {
    const { bytes } = newModelFile("BEARTST1", { version: 1 }, 8);
    expect(() => readModelFile(bytes, "BEARXXX1", "x model", fail)).toThrow("not a BEAR x model (no BEARXXX1 signature)");
    expect(() => readModelFile(bytes.subarray(0, 14), "BEARTST1", "x model", fail)).toThrow(/header of \d+ bytes runs past the end of the 14-byte file/);
    const broken = Uint8Array.from(bytes);
    broken[12] = "!".charCodeAt(0);
    expect(() => readModelFile(broken, "BEARTST1", "x model", fail)).toThrow("its header is not JSON");
    const scalar = newModelFile("BEARTST1", 42, 0).bytes;
    expect(() => readModelFile(scalar, "BEARTST1", "x model", fail)).toThrow("its header is not a JSON object");
  });
});
