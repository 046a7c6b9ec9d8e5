import { DocumentResolver, HEAD_WEIGHT, NAME_WEIGHT, namingWords, type DocumentProfileInput, type NamingEntry } from "./document-resolver";

/** A document version the resolver should name: its record fields; its text is read only when not yet profiled. */
export interface NamedDocument {
  readonly id: string;
  readonly version: string;
  readonly title: string;
  readonly source: string;
  readonly parties: readonly string[];
  /** Scrubbed on ingest: its file name does not name it (see `namingWords`). */
  readonly scrubbed?: boolean;
}

/** What one document version contributes, kept so it can be taken out again without its text. */
interface Profile {
  readonly id: string;
  readonly names: readonly string[];
  readonly head: readonly string[];
  /** Vocabulary ids of every word of the document (see NamingIndex#vocabulary). */
  readonly words: Uint32Array;
}

/** Documents profiled between two yields to the event loop while an update reads texts. */
const DOCUMENTS_PER_SLICE = 16;

/** A copy of `w`: a word matched out of a text can be a slice of it that keeps the whole text alive. */
const ownCopy = (w: string): string => Buffer.from(w, "utf8").toString("utf8");

const keyOf = (d: Pick<NamedDocument, "id" | "version">): string => `${d.id}@${d.version}`;

/**
 * The resolver's tally, kept current one document at a time: each document version is profiled
 * once (its naming words and the set of words its text uses); a change of the document set then
 * adds and removes profiles instead of reading every text again. The resolver it makes ranks
 * exactly as one built from scratch over the same documents (same words, counts and weights).
 */
export class NamingIndex {
  /** Word -> vocabulary id, and back; ids of words no profile holds any more are reused. */
  readonly #vocabulary = new Map<string, number>();
  readonly #wordOf: string[] = [];
  readonly #freeIds: number[] = [];
  /** Per vocabulary id: profiles (kept) holding it, and member documents using it (df). */
  readonly #holders: number[] = [];
  readonly #df: number[] = [];
  /** Profiles by document version; members are those the resolver counts. */
  readonly #profiles = new Map<string, Profile>();
  /** Member document versions and their slots (the resolver scores documents by slot). */
  readonly #members = new Map<string, number>();
  readonly #idOfSlot: (string | undefined)[] = [];
  readonly #freeSlots: number[] = [];
  /** Naming word -> member slot -> weight. */
  readonly #postings = new Map<string, Map<number, number>>();
  /** The entries the last resolver was given, and the words changed since. */
  readonly #entries = new Map<string, NamingEntry>();
  readonly #changed = new Set<string>();

  /** Member documents. */
  get size(): number {
    return this.#members.size;
  }

  /** Distinct words whose strings this index holds (words of documents' plaintext: `clear` drops them). */
  get heldWords(): number {
    return this.#wordOf.reduce((n, w) => (w ? n + 1 : n), 0);
  }

  /** Drops every profile, member and word (an engine's dispose: the vocabulary is words of every plaintext). */
  clear(): void {
    this.#vocabulary.clear();
    this.#wordOf.length = 0;
    this.#freeIds.length = 0;
    this.#holders.length = 0;
    this.#df.length = 0;
    this.#profiles.clear();
    this.#members.clear();
    this.#idOfSlot.length = 0;
    this.#freeSlots.length = 0;
    this.#postings.clear();
    this.#entries.clear();
    this.#changed.clear();
  }

  /**
   * Makes the members exactly `documents` that are in `live` (and whose text can still be read) and returns their
   * resolver. Only versions not profiled before are read, through `texts`, a few at a time with the
   * event loop served between them; profiles of versions no longer in `live` (deleted or replaced
   * documents, default `documents`) are dropped. A failing `texts` (a dispose) leaves the index
   * consistent: members are whole documents.
   */
  async update(
    documents: readonly NamedDocument[],
    texts: (ids: readonly string[]) => AsyncIterable<{ id: string; version?: string; text: string }>,
    live: readonly NamedDocument[] = documents,
  ): Promise<DocumentResolver> {
    const liveKeys = new Set(live.map(keyOf));
    // `documents` may have been listed before `live` (a build waiting for another): one gone since is not a member.
    const wanted = new Map(documents.filter((d) => liveKeys.has(keyOf(d))).map((d) => [keyOf(d), d]));
    for (const key of [...this.#members.keys()]) if (!wanted.has(key)) this.#leave(key);
    for (const key of [...this.#profiles.keys()]) if (!liveKeys.has(key) && !wanted.has(key)) this.#forget(key);
    const unread: NamedDocument[] = [];
    for (const [key, d] of wanted) {
      if (this.#profiles.has(key)) this.#join(key);
      else unread.push(d);
    }
    const byId = new Map(unread.map((d) => [d.id, d]));
    let done = 0;
    for await (const { id, version, text } of texts(unread.map((d) => d.id))) {
      const d = byId.get(id);
      // A version replaced since `documents` was listed is profiled by the update that lists it.
      if (!d || (version !== undefined && version !== d.version)) continue;
      this.add(keyOf(d), { ...d, text });
      if (++done % DOCUMENTS_PER_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return this.resolver();
  }

  /** Profiles document version `key` (once) and counts it. */
  add(key: string, d: DocumentProfileInput): void {
    if (!this.#profiles.has(key)) this.#profiles.set(key, this.#profile(d));
    this.#join(key);
  }

  /** The resolver of the members as they are now (later changes do not reach it). */
  resolver(): DocumentResolver {
    for (const w of this.#changed) {
      const postings = this.#postings.get(w);
      if (!postings) this.#entries.delete(w);
      else this.#entries.set(w, { postings: [...postings].map(([slot, weight]) => ({ slot, weight })), df: this.#df[this.#vocabulary.get(w)!]! });
    }
    this.#changed.clear();
    return new DocumentResolver(new Map(this.#entries), [...this.#idOfSlot], this.#members.size);
  }

  #profile(d: DocumentProfileInput): Profile {
    const { names, head, words } = namingWords(d);
    const ids = new Uint32Array(words.size);
    let i = 0;
    for (const w of words) {
      let id = this.#vocabulary.get(w);
      if (id === undefined) {
        id = this.#freeIds.pop() ?? this.#wordOf.length;
        const copy = ownCopy(w);
        this.#vocabulary.set(copy, id);
        this.#wordOf[id] = copy;
        this.#holders[id] = 0;
        this.#df[id] = 0;
      }
      this.#holders[id]!++;
      ids[i++] = id;
    }
    // Names and most opening words are among `words` (not a word the opening's end cuts in two): kept as the vocabulary's copy.
    const own = (w: string): string => {
      const id = this.#vocabulary.get(w);
      return id === undefined ? ownCopy(w) : this.#wordOf[id]!;
    };
    return { id: d.id, names: [...names].map(own), head: [...head].map(own), words: ids };
  }

  #join(key: string): void {
    if (this.#members.has(key)) return;
    const p = this.#profiles.get(key)!;
    const slot = this.#freeSlots.pop() ?? this.#idOfSlot.length;
    this.#members.set(key, slot);
    this.#idOfSlot[slot] = p.id;
    this.#count(p, slot, 1);
  }

  #leave(key: string): void {
    const slot = this.#members.get(key);
    if (slot === undefined) return;
    this.#count(this.#profiles.get(key)!, slot, -1);
    this.#members.delete(key);
    this.#idOfSlot[slot] = undefined;
    this.#freeSlots.push(slot);
  }

  #forget(key: string): void {
    this.#leave(key);
    const p = this.#profiles.get(key)!;
    this.#profiles.delete(key);
    for (const id of p.words) {
      if (--this.#holders[id]! > 0) continue;
      this.#vocabulary.delete(this.#wordOf[id]!);
      this.#wordOf[id] = ""; // the word is not held until the id is reused
      this.#freeIds.push(id);
    }
  }

  /** Adds (+1) or takes out (-1) a member's postings and document frequencies. */
  #count(p: Profile, slot: number, sign: 1 | -1): void {
    const post = (w: string, weight: number): void => {
      let postings = this.#postings.get(w);
      if (sign > 0) {
        if (!postings) this.#postings.set(w, (postings = new Map()));
        postings.set(slot, weight);
      } else if (postings) {
        postings.delete(slot);
        if (postings.size === 0) this.#postings.delete(w);
      }
      this.#changed.add(w);
    };
    for (const w of p.names) post(w, NAME_WEIGHT);
    for (const w of p.head) post(w, HEAD_WEIGHT);
    for (const id of p.words) {
      this.#df[id]! += sign;
      const w = this.#wordOf[id]!;
      if (this.#postings.has(w)) this.#changed.add(w);
    }
  }
}

/** The resolver of `documents` (each a version of its own), built at once. */
export function documentResolver(documents: Iterable<DocumentProfileInput>): DocumentResolver {
  const index = new NamingIndex();
  for (const d of documents) index.add(d.id, d);
  return index.resolver();
}
