import { jsonCodec, type CacheCodec, type DocumentKeyring } from "@bear/core";
import type { SearchHit } from "../retrieval/search-types";

/** What of a hit is the document's own (its words): sealed under the document's key in a cached result. */
type HitText = Pick<SearchHit, "title" | "source" | "sectionPath" | "text" | "snippet">;
type CachedHit = Omit<SearchHit, keyof HitText> & { readonly sealed: string };

const json = jsonCodec<CachedHit[]>();

/**
 * Cached search results of an index with per-document data keys: each hit's text, snippet, title,
 * source and section path are sealed under its document's key (the rest — ids, offsets, scores — as
 * they are), so deleting a document shreds its passages in every cached result too, wherever a copy
 * of the cache lies. A result holding a shredded document's hit decodes as `undefined`: a miss.
 */
export function sealedHitsCodec(keyring: DocumentKeyring): CacheCodec<SearchHit[] | undefined> {
  return {
    encode(hits) {
      return json.encode(
        (hits ?? []).map(({ title, source, sectionPath, text, snippet, ...rest }) => ({ ...rest, sealed: keyring.seal(rest.documentId, JSON.stringify({ title, source, sectionPath, text, snippet })) })),
      );
    },
    decode(bytes) {
      try {
        return json.decode(bytes).map(({ sealed, ...rest }) => ({ ...rest, ...(JSON.parse(keyring.open(rest.documentId, sealed)) as HitText) }));
      } catch {
        return undefined; // a document's key was destroyed (or the entry is not ours): compute afresh
      }
    },
  };
}
