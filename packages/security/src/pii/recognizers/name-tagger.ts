import { createHash } from "node:crypto";
import { nlp } from "./compromise-nlp";

/** The parts of compromise's internals the tagger drives (compromise 14.17; see `nlp.world()`). */
interface Term {
  readonly tags: ReadonlySet<string>;
  readonly index: readonly [number, number];
  readonly pre: string;
  readonly text: string;
  readonly post: string;
}
interface View {
  readonly docs: readonly (readonly Term[])[];
  compute(hooks: string | readonly string[]): View;
  update(pointers: readonly (readonly number[])[]): View;
  match(pattern: string): {
    readonly fullPointer: readonly (readonly number[])[];
    json(options: { offset: true; text: false; terms: false }): { offset: { start: number; length: number } }[];
  };
}
interface MatchRule {
  readonly tag?: string | readonly string[];
  readonly needs: readonly string[];
  readonly wants: readonly string[];
  readonly minWant: number;
  readonly minWords: number;
  readonly ifNo?: readonly string[];
}
interface World {
  readonly hooks: readonly string[];
  readonly compute: Record<string, (view: View) => unknown>;
  readonly methods: {
    one: {
      tokenize: { fromString(text: string, world: World): Term[][] };
      cacheDoc(doc: readonly (readonly Term[])[]): Set<string>[];
      match(doc: readonly (readonly Term[])[], rule: MatchRule): { ptrs: readonly unknown[] };
    };
    two: { quickSplit(doc: readonly (readonly Term[])[]): Term[][] };
  };
  readonly model: { one: { tagSet: Record<string, { parents?: string[] }> }; two: { matches: readonly MatchRule[] } };
}

interface Tagger {
  readonly world: World;
  readonly View: new (document: Term[][]) => View;
  /** The hooks nlp() runs before its post-tagger ("chunks", after it, sets no tags). */
  readonly preHooks: readonly string[];
  /** Person, Place, Organization and the tags under them (FirstName, City, Company…). */
  readonly family: ReadonlySet<string>;
  /** Post-tagger rules that set one of those tags. */
  readonly rules: readonly MatchRule[];
}
let tagger: Tagger | undefined;

function load(): Tagger {
  const lib = nlp() as unknown as { (text?: string): View; world(): World };
  // the first parse builds compromise's rule index (needs, wants) onto model.two.matches
  lib("Warm up, John Smith.");
  const world = lib.world();
  const tagSet = world.model.one.tagSet;
  const roots = ["Person", "Place", "Organization"];
  const family = new Set(Object.keys(tagSet).filter((t) => roots.includes(t) || (tagSet[t]?.parents ?? []).some((p) => roots.includes(p))));
  const setsFamily = (r: MatchRule): boolean =>
    [r.tag ?? []].flat().some((t) => t.split(/[\s.]+/).some((x) => family.has(x.replace(/^#/, ""))));
  return {
    world,
    View: (lib() as unknown as { constructor: new (document: Term[][]) => View }).constructor,
    preHooks: world.hooks.slice(0, world.hooks.indexOf("postTagger")),
    family,
    rules: world.model.two.matches.filter(setsFamily),
  };
}

/** compromise's own test of whether a rule can run on a fragment (needs, ifNo, wants, length), from its word/tag cache. */
function canRun(rule: MatchRule, haves: ReadonlySet<string>, length: number): boolean {
  if (length < rule.minWords || !rule.needs.every((n) => haves.has(n))) return false;
  if (rule.ifNo?.some((n) => haves.has(n))) return false;
  return rule.wants.length === 0 || rule.wants.filter((w) => haves.has(w)).length >= rule.minWant;
}

/**
 * compromise's tagging, as far as person, place and organisation tags go: `nlp(text)` runs every
 * post-tagger rule on every clause and then the chunker, and that is most of its time. The rules
 * are matched on the pre-tagged clause and applied together, clause by clause, so a clause that
 * holds none of those tags after pre-tagging, and in which no rule that sets one matches, ends
 * with none of them: it is left out of the post-tagger (about 85% of contract text). The chunker
 * sets no tags. `#Person+`, `#Organization+` and `#Place+` therefore match exactly what they match
 * after `nlp(text)`; other tags of the skipped clauses are left as the pre-tagger set them.
 */
function tag(sentences: Term[][]): View {
  tagger ??= load();
  const { world, family, rules } = tagger;
  const view = new tagger.View(sentences);
  view.compute(tagger.preHooks);
  // the clauses the post-tagger works on (compromise splits sentences at commas and semicolons)
  const clauses = world.methods.two.quickSplit(view.docs);
  const cache = world.methods.one.cacheDoc(clauses);
  const pointers: number[][] = [];
  clauses.forEach((terms, i) => {
    const haves = cache[i] ?? new Set<string>();
    const tagged = terms.some((t) => {
      for (const x of t.tags) if (family.has(x)) return true;
      return false;
    });
    // the post-tagger finds all its matches on the pre-tagged clause before it applies any: what a
    // rule finds here is what it finds there
    if (!tagged && !rules.some((r) => canRun(r, haves, terms.length) && world.methods.one.match([terms], r).ptrs.length > 0)) return;
    const [sentence = 0, at = 0] = terms[0]?.index ?? [];
    pointers.push([sentence, at, at + terms.length]);
  });
  // the post-tagger splits what it is given at the same commas, so each clause is tagged as in nlp()
  world.compute["postTagger"]?.(view.update(pointers));
  return view;
}

/** What the name tagger reports: offsets of `#Person+`, `#Organization+` and `#Place+` matches. */
export const NAME_GROUPS = ["#Person+", "#Organization+", "#Place+"] as const;
export interface NameSpan {
  /** Index into NAME_GROUPS. */
  readonly group: number;
  readonly start: number;
  readonly length: number;
}

const lengthOf = (terms: readonly Term[]): number => terms.reduce((n, t) => n + t.pre.length + t.text.length + t.post.length, 0);

/**
 * compromise's name tags, sentence by sentence, with a memo: compromise tags each sentence on its
 * own (the pre-tagger and the post-tagger work clause by clause), so a sentence seen before (the
 * boilerplate of a data room) gets the spans it got then. The text is split into sentences by
 * compromise itself, so every sentence is the one `nlp(text)` would tag. The memo is keyed by a
 * SHA-256 digest and holds offsets only, never text.
 */
export class NameTagger {
  private readonly memo = new Map<string, readonly NameSpan[]>();

  constructor(private readonly memoSize = 4096) {}

  /** The spans `nlp(text).match(group).json({ offset: true })` reports, group by group, in text order. */
  spans(text: string): NameSpan[] {
    tagger ??= load();
    const { world } = tagger;
    const sentences = world.methods.one.tokenize.fromString(text, world);
    const keys = sentences.map((terms) => createHash("sha256").update(terms.map((t) => t.pre + t.text + t.post).join("")).digest("base64"));
    // what the memo knows is taken before tagging the rest, which may push it out
    const known = new Map<string, readonly NameSpan[]>();
    const todo = new Map<string, Term[]>();
    keys.forEach((k, i) => {
      const hit = this.memo.get(k);
      if (hit) known.set(k, hit);
      else if (!todo.has(k)) todo.set(k, sentences[i] ?? []);
    });
    if (todo.size > 0) for (const [k, v] of this.tagSentences(todo)) known.set(k, v);
    const out: NameSpan[] = [];
    const starts: number[] = [];
    let at = 0;
    for (const terms of sentences) {
      starts.push(at);
      at += lengthOf(terms);
    }
    for (let group = 0; group < NAME_GROUPS.length; group++) {
      keys.forEach((k, i) => {
        for (const s of known.get(k) ?? []) if (s.group === group) out.push({ group, start: (starts[i] ?? 0) + s.start, length: s.length });
      });
    }
    return out;
  }

  /** Tags the sentences not seen before, together, and remembers each one's spans (offsets from its start). */
  private tagSentences(todo: Map<string, Term[]>): Map<string, readonly NameSpan[]> {
    const list = [...todo.values()];
    const view = tag(list);
    const starts: number[] = [];
    let at = 0;
    for (const terms of view.docs) {
      starts.push(at);
      at += lengthOf(terms);
    }
    const found: NameSpan[][] = list.map(() => []);
    NAME_GROUPS.forEach((pattern, group) => {
      const m = view.match(pattern);
      const json = m.json({ offset: true, text: false, terms: false });
      json.forEach((f, i) => {
        const n = m.fullPointer[i]?.[0] ?? 0;
        found[n]?.push({ group, start: f.offset.start - (starts[n] ?? 0), length: f.offset.length });
      });
    });
    const fresh = new Map<string, readonly NameSpan[]>();
    [...todo.keys()].forEach((k, n) => {
      fresh.set(k, found[n] ?? []);
      // the oldest entry goes first
      if (this.memo.size >= this.memoSize) this.memo.delete(this.memo.keys().next().value as string);
      if (this.memoSize > 0) this.memo.set(k, found[n] ?? []);
    });
    return fresh;
  }
}
