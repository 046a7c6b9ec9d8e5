import type { CacheCodec, DocumentKeyring } from "@bear/core";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A cached value made from one stored document (its review report), sealed under that document's
 * data key: deleting the document shreds it wherever a copy of the cache lies. A value whose key
 * was destroyed decodes as `undefined`, a miss.
 */
export function documentSealedCodec<T>(keyring: DocumentKeyring, documentId: string): CacheCodec<T | undefined> {
  return {
    encode: (value) => encoder.encode(keyring.seal(documentId, JSON.stringify(value))),
    decode(bytes) {
      try {
        return JSON.parse(keyring.open(documentId, decoder.decode(bytes))) as T;
      } catch {
        return undefined;
      }
    },
  };
}
