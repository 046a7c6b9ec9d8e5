import { legalForms } from "../pii/recognizers/legal-forms";
import { HONORIFIC_WORDS } from "../pii/recognizers/name-cue-anchors";

/** Titles before a person's name ("Mr. Schedler" is Schedler), and "Messrs." before several. */
const HONORIFIC = new RegExp(`^(?:(?:${[...HONORIFIC_WORDS, "Messrs"].join("|")})\\.?\\s+)+`, "i");
/** One legal form ending a name, after a space or comma ("Good Sam Enterprises, LLC" is Good Sam Enterprises). */
const FORM_AT_END = new RegExp(`[\\s,](?:${legalForms("e")})\\.?$`, "i");
/** Longer than any form with its period and the separator before it: where a form ending a name can start. */
const FORM_TAIL = 32;

/**
 * The name without the legal forms ending it (what `replace(/(?:[\s,]+(?:forms)\.?)+$/i, "")` removes), peeled one at a
 * time from the end, each looked for in the last FORM_TAIL characters only: that regex read a long run of spaces or
 * commas to its end from each of its positions when no form ended the name (a plugin recognizer's span of 64,000
 * characters: 1.9-3.8 s; now < 1 ms; rev14 R14-4).
 */
export function withoutLegalForms(value: string): string {
  let end = value.length;
  for (;;) {
    const from = Math.max(0, end - FORM_TAIL);
    const form = FORM_AT_END.exec(value.slice(from, end));
    if (!form) return value.slice(0, end);
    end = from + form.index;
    while (end > 0 && /[\s,]/.test(value[end - 1] as string)) end--;
  }
}
/** Words of a name that say nothing about which one it is. */
const FILLER = /^(?:the|of|and|&|de|van|von|der|da|di|del|la|le)$/;

/** What an EntityLinker knows, as plain data (it names people: store it sealed). */
export interface EntityLinkerState {
  readonly entities: Readonly<Record<string, readonly { readonly id: number; readonly words: readonly string[]; readonly mentions?: readonly string[]; readonly acronym?: string; readonly registered?: string }[]>>;
  readonly next: Readonly<Record<string, number>>;
}

interface Entity {
  readonly id: number;
  /** Words of the longest mention seen, lower-case, without titles and legal forms. */
  words: string[];
  /** Organisations: the short mentions already linked to it ("licensing"), which keep their entity. */
  mentions?: string[];
  /** Organisations: the initials of the longest mention with its legal form ("ntc" for Nanotec Technologies Corporation). */
  acronym?: string;
  /** Organisations: the words of its registered name, the first mention of it written with a legal form ("good sam enterprises"). */
  registered?: string;
}

/** Initials of an organisation's name with its legal form ("Nanotec Technologies Corporation" → "ntc"). */
function acronymOf(value: string): string {
  const words = (value.normalize("NFKC").replace(/^the\s+/i, "").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !FILLER.test(w));
  return words.length >= 2 ? words.map((w) => w[0]).join("") : "";
}

/**
 * The words that identify a mention and, for an organisation written with a legal form, its registered name ("Oaktree
 * Capital Management, L.P."): those words joined. Two different registered names are two legal persons, however many
 * words they share ("Oaktree Capital Management (International) Limited" is another company, a parent's name inside a
 * subsidiary's), so a mention never joins an entity registered under another name.
 */
function identify(type: string, value: string): { readonly words: string[]; readonly registered?: string } {
  let v = value.normalize("NFKC").trim();
  let formed = false;
  if (type === "PERSON") v = v.replace(HONORIFIC, "");
  if (type === "ORGANIZATION") {
    const bare = withoutLegalForms(v);
    formed = bare !== v;
    v = bare.replace(/^the\s+/i, "");
  }
  const words = (v.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 0);
  return formed && words.length > 0 ? { words, registered: words.join(" ") } : { words };
}

const initials = (words: readonly string[]): string => words.filter((w) => !FILLER.test(w)).map((w) => w[0]).join("");

/** True when `short` names the same person as `long`: its words are among long's, and it ends with long's surname. */
function samePerson(short: readonly string[], long: readonly string[]): boolean {
  if (short.length === 0 || short.length > long.length) return false;
  const last = short[short.length - 1];
  // initials ("Paul E. Schedler" / "P. E. Schedler") count as their words
  const has = (w: string): boolean => long.includes(w) || (w.length === 1 && long.some((x) => x.startsWith(w)));
  return last === long[long.length - 1] && short.every(has);
}

/**
 * True when `short` names the same organisation as `long`: its initials, or a run of its words that is not only
 * fillers ("Good Sam" of Good Sam Enterprises; "Tooling" of Norvale Tooling LLC, a party's short name for itself).
 */
function sameOrganization(short: readonly string[], long: readonly string[]): boolean {
  if (short.length === 0) return false;
  if (short.length === 1 && short[0] === initials(long) && (short[0]?.length ?? 0) >= 2) return true;
  if (short.length > long.length || short.every((w) => FILLER.test(w))) return false;
  for (let at = 0; at + short.length <= long.length; at++) if (short.every((w, i) => long[at + i] === w)) return true;
  return false;
}

/** Entities keyed by a string, each key's set in no particular order (candidates are re-checked and ordered by position). */
class KeyIndex {
  private readonly map = new Map<string, Set<Entity>>();
  add(key: string, e: Entity): void {
    let set = this.map.get(key);
    if (!set) this.map.set(key, (set = new Set()));
    set.add(e);
  }
  remove(key: string, e: Entity): void {
    const set = this.map.get(key);
    if (set?.delete(e) && set.size === 0) this.map.delete(key);
  }
  get(key: string): ReadonlySet<Entity> | undefined {
    return this.map.get(key);
  }
}

/**
 * Longest run of an organisation's words that is indexed as a key. Every run of every length would cost O(w²) keys of
 * O(w) characters for a name of w words (a 300-word ORGANIZATION span from a plugin recognizer: ~45,000 keys, ~30 MB,
 * seconds on the event loop; rev12 #18); runs of at most this many words cost O(w) keys of bounded size, and longer
 * names are found through their first `MAX_RUN_WORDS` words (see `EntityTable.candidates`).
 */
export const MAX_RUN_WORDS = 8;

/** Every contiguous run of at most `max` words ("good sam", "sam enterprises", … of "good sam enterprises"), joined by spaces. */
function runsOf(words: readonly string[], max: number): string[] {
  const runs: string[] = [];
  for (let at = 0; at < words.length; at++) for (let end = at + 1; end <= Math.min(words.length, at + max); end++) runs.push(words.slice(at, end).join(" "));
  return runs;
}

/** The first `max` words of a name, joined: the key under which a name longer than `max` words is found. */
const headOf = (words: readonly string[], max: number): string => words.slice(0, max).join(" ");

/** An entity with its place in its type's list (the order the linear scan would meet it in). */
interface Placed extends Entity {
  readonly position: number;
}

/**
 * The entities of one type with indexes that name every entity `EntityLinker.link` could match, so a mention is
 * compared with the few that share its surname (people) or a run of words, initials or a short mention (organisations)
 * instead of with every entity. Each index is a superset of what matches; the linker's predicates decide, as before.
 */
class EntityTable {
  readonly list: Placed[] = [];
  /** Whole words of each entity ("paul e schedler"). */
  private readonly byWords = new KeyIndex();
  /** PERSON: the last word (samePerson requires the same surname). */
  private readonly bySurname = new KeyIndex();
  /** ORGANIZATION: every contiguous run of at most `maxRun` of its words (a mention that is a run of an entity's name). */
  private readonly byRun = new KeyIndex();
  /** ORGANIZATION, names longer than `maxRun` words: their first `maxRun` words (an entity whose name is a run of a long mention). */
  private readonly byHead = new KeyIndex();
  /** ORGANIZATION: initials of its words ("gse"). */
  private readonly byInitials = new KeyIndex();
  /** ORGANIZATION: its acronym with the legal form ("ntc"). */
  private readonly byAcronym = new KeyIndex();
  /** ORGANIZATION: short mentions linked to it, and those mentions' initials. */
  private readonly byMention = new KeyIndex();
  private readonly byMentionInitials = new KeyIndex();

  constructor(
    private readonly type: string,
    private readonly maxRun: number,
  ) {}

  add(entity: Entity): Placed {
    const placed: Placed = Object.assign(entity, { position: this.list.length });
    this.list.push(placed);
    this.indexWords(placed, true);
    if (placed.acronym) this.byAcronym.add(placed.acronym, placed);
    for (const m of placed.mentions ?? []) this.indexMention(placed, m);
    return placed;
  }

  setWords(e: Placed, words: string[]): void {
    this.indexWords(e, false);
    e.words = words;
    this.indexWords(e, true);
  }

  setAcronym(e: Placed, acronym: string): void {
    if (e.acronym) this.byAcronym.remove(e.acronym, e);
    e.acronym = acronym;
    if (acronym) this.byAcronym.add(acronym, e);
  }

  addMention(e: Placed, mention: string): void {
    (e.mentions ??= []).push(mention);
    this.indexMention(e, mention);
  }

  /** The first entity, in list order, among `set` that passes `test`. */
  static first(set: Iterable<Placed> | undefined, test: (e: Placed) => boolean = () => true): Placed | undefined {
    let best: Placed | undefined;
    for (const e of set ?? []) if ((!best || e.position < best.position) && test(e)) best = e;
    return best;
  }

  withMention(key: string, test?: (e: Placed) => boolean): Placed | undefined {
    return EntityTable.first(this.byMention.get(key) as ReadonlySet<Placed> | undefined, test);
  }

  withWords(key: string, test?: (e: Placed) => boolean): Placed | undefined {
    return EntityTable.first(this.byWords.get(key) as ReadonlySet<Placed> | undefined, test);
  }

  /** Organisations whose acronym, or one of whose mentions' initials, is `word`. */
  initialled(word: string): Placed[] {
    return EntityTable.union([this.byAcronym.get(word), this.byMentionInitials.get(word)]);
  }

  /** Every entity that could be `same(type, words, e.words)`: a superset, in list order. */
  candidates(words: readonly string[]): Placed[] {
    if (words.length === 0) return [];
    const key = words.join(" ");
    if (this.type === "PERSON") return EntityTable.union([this.bySurname.get(words[words.length - 1] ?? "")]);
    if (this.type !== "ORGANIZATION") return EntityTable.union([this.byWords.get(key)]);
    // the mention is a run of the entity's words, the entity's words are a run of the mention, or one is the other's
    // initials. Only runs of at most maxRun words are keys, so a mention longer than that is looked up by its first
    // maxRun words (every entity holding the whole mention holds that run), and an entity longer than that by its
    // first maxRun words at each place of the mention: supersets, which `same` then decides.
    const max = this.maxRun;
    const sets = [this.byRun.get(words.length <= max ? key : headOf(words, max)), ...runsOf(words, max).map((run) => this.byWords.get(run)), this.byWords.get(initials(words))];
    for (let at = 0; at + max < words.length; at++) sets.push(this.byHead.get(words.slice(at, at + max).join(" ")));
    if (words.length === 1) sets.push(this.byInitials.get(words[0] ?? ""));
    return EntityTable.union(sets);
  }

  private static union(sets: readonly (ReadonlySet<Entity> | undefined)[]): Placed[] {
    const seen = new Set<Placed>();
    for (const set of sets) for (const e of set ?? []) seen.add(e as Placed);
    return [...seen].sort((a, b) => a.position - b.position);
  }

  private indexWords(e: Placed, add: boolean): void {
    const op = (index: KeyIndex, key: string): void => (add ? index.add(key, e) : index.remove(key, e));
    op(this.byWords, e.words.join(" "));
    if (e.words.length === 0) return;
    if (this.type === "PERSON") op(this.bySurname, e.words[e.words.length - 1] ?? "");
    if (this.type === "ORGANIZATION") {
      for (const run of runsOf(e.words, this.maxRun)) op(this.byRun, run);
      if (e.words.length > this.maxRun) op(this.byHead, headOf(e.words, this.maxRun));
      op(this.byInitials, initials(e.words));
    }
  }

  private indexMention(e: Placed, mention: string): void {
    this.byMention.add(mention, e);
    const words = mention.split(" ");
    if (words.length >= 2) this.byMentionInitials.add(initials(words), e);
  }
}

/**
 * Links the mentions of one person or organisation in a document or matter ("Paul E. Schedler", "Mr. Schedler",
 * "Schedler"; "Good Sam Enterprises, LLC", "Good Sam", "GSE") to one entity number. A mention that could be two
 * known entities ("Smith" with "Ann Smith" and "Bob Smith") gets one of its own: merging two people would be worse.
 *
 * Cost: a mention is compared only with the entities its indexes name (people sharing its surname; organisations
 * sharing a run of words, initials or a short mention), so a text or matter with n distinct people costs O(n), not
 * O(n²). The numbering is that of a scan over every entity in order (the spec keeps that scan as its oracle).
 */
export class EntityLinker {
  private readonly tables = new Map<string, EntityTable>();
  /** Longest run of an organisation's words used as an index key (`MAX_RUN_WORDS`; smaller in tests, to exercise the long-name path). */
  private readonly maxRunWords: number;
  private readonly next = new Map<string, number>();
  /** How many entity-to-mention comparisons were made (deterministic cost, for tests and benches). */
  private compared = 0;

  constructor(options: { readonly maxRunWords?: number } = {}) {
    this.maxRunWords = Math.max(1, Math.floor(options.maxRunWords ?? MAX_RUN_WORDS));
  }

  /** Its entities and counters as plain data. */
  state(): EntityLinkerState {
    return {
      entities: Object.fromEntries([...this.tables].map(([type, table]) => [type, table.list.map((e) => ({ id: e.id, words: [...e.words], ...(e.mentions ? { mentions: [...e.mentions] } : {}), ...(e.acronym ? { acronym: e.acronym } : {}), ...(e.registered ? { registered: e.registered } : {}) }))])),
      next: Object.fromEntries(this.next),
    };
  }

  /** A linker that continues from `state` (the same mentions get the same numbers). */
  static fromState(state: EntityLinkerState, options: { readonly maxRunWords?: number } = {}): EntityLinker {
    const linker = new EntityLinker(options);
    for (const [type, list] of Object.entries(state.entities)) {
      const table = linker.table(type);
      for (const e of list) table.add({ id: e.id, words: [...e.words], ...(e.mentions ? { mentions: [...e.mentions] } : {}), ...(e.acronym ? { acronym: e.acronym } : {}), ...(e.registered ? { registered: e.registered } : {}) });
    }
    for (const [type, n] of Object.entries(state.next)) linker.next.set(type, n);
    return linker;
  }

  /** Entity-to-mention comparisons made so far: grows with mentions × the entities sharing a word, not × all entities. */
  comparisons(): number {
    return this.compared;
  }

  /** The entity number of a mention, registering it when it is new. */
  link(type: string, value: string): number {
    const { words, registered } = identify(type, value);
    const table = this.table(type);
    const key = words.join(" ");
    // an entity registered under another name is another legal person
    const compatible = (e: Entity): boolean => registered === undefined || e.registered === undefined || e.registered === registered;
    const linked = (e: Entity): number => {
      if (registered !== undefined) e.registered ??= registered;
      return e.id;
    };
    // a short name that named one organisation keeps naming it when a second one sharing the word turns up later
    // ("Tooling" for Norvale Tooling LLC, then NWI Tooling LLC in the recitals); people are not linked this way
    const known = type === "ORGANIZATION" ? table.withMention(key, compatible) : undefined;
    if (known) return linked(known);
    // "NTC" for Nanotec Technologies Corporation: initials that take in the legal form
    // and "DL" for Dorval Lines Media when it was first named "DORVAL LINES, INC.": the initials of a shorter mention count too
    const withForm = type === "ORGANIZATION" && words.length === 1 && (words[0]?.length ?? 0) >= 2 ? table.initialled(words[0] ?? "").filter(compatible) : [];
    const matches = words.length === 0 ? [] : withForm.length === 1 ? withForm : this.matching(type, words, table.candidates(words)).filter(compatible);
    if (matches.length === 1 && matches[0]) {
      const e = matches[0];
      const shorter = words.length > e.words.length ? e.words.join(" ") : key;
      if (words.length > e.words.length) {
        table.setWords(e, words);
        if (type === "ORGANIZATION") table.setAcronym(e, acronymOf(value));
      }
      if (type === "ORGANIZATION" && shorter !== e.words.join(" ") && !(e.mentions ?? []).includes(shorter)) table.addMention(e, shorter);
      return linked(e);
    }
    const exact = table.withWords(key, compatible);
    if (exact) return linked(exact);
    const id = (this.next.get(type) ?? 0) + 1;
    this.next.set(type, id);
    table.add(type === "ORGANIZATION" ? { id, words, acronym: acronymOf(value), ...(registered !== undefined ? { registered } : {}) } : { id, words });
    return id;
  }

  private table(type: string): EntityTable {
    let table = this.tables.get(type);
    if (!table) this.tables.set(type, (table = new EntityTable(type, this.maxRunWords)));
    return table;
  }

  private matching(type: string, words: readonly string[], candidates: readonly Placed[]): Placed[] {
    this.compared += candidates.length;
    return candidates.filter((e) => this.same(type, words, e.words));
  }

  private same(type: string, a: readonly string[], b: readonly string[]): boolean {
    if (a.join(" ") === b.join(" ")) return true;
    const [short, long] = a.length <= b.length ? [a, b] : [b, a];
    if (type === "PERSON") return samePerson(short, long);
    if (type === "ORGANIZATION") return sameOrganization(short, long);
    return false;
  }
}

/** Types whose mentions are linked into entities; every other type is numbered by its exact value. */
export const LINKED_TYPES: ReadonlySet<string> = new Set(["PERSON", "ORGANIZATION"]);
