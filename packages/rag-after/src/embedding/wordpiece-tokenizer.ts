import { readFile } from "node:fs/promises";
import path from "node:path";
import { ModelError } from "../errors";

export interface WordPieceOptions {
  readonly lowercase?: boolean;
  /** Default: the same as `lowercase` (as BERT does). */
  readonly stripAccents?: boolean;
  readonly unkToken?: string;
  readonly clsToken?: string;
  readonly sepToken?: string;
  readonly padToken?: string;
  readonly continuingSubwordPrefix?: string;
  readonly maxInputCharsPerWord?: number;
  /** Truncation length including [CLS] and [SEP]. Default 512, or the tokenizer.json truncation. */
  readonly maxLength?: number;
}

interface TokenizerJson {
  normalizer?: { type?: string; lowercase?: boolean; strip_accents?: boolean | null } | null;
  model?: { type?: string; vocab?: Record<string, number>; unk_token?: string; continuing_subword_prefix?: string; max_input_chars_per_word?: number };
  truncation?: { max_length?: number } | null;
}

function isPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return /\p{P}/u.test(ch);
}

function isCjk(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) || (cp >= 0x2b740 && cp <= 0x2b81f) || (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/**
 * BERT WordPiece (the tokenizer of all-MiniLM, bge, e5 and most sentence-embedding models):
 * BertNormalizer (clean text, CJK spacing, accents, lowercase), BertPreTokenizer (whitespace and
 * punctuation) and greedy longest-match-first sub-words, framed by [CLS] … [SEP].
 */
export class WordPieceTokenizer {
  readonly clsId: number;
  readonly sepId: number;
  readonly padId: number;
  readonly unkId: number;
  readonly maxLength: number;
  readonly #vocab: ReadonlyMap<string, number>;
  readonly #lowercase: boolean;
  readonly #stripAccents: boolean;
  readonly #prefix: string;
  readonly #maxWordChars: number;
  readonly #wordCache = new Map<string, readonly number[]>();

  constructor(vocab: ReadonlyMap<string, number>, options: WordPieceOptions = {}) {
    this.#vocab = vocab;
    this.#lowercase = options.lowercase ?? true;
    this.#stripAccents = options.stripAccents ?? this.#lowercase;
    this.#prefix = options.continuingSubwordPrefix ?? "##";
    this.#maxWordChars = options.maxInputCharsPerWord ?? 100;
    this.maxLength = options.maxLength ?? 512;
    const id = (token: string): number => {
      const value = vocab.get(token);
      if (value === undefined) throw new ModelError(`WordPiece vocabulary has no special token '${token}'`);
      return value;
    };
    this.unkId = id(options.unkToken ?? "[UNK]");
    this.clsId = id(options.clsToken ?? "[CLS]");
    this.sepId = id(options.sepToken ?? "[SEP]");
    this.padId = vocab.get(options.padToken ?? "[PAD]") ?? 0;
  }

  get vocabSize(): number {
    return this.#vocab.size;
  }

  /** From a Hugging Face tokenizer.json with a WordPiece model. */
  static fromTokenizerJson(json: unknown, options: WordPieceOptions = {}): WordPieceTokenizer {
    const t = json as TokenizerJson;
    if (t?.model?.type !== "WordPiece" || !t.model.vocab) {
      throw new ModelError(`tokenizer.json holds a '${String(t?.model?.type)}' model, not WordPiece`);
    }
    const n = t.normalizer;
    return new WordPieceTokenizer(new Map(Object.entries(t.model.vocab)), {
      lowercase: n?.lowercase ?? true,
      ...(typeof n?.strip_accents === "boolean" ? { stripAccents: n.strip_accents } : {}),
      ...(t.model.unk_token ? { unkToken: t.model.unk_token } : {}),
      ...(t.model.continuing_subword_prefix ? { continuingSubwordPrefix: t.model.continuing_subword_prefix } : {}),
      ...(t.model.max_input_chars_per_word ? { maxInputCharsPerWord: t.model.max_input_chars_per_word } : {}),
      ...(t.truncation?.max_length ? { maxLength: t.truncation.max_length } : {}),
      ...options,
    });
  }

  /** From a BERT vocab.txt: one token per line, the id is the line number. */
  static fromVocabTxt(text: string, options: WordPieceOptions = {}): WordPieceTokenizer {
    const vocab = new Map<string, number>();
    text.split(/\r?\n/).forEach((token, i) => {
      if (token.length > 0 && !vocab.has(token)) vocab.set(token, i);
    });
    return new WordPieceTokenizer(vocab, options);
  }

  /** tokenizer.json if the folder has one, else vocab.txt. */
  static async fromDirectory(dir: string, options: WordPieceOptions = {}): Promise<WordPieceTokenizer> {
    try {
      const json = JSON.parse(await readFile(path.join(dir, "tokenizer.json"), "utf8")) as unknown;
      return WordPieceTokenizer.fromTokenizerJson(json, options);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error instanceof ModelError ? error : new ModelError(`tokenizer.json in '${dir}' is unreadable`, { cause: error });
    }
    try {
      return WordPieceTokenizer.fromVocabTxt(await readFile(path.join(dir, "vocab.txt"), "utf8"), options);
    } catch (error) {
      throw new ModelError(`no tokenizer.json or vocab.txt in '${dir}'`, { cause: error });
    }
  }

  /** Normalised words and punctuation, before sub-word splitting. */
  preTokenize(text: string): string[] {
    let clean = "";
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (cp === 0 || cp === 0xfffd || ((cp < 32 || (cp >= 0x7f && cp < 0xa0)) && !/\s/.test(ch))) continue;
      clean += isCjk(cp) ? ` ${ch} ` : /\s/.test(ch) ? " " : ch;
    }
    if (this.#lowercase) clean = clean.toLowerCase();
    if (this.#stripAccents) clean = clean.normalize("NFD").replace(/\p{Mn}/gu, "");
    const words: string[] = [];
    for (const piece of clean.split(" ")) {
      if (!piece) continue;
      let current = "";
      for (const ch of piece) {
        if (isPunctuation(ch)) {
          if (current) words.push(current);
          words.push(ch);
          current = "";
        } else current += ch;
      }
      if (current) words.push(current);
    }
    return words;
  }

  #wordIds(word: string): readonly number[] {
    const cached = this.#wordCache.get(word);
    if (cached) return cached;
    let ids: number[] = [];
    const chars = [...word];
    if (chars.length > this.#maxWordChars) ids = [this.unkId];
    else {
      let start = 0;
      while (start < chars.length) {
        let end = chars.length;
        let found: number | undefined;
        while (start < end) {
          const sub = (start > 0 ? this.#prefix : "") + chars.slice(start, end).join("");
          found = this.#vocab.get(sub);
          if (found !== undefined) break;
          end--;
        }
        if (found === undefined) {
          ids = [this.unkId];
          break;
        }
        ids.push(found);
        start = end;
      }
    }
    if (this.#wordCache.size > 50_000) this.#wordCache.clear();
    this.#wordCache.set(word, ids);
    return ids;
  }

  /** Token ids of `text` framed by [CLS] … [SEP], truncated to `maxLength`. */
  encode(text: string, maxLength = this.maxLength): number[] {
    const ids = [this.clsId];
    const limit = Math.max(2, maxLength) - 1;
    for (const word of this.preTokenize(text)) {
      for (const id of this.#wordIds(word)) {
        if (ids.length >= limit) break;
        ids.push(id);
      }
      if (ids.length >= limit) break;
    }
    ids.push(this.sepId);
    return ids;
  }
}
