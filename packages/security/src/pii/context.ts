/** How far around a match context words are looked for (characters), and how much they add. */
export interface ContextOptions {
  readonly before: number;
  readonly after: number;
  /** Added to the score when a context word is near (Presidio's default is 0.35). */
  readonly boost: number;
  /** A score that a context word lifts is at least this (Presidio's default is 0.4). */
  readonly minScoreWithContext: number;
}

export const DEFAULT_CONTEXT: ContextOptions = { before: 48, after: 24, boost: 0.35, minScoreWithContext: 0.4 };

/** Compiles context words into one case-insensitive whole-word matcher. */
export function contextMatcher(words: readonly string[]): RegExp | undefined {
  const cleaned = words.map((w) => w.trim().toLowerCase()).filter((w) => w.length > 0);
  if (cleaned.length === 0) return undefined;
  const alternatives = cleaned.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "[\\s_-]*"));
  return new RegExp(`(?:^|[^\\p{L}\\p{N}])(?:${alternatives.join("|")})(?![\\p{L}])`, "iu");
}

/** True when a context word occurs in the window around [start, end). */
export function hasContext(
  text: string,
  start: number,
  end: number,
  matcher: RegExp | undefined,
  options: ContextOptions = DEFAULT_CONTEXT,
): boolean {
  if (!matcher) return false;
  const before = text.slice(Math.max(0, start - options.before), start);
  const after = text.slice(end, Math.min(text.length, end + options.after));
  return matcher.test(before) || matcher.test(after);
}

/** The score after context enhancement. */
export function enhance(score: number, withContext: boolean, options: ContextOptions = DEFAULT_CONTEXT): number {
  if (!withContext) return score;
  return Math.min(1, Math.max(score + options.boost, options.minScoreWithContext));
}
