import { band, comparableName } from "./candidate-features";
import type { PartyCandidate } from "./party-candidates";

/** A party candidate with the mention head's probability and the features it was scored by. */
export interface ScoredMention {
  readonly candidate: PartyCandidate;
  readonly score: number;
  readonly features?: readonly string[];
}

/** One name the contract may be made by: its mentions (names equal or inside one another), best first. */
export interface PartyEntity {
  readonly key: string;
  readonly mentions: readonly ScoredMention[];
}

// More names than this are never parties of one contract (mention heads rank hundreds of capitalised runs).
const MAX_ENTITIES = 100;
const sameEntity = (a: string, b: string) => a === b || (a.length > 0 && b.length > 0 && (a.includes(b) || b.includes(a)));

/** Mentions grouped into entities, greedily best first: a mention joins the first entity whose name equals or contains it, or is inside it. */
export function groupPartyEntities(text: string, scored: readonly ScoredMention[]): PartyEntity[] {
  const entities: { key: string; mentions: ScoredMention[] }[] = [];
  for (const s of scored) {
    const key = comparableName(text.slice(s.candidate.start, s.candidate.end));
    if (key.length === 0) continue;
    const entity = entities.find((e) => sameEntity(e.key, key));
    if (entity) entity.mentions.push(s);
    else if (entities.length < MAX_ENTITIES) entities.push({ key, mentions: [s] });
  }
  return entities;
}

// Mention features that describe where and how a party is named; an entity carries the union of its mentions'.
const FLAG = /^(?:suffix|quoted|role-after|described|in-description|addressed|signed-for|by-after|preamble|in-signatures|rule:exact|rule:overlap|allcaps|listed-before|before-anchor|after-anchor-rank:.*|role:.*|suffix&role-after|described&preamble|preamble&in-signatures)$/;
const decile = (p: number) => Math.min(9, Math.floor(p * 10));

/**
 * Features of each entity for the second-stage party head: how the mention head rates its best and
 * second mentions and the entity against the others of the contract (rank, gap to the best), what
 * its mentions say about it (in the preamble, a defined role after it, a company suffix, on the
 * signature page), and how many strong names the contract has (a two-sided contract or a list).
 */
export function entityFeatures(entities: readonly PartyEntity[]): string[][] {
  const best = entities.map((e) => e.mentions[0]?.score ?? 0);
  const order = best.map((p, i) => ({ p, i })).sort((a, b) => b.p - a.p || a.i - b.i);
  const rankOf = new Array<number>(entities.length);
  order.forEach((o, r) => (rankOf[o.i] = r));
  const top = order[0]?.p ?? 0;
  const strong = best.filter((p) => p >= 0.5).length;
  const fair = best.filter((p) => p >= 0.2).length;
  const flagSets = entities.map((e) => new Set(e.mentions.flatMap((m) => (m.features ?? []).filter((f) => FLAG.test(f)))));
  const roleDefined = flagSets.filter((s) => s.has("role-after") && s.has("preamble")).length;
  // Names with a signature block of their own ("ACME LLC By: /s/ …"): many of them make a list of signing parties.
  const signers = flagSets.filter((s) => s.has("by-after")).length;
  // The order in which entities with a defined role are first named in the preamble.
  const firstAt = entities.map((e) => Math.min(...e.mentions.map((m) => m.candidate.start)));
  const preambleOrder = entities
    .map((_, i) => i)
    .filter((i) => flagSets[i]!.has("preamble"))
    .sort((a, b) => firstAt[a]! - firstAt[b]!);
  return entities.map((e, i) => {
    const r = rankOf[i]!;
    const rank = r < 8 ? `${r}` : "8+";
    const p1 = decile(best[i]!);
    const p2 = decile(e.mentions[1]?.score ?? 0);
    const gap = decile(top - best[i]!);
    const pr = preambleOrder.indexOf(i);
    const f = [
      "bias",
      `rank:${rank}`,
      `p1:${p1}`,
      `p2:${p2}`,
      `gap:${gap}`,
      `rank:${rank}&p1:${p1}`,
      band("mentions", e.mentions.length),
      band("strong", strong),
      band("fair", fair),
      band("role-defined", roleDefined),
      `rank:${rank}&strong:${Math.min(strong, 6)}`,
      `rank:${rank}&role-defined:${Math.min(roleDefined, 6)}`,
      pr < 0 ? "preamble-order:none" : `preamble-order:${Math.min(pr, 6)}`,
      band("words", e.key.split(" ").length),
    ];
    for (const flag of flagSets[i]!) f.push(`u:${flag}`);
    if (flagSets[i]!.has("role-after") && flagSets[i]!.has("preamble")) f.push(`defined-in-preamble&rank:${rank}`);
    if (flagSets[i]!.has("in-signatures")) f.push(`signed&rank:${rank}`);
    f.push(band("signers", signers));
    if (flagSets[i]!.has("by-after")) f.push(band("by-after&signers", signers));
    return f;
  });
}
