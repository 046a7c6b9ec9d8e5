import { contextMatcher, DEFAULT_CONTEXT, enhance, hasContext, type ContextOptions } from "../../../src/pii/context";
import type { PiiEntityType, PiiFinding, Recognizer } from "../../../src/pii/pii-types";

export interface PatternSpec {
  /** Must not be sticky; the `g` flag is added when missing. */
  readonly regex: RegExp;
  /** Base score before context enhancement, in [0, 1]. */
  readonly score: number;
  /** Capture group holding the entity (default: the whole match). */
  readonly group?: number;
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

/** A recognizer made of regular expressions, an optional validator and context words (as in Presidio). */
export class PatternRecognizer implements Recognizer {
  readonly name: string;
  readonly types: readonly PiiEntityType[];
  private readonly patterns: readonly PatternSpec[];
  private readonly matcher: RegExp | undefined;

  constructor(private readonly options: PatternRecognizerOptions) {
    this.name = options.name;
    this.types = [options.type];
    this.patterns = options.patterns.map((p) => ({
      ...p,
      regex: p.regex.flags.includes("g") ? p.regex : new RegExp(p.regex.source, `${p.regex.flags}g`),
    }));
    this.matcher = contextMatcher(options.contextWords ?? []);
  }

  recognize(text: string): PiiFinding[] {
    const out: PiiFinding[] = [];
    const seen = new Set<string>();
    for (const pattern of this.patterns) {
      pattern.regex.lastIndex = 0;
      for (const m of text.matchAll(pattern.regex)) {
        const value = pattern.group === undefined ? m[0] : m[pattern.group];
        if (value === undefined || value.length === 0) continue;
        const start = pattern.group === undefined ? m.index : m.index + m[0].indexOf(value);
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
