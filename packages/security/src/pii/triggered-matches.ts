/**
 * A pattern's matches over a whole text, found by trying it only where a cheap trigger says one may start.
 *
 * `pattern` is tried (sticky) at each position the trigger names, left to right, from the end of the last match on,
 * exactly as a global search would meet them: the matches are those of `text.matchAll(pattern)` provided every
 * position where `pattern` can match is one the trigger names (the trigger is a relaxation of the pattern's start:
 * its look-behind or first words without the rest). Most text holds no trigger, and a trigger without look-arounds
 * or Unicode classes lets the regex engine skip ahead instead of trying the whole pattern at every offset.
 */
export interface Trigger {
  /** Global; each of its matches names one position (see `at`). */
  readonly regex: RegExp;
  /** The position a trigger match names (default: where it starts); never before one an earlier match named. */
  readonly at?: (m: RegExpExecArray) => number;
}

import { charClasses, LETTER, LOWER, UPPER } from "./char-classes";

const stickyCopies = new WeakMap<RegExp, RegExp>();
function sticky(pattern: RegExp): RegExp {
  let s = stickyCopies.get(pattern);
  if (!s) {
    s = new RegExp(pattern.source, `${pattern.flags.replace(/[gy]/g, "")}y`);
    stickyCopies.set(pattern, s);
  }
  return s;
}

export function triggeredMatches(text: string, pattern: RegExp, trigger: Trigger): Generator<RegExpExecArray> {
  return matchesAt(text, pattern, triggerPositions(text, trigger));
}

/** The positions a trigger names, one per match, even inside another trigger match. */
export function* triggerPositions(text: string, trigger: Trigger): Generator<number> {
  const t = trigger.regex;
  t.lastIndex = 0;
  for (let hit = t.exec(text); hit; hit = t.exec(text)) {
    t.lastIndex = hit.index + 1;
    yield trigger.at ? trigger.at(hit) : hit.index;
  }
}

/**
 * A pattern's matches over a whole text, tried (sticky) only at the given positions (ascending; repeats and
 * positions inside an earlier match are passed over): the matches of `text.matchAll(pattern)` provided every
 * position where `pattern` can match is given.
 */
export function* matchesAt(text: string, pattern: RegExp, positions: Iterable<number>, afterMiss?: (text: string, at: number) => number): Generator<RegExpExecArray> {
  const tried = sticky(pattern);
  const unicode = pattern.unicode || pattern.flags.includes("v");
  let next = 0; // the global search would continue here
  let last = -1; // the last position tried
  for (const at of positions) {
    if (at < next || at <= last || at > text.length) continue;
    last = at;
    tried.lastIndex = at;
    const m = tried.exec(text);
    if (!m) {
      if (afterMiss) last = Math.max(last, afterMiss(text, at) - 1);
      continue;
    }
    let end = m.index + m[0].length;
    // an empty match moves the search on by one character (one code point in Unicode mode), as matchAll does
    if (end === m.index) end += unicode && (text.codePointAt(end) ?? 0) > 0xffff ? 2 : 1;
    next = end;
    yield m;
  }
}

/** Where a text may be cut for a pattern: at line breaks, at whitespace, or at the characters a predicate names. */
export type Cut = "line" | "space" | ((code: number) => boolean);

/**
 * A cut at every UTF-16 unit that is none of `classes` (char-classes.ts bits) and none of the characters of `keep`,
 * for a pattern whose matches hold only such characters and whose look-arounds test only for such characters (a cut
 * character then reads as the edge of the text). Surrogates are never cut: a character outside the BMP stays inside
 * its segment. The answers are one table read.
 */
export function cutOutside(classes: number, keep: string): (code: number) => boolean {
  let table: Uint8Array | undefined;
  return (code) => {
    if (!table) {
      const cls = charClasses();
      const t = new Uint8Array(65536);
      for (let c = 0; c < 65536; c++) if ((c < 0xd800 || c > 0xdfff) && ((cls[c] as number) & classes) === 0) t[c] = 1;
      for (const ch of keep) t[ch.charCodeAt(0)] = 0;
      table = t;
    }
    return table[code] === 1;
  };
}

/** True for the characters `\s` matches. */
export function isSpaceAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return /\s/.test(text[i] ?? "");
}

/** The segment (maximal run of characters that are no cut) around offset `at`, as [start, end). */
function segmentAround(text: string, at: number, cut: Cut): [number, number] {
  if (cut === "line") {
    const nl = text.indexOf("\n", at);
    return [text.lastIndexOf("\n", at - 1) + 1, nl < 0 ? text.length : nl];
  }
  const isCut = cut === "space" ? (i: number) => isSpaceAt(text, i) : (i: number) => cut(text.charCodeAt(i));
  let start = at;
  while (start > 0 && !isCut(start - 1)) start--;
  let end = at;
  while (end < text.length && !isCut(end)) end++;
  return [start, end];
}

/**
 * A pattern's matches over a whole text, found only in the segments that hold a trigger: the text is cut at the
 * characters `cut` names (line breaks, whitespace, punctuation), and the pattern runs on each segment where a match of
 * `trigger` (global) starts. The matches are those of `text.matchAll(pattern)` provided no match of `pattern` holds a
 * cut character, its look-arounds read a cut character as they read the edge of the text (and no further), and every
 * segment holding a match holds a trigger's start (the trigger is something each match contains, such as its
 * suffix word). A literal trigger is found fast; a pattern opening with a look-behind is tried at every offset.
 */
export function* segmentMatches(text: string, pattern: RegExp, trigger: RegExp, cut: Cut, starts?: Starts): Generator<RegExpExecArray> {
  trigger.lastIndex = 0;
  for (let hit = trigger.exec(text); hit; hit = trigger.exec(text)) {
    const [start, end] = segmentAround(text, hit.index, cut);
    const segment = text.slice(start, end);
    for (const m of starts ? matchesAt(segment, pattern, starts(segment), starts.afterMiss) : segment.matchAll(pattern)) {
      m.index += start;
      yield m;
    }
    trigger.lastIndex = Math.max(end, hit.index + 1); // the rest of this segment needs no second look
  }
}

/**
 * Where in a segment a pattern may match, ascending: a relaxation of its opening, naming every position where it can
 * match (segmentMatches then tries it there only, sticky, as matchesAt does, instead of at every offset).
 */
export type Starts = ((segment: string) => Iterable<number>) & {
  /** After a miss at `at`, the first later position worth a try (positions before it are passed over). */
  readonly afterMiss?: (segment: string, at: number) => number;
};

/**
 * The starts of a pattern opening with a look-behind that refuses a letter before a capital (`(?<![\p{L}…])\p{Lu}`), or,
 * with `lowerThenUpper`, also before a lower-case letter followed by a capital (`(?:\p{Lu}|\p{Ll}\p{Lu})`): each such
 * letter that follows no letter. A character outside the BMP is not classed (char-classes.ts): its first unit is named
 * whatever it is, and a unit after one is named as if no letter stood before it, so no start is ever missed (a
 * position named in excess only costs a try).
 */
export function capitalStarts(lowerThenUpper: boolean): Starts {
  return (text) => {
    const cls = charClasses();
    const out: number[] = [];
    const mayBeUpper = (i: number): boolean => {
      const c = text.charCodeAt(i);
      return c >= 0xd800 && c <= 0xdfff ? c <= 0xdbff : ((cls[c] as number) & UPPER) !== 0;
    };
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdfff) {
        if (c > 0xdbff) continue;
      } else {
        const k = cls[c] as number;
        if ((k & UPPER) === 0 && !(lowerThenUpper && (k & LOWER) !== 0 && i + 1 < text.length && mayBeUpper(i + 1))) continue;
      }
      if (i > 0) {
        const p = text.charCodeAt(i - 1);
        if ((p < 0xd800 || p > 0xdfff) && ((cls[p] as number) & LETTER) !== 0) continue;
      }
      out.push(i);
    }
    return out;
  };
}

/**
 * segmentMatches with the trigger's starts given as positions (ascending): the pattern runs on each segment holding
 * one of them, once.
 */
export function* segmentMatchesAt(text: string, pattern: RegExp, positions: Iterable<number>, cut: Cut): Generator<RegExpExecArray> {
  let done = -1; // the end of the last segment searched
  for (const at of positions) {
    if (at < done) continue;
    const [start, end] = segmentAround(text, at, cut);
    for (const m of text.slice(start, end).matchAll(pattern)) {
      m.index += start;
      yield m;
    }
    done = Math.max(end, at + 1);
  }
}

/**
 * Starts for a pattern that opens with a look-behind refusing a letter (and the characters of `refusedBefore`), then a
 * first token that reads greedily over characters of `classes` (char-classes.ts bits) or `chars` (and no other) and
 * must be followed by a character that is none of them: after a miss at a start the look-behind allowed, the later
 * starts of the same run of such characters are passed over. Each would read to the same end of the run and go on from
 * there exactly as the missed one did, so it would miss too: the matches are unchanged. Without this a long run with
 * many starts ("AB-AB-AB-…" in a segment holding a trigger) was read to its end from each start: quadratic. A miss
 * after a refused character or a character outside the BMP (not classed) skips nothing, and such a character ends a
 * run, which only costs a try.
 */
export function skipRunAfterMiss(starts: (segment: string) => Iterable<number>, classes: number, chars: string, refusedBefore: string): Starts {
  const extra = new Set([...chars].map((ch) => ch.charCodeAt(0)));
  const refused = new Set([...refusedBefore].map((ch) => ch.charCodeAt(0)));
  const afterMiss = (text: string, at: number): number => {
    const cls = charClasses();
    const before = at > 0 ? text.charCodeAt(at - 1) : -1;
    if (before >= 0 && ((before >= 0xd800 && before <= 0xdfff) || refused.has(before) || ((cls[before] as number) & LETTER) !== 0)) return at + 1;
    let end = at;
    for (let c = text.charCodeAt(end); end < text.length && (c < 0xd800 || c > 0xdfff) && (((cls[c] as number) & classes) !== 0 || extra.has(c)); c = text.charCodeAt(++end));
    return end;
  };
  return Object.assign((segment: string) => starts(segment), { afterMiss });
}
