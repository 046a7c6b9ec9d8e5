// The layout every weights file of this package shares: an 8-byte signature, the JSON header's length
// (uint32, little-endian), the JSON header, zero padding to a 4-byte boundary, then the body (arrays of
// the model's own layout). One reader and one writer, so the three models check it the same way.

/** Throws the model's own typed error (ClauseModelError, KeyTermModelError, ChecklistModelError). */
export type ModelFileFailure = (reason: string, cause?: unknown) => never;

export interface ModelFile<H> {
  readonly header: H;
  /** Offset of the body (4-byte aligned). */
  readonly bodyStart: number;
  /** A view over the whole input, for reading little-endian numbers of the body. */
  readonly view: DataView;
}

/** Reads the signature and header; `what` names the model in the message ("clause model"). */
export function readModelFile<H>(bytes: Uint8Array, magic: string, what: string, fail: ModelFileFailure): ModelFile<H> {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== magic) fail(`not a BEAR ${what} (no ${magic} signature)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length) fail(`header of ${headerLength} bytes runs past the end of the ${bytes.length}-byte file`);
  let header: H;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as H;
  } catch (cause) {
    return fail("its header is not JSON", cause);
  }
  if (header === null || typeof header !== "object") fail("its header is not a JSON object");
  return { header, bodyStart: Math.ceil((12 + headerLength) / 4) * 4, view };
}

/** A zeroed file of the given body size with signature and header written; the caller fills the body. */
export function newModelFile(magic: string, header: unknown, bodyBytes: number): { bytes: Uint8Array; bodyStart: number; view: DataView } {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const bodyStart = Math.ceil((12 + json.length) / 4) * 4;
  const bytes = new Uint8Array(bodyStart + bodyBytes);
  bytes.set(new TextEncoder().encode(magic), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, json.length, true);
  bytes.set(json, 12);
  return { bytes, bodyStart, view };
}
