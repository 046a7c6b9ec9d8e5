import { contextMatcher, DEFAULT_CONTEXT, enhance, hasContext, type ContextOptions } from "./context";
import type { PiiEntityType, PiiFinding, Recognizer } from "./pii-types";
import { matchesAt } from "./triggered-matches";

export interface PatternSpec {
  /** Must not be sticky; the `g` flag is added when missing. */
  readonly regex: RegExp;
  /** Base score before context enhancement, in [0, 1]. */
  readonly score: number;
  /** Capture group holding the entity (default: the whole match). */
  readonly group?: number;
  /**
   * Something every match holds ("@" of an e-mail), for a pattern that matches no whitespace and whose look-arounds
   * treat whitespace like the end of the text: the pattern then runs only on the whitespace-delimited pieces of
   * text holding a trigger, not over the whole text (same matches; most text has no trigger).
   */
  readonly trigger?: RegExp;
  /** A string every match holds: the pattern runs only on texts holding it (for a rare pattern that spans spaces). */
  readonly guard?: string;
}

/** A built-in pattern tried (sticky) only at `starts`: every position where a match can start, ascending (internal). */
export interface AnchoredPatternSpec extends PatternSpec {
  readonly starts: (text: string) => Iterable<number>;
}
/** A built-in pattern tried only at its anchors, as the PatternSpec a recognizer takes. */
export const anchored = (spec: AnchoredPatternSpec): PatternSpec => spec;
/** The positions a pattern is tried at, if it is anchored. */
export const startsOf = (pattern: PatternSpec): AnchoredPatternSpec["starts"] | undefined => (pattern as Partial<AnchoredPatternSpec>).starts;

/** True for the characters `\s` matches. */
function isSpace(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return /\s/.test(text[i] ?? "");
}

/** The whitespace-delimited pieces of `text` that hold a match of `trigger` (global), in order, as [start, end). */
export function triggerPieces(text: string, trigger: RegExp): [number, number][] {
  const out: [number, number][] = [];
  trigger.lastIndex = 0;
  for (let m = trigger.exec(text); m; m = trigger.exec(text)) {
    let start = m.index;
    while (start > 0 && !isSpace(text, start - 1)) start--;
    let end = m.index + Math.max(1, m[0].length);
    while (end < text.length && !isSpace(text, end)) end++;
    out.push([start, end]);
    trigger.lastIndex = end; // the rest of this piece needs no second look
  }
  return out;
}

export interface PatternRecognizerOptions {
  readonly name: string;
  readonly type: PiiEntityType;
  readonly patterns: readonly PatternSpec[];
  /** Return false to drop a candidate (checksums, impossible numbers). */
  readonly validate?: (value: string) => boolean;
  readonly contextWords?: readonly string[];
  /** Drop candidates that have no context word nearby (passport and licence numbers). */
  readonly requireContext?: boolean;
  readonly context?: ContextOptions;
}

/** The pattern's matches over the whole text, or over the pieces holding its trigger, with the offset to add. */
function* matches(text: string, pattern: PatternSpec): Generator<{ m: RegExpExecArray; offset: number }> {
  if (pattern.guard !== undefined && !text.includes(pattern.guard)) return;
  const starts = startsOf(pattern);
  if (starts) {
    for (const m of matchesAt(text, pattern.regex, starts(text))) yield { m, offset: 0 };
    return;
  }
  if (!pattern.trigger) {
    for (const m of text.matchAll(pattern.regex)) yield { m, offset: 0 };
    return;
  }
  for (const [start, end] of triggerPieces(text, pattern.trigger)) {
    for (const m of text.slice(start, end).matchAll(pattern.regex)) yield { m, offset: start };
  }
}

/** A recognizer made of regular expressions, an optional validator and context words (as in Presidio). */
export class PatternRecognizer implements Recognizer {
  readonly name: string;
  readonly types: readonly PiiEntityType[];
  private readonly patterns: readonly PatternSpec[];
  private readonly matcher: RegExp | undefined;

  constructor(private readonly options: PatternRecognizerOptions) {
    this.name = options.name;
    this.types = [options.type];
    const global = (r: RegExp): RegExp => (r.flags.includes("g") ? r : new RegExp(r.source, `${r.flags}g`));
    this.patterns = options.patterns.map((p) => ({ ...p, regex: global(p.regex), ...(p.trigger ? { trigger: global(p.trigger) } : {}) }));
    this.matcher = contextMatcher(options.contextWords ?? []);
  }

  recognize(text: string): PiiFinding[] {
    const out: PiiFinding[] = [];
    const seen = new Set<string>();
    for (const pattern of this.patterns) {
      pattern.regex.lastIndex = 0;
      for (const { m, offset } of matches(text, pattern)) {
        const value = pattern.group === undefined ? m[0] : m[pattern.group];
        if (value === undefined || value.length === 0) continue;
        const start = offset + (pattern.group === undefined ? m.index : m.index + m[0].indexOf(value));
        const end = start + value.length;
        const key = `${start}:${end}`;
        if (seen.has(key)) continue;
        if (this.options.validate && !this.options.validate(value)) continue;
        const context = hasContext(text, start, end, this.matcher, this.options.context ?? DEFAULT_CONTEXT);
        if (this.options.requireContext && !context) continue;
        seen.add(key);
        out.push({
          type: this.options.type,
          start,
          end,
          score: enhance(pattern.score, context, this.options.context),
          recognizer: this.name,
        });
      }
    }
    return out;
  }
}
