/**
 * The entity linker as it was before its indexes (session 12, rev12 #6): every mention compared with every entity of
 * its type, in order. Kept as the oracle of src/scrub/entity-linker.spec.ts and bench/entity-linker.ts: the indexed
 * linker must give exactly its numbers and state. Changed once since, with the linker's rule (session 14): a mention
 * never joins an organisation registered under another name.
 */
import { legalForms } from "../../src/pii/recognizers/legal-forms";
import { HONORIFIC_WORDS } from "../../src/pii/recognizers/name-cue-anchors";

/** Titles before a person's name ("Mr. Schedler" is Schedler), and "Messrs." before several. */
const HONORIFIC = new RegExp(`^(?:(?:${[...HONORIFIC_WORDS, "Messrs"].join("|")})\\.?\\s+)+`, "i");
/** Legal forms after an organisation's name ("Good Sam Enterprises, LLC" is Good Sam Enterprises). */
const LEGAL_FORM = new RegExp(`(?:[\\s,]+(?:${legalForms("e")})\\.?)+$`, "i");
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
  /** Organisations: the words of the first mention written with a legal form (session 14: another registered name is another entity). */
  registered?: string;
}

/** Initials of an organisation's name with its legal form ("Nanotec Technologies Corporation" → "ntc"). */
function acronymOf(value: string): string {
  const words = (value.normalize("NFKC").replace(/^the\s+/i, "").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !FILLER.test(w));
  return words.length >= 2 ? words.map((w) => w[0]).join("") : "";
}

/** The words that identify a mention, and (for organisations) its initials. */
function wordsOf(type: string, value: string): string[] {
  let v = value.normalize("NFKC").trim();
  if (type === "PERSON") v = v.replace(HONORIFIC, "");
  if (type === "ORGANIZATION") v = v.replace(LEGAL_FORM, "").replace(/^the\s+/i, "");
  return (v.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 0);
}

const initials = (words: readonly string[]): string => words.filter((w) => !FILLER.test(w)).map((w) => w[0]).join("");

/** Whether `acronym` is the initials of one of an organisation's shorter mentions of two words or more. */
function initialsOfMention(e: Entity, acronym: string): boolean {
  return (e.mentions ?? []).some((m) => {
    const words = m.split(" ");
    return words.length >= 2 && initials(words) === acronym;
  });
}

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

/**
 * Links the mentions of one person or organisation in a document or matter ("Paul E. Schedler", "Mr. Schedler",
 * "Schedler"; "Good Sam Enterprises, LLC", "Good Sam", "GSE") to one entity number. A mention that could be two
 * known entities ("Smith" with "Ann Smith" and "Bob Smith") gets one of its own: merging two people would be worse.
 */
export class LinearEntityLinker {
  private readonly entities = new Map<string, Entity[]>();
  private readonly next = new Map<string, number>();

  /** Its entities and counters as plain data. */
  state(): EntityLinkerState {
    return {
      entities: Object.fromEntries([...this.entities].map(([type, list]) => [type, list.map((e) => ({ id: e.id, words: [...e.words], ...(e.mentions ? { mentions: [...e.mentions] } : {}), ...(e.acronym ? { acronym: e.acronym } : {}), ...(e.registered ? { registered: e.registered } : {}) }))])),
      next: Object.fromEntries(this.next),
    };
  }

  /** A linker that continues from `state` (the same mentions get the same numbers). */
  static fromState(state: EntityLinkerState): LinearEntityLinker {
    const linker = new LinearEntityLinker();
    for (const [type, list] of Object.entries(state.entities)) linker.entities.set(type, list.map((e) => ({ id: e.id, words: [...e.words], ...(e.mentions ? { mentions: [...e.mentions] } : {}), ...(e.acronym ? { acronym: e.acronym } : {}), ...(e.registered ? { registered: e.registered } : {}) })));
    for (const [type, n] of Object.entries(state.next)) linker.next.set(type, n);
    return linker;
  }

  /** The entity number of a mention, registering it when it is new. */
  link(type: string, value: string): number {
    const words = wordsOf(type, value);
    const list = this.entities.get(type) ?? [];
    this.entities.set(type, list);
    const key = words.join(" ");
    const v = value.normalize("NFKC").trim();
    const registered = type === "ORGANIZATION" && words.length > 0 && v.replace(LEGAL_FORM, "") !== v ? key : undefined;
    const compatible = (e: Entity): boolean => registered === undefined || e.registered === undefined || e.registered === registered;
    const linked = (e: Entity): number => {
      if (registered !== undefined) e.registered ??= registered;
      return e.id;
    };
    // a short name that named one organisation keeps naming it when a second one sharing the word turns up later
    // ("Tooling" for Norvale Tooling LLC, then NWI Tooling LLC in the recitals); people are not linked this way
    const known = type === "ORGANIZATION" ? list.find((e) => e.mentions?.includes(key) && compatible(e)) : undefined;
    if (known) return linked(known);
    // "NTC" for Nanotec Technologies Corporation: initials that take in the legal form
    // and "DL" for Dorval Lines Media when it was first named "DORVAL LINES, INC.": the initials of a shorter mention count too
    const withForm = type === "ORGANIZATION" && words.length === 1 && (words[0]?.length ?? 0) >= 2 ? list.filter((e) => (e.acronym === words[0] || initialsOfMention(e, words[0] ?? "")) && compatible(e)) : [];
    const matches = words.length === 0 ? [] : withForm.length === 1 ? withForm : list.filter((e) => this.same(type, words, e.words) && compatible(e));
    if (matches.length === 1 && matches[0]) {
      const e = matches[0];
      const shorter = words.length > e.words.length ? e.words.join(" ") : key;
      if (words.length > e.words.length) {
        e.words = words;
        if (type === "ORGANIZATION") e.acronym = acronymOf(value);
      }
      if (type === "ORGANIZATION" && shorter !== e.words.join(" ") && !(e.mentions ??= []).includes(shorter)) e.mentions.push(shorter);
      return linked(e);
    }
    const exact = list.find((e) => e.words.join(" ") === words.join(" ") && compatible(e));
    if (exact) return linked(exact);
    const id = (this.next.get(type) ?? 0) + 1;
    this.next.set(type, id);
    list.push(type === "ORGANIZATION" ? { id, words, acronym: acronymOf(value), ...(registered !== undefined ? { registered } : {}) } : { id, words });
    return id;
  }

  private same(type: string, a: readonly string[], b: readonly string[]): boolean {
    if (a.join(" ") === b.join(" ")) return true;
    const [short, long] = a.length <= b.length ? [a, b] : [b, a];
    if (type === "PERSON") return samePerson(short, long);
    if (type === "ORGANIZATION") return sameOrganization(short, long);
    return false;
  }
}

