import { createRequire } from "node:module";
import { shippedAsset } from "@bear/core";
import type nlpType from "compromise";
import { NameModelError } from "../../errors";

type Nlp = typeof nlpType;
type Lexicon = Record<string, string | string[]>;
let loaded: Nlp | undefined;
let lexiconOf: Lexicon | undefined;

/**
 * compromise (NLP tagging), loaded on first use: it costs most of a second of CPU to load, and
 * importing @bear/security (to write an audit record, check a key…) should not pay for it.
 */
export function nlp(): Nlp {
  return (loaded ??= createRequire(import.meta.url)("compromise") as Nlp);
}

/** compromise's lexicon as the package ships it (`model/`, written by train/compromise-lexicon.ts). */
export const COMPROMISE_LEXICON_FILE = "compromise-lexicon.json";

const shipped = shippedAsset({
  fileName: COMPROMISE_LEXICON_FILE,
  from: import.meta.url,
  parse: (bytes, file): Lexicon => {
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString("utf8"));
    } catch (error) {
      throw new NameModelError(file, "the word lexicon is not JSON", { cause: error });
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new NameModelError(file, "the word lexicon is not an object of words");
    return value as Lexicon;
  },
});

/**
 * compromise's word → tags lexicon (lower-case keys): the copy shipped in `model/` (the same words and tags, read in
 * about 20 ms of CPU instead of the 350 ms it costs each scanning thread to load compromise), or compromise's own
 * when the file is absent.
 */
export function lexicon(): Lexicon {
  return (lexiconOf ??= shipped.load() ?? (nlp().model() as { one: { lexicon: Lexicon } }).one.lexicon);
}
