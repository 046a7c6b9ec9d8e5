import type { CacheCodec } from "./cache";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Plain JSON (the default): anything JSON.stringify round-trips. */
export function jsonCodec<T>(): CacheCodec<T> {
  return {
    encode: (value) => encoder.encode(JSON.stringify(value)),
    decode: (bytes) => JSON.parse(decoder.decode(bytes)) as T,
  };
}

/** One vector as its raw little-endian float32 bytes (4 bytes a dimension, no envelope). */
export const float32Codec: CacheCodec<Float32Array> = {
  encode: (vector) => new Uint8Array(vector.buffer.slice(vector.byteOffset, vector.byteOffset + vector.byteLength)),
  decode: (bytes) => new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
};
