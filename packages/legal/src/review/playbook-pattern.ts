// Playbook patterns come from users (a viewer can post a review playbook), so they run on a
// linear-time engine: RE2JS, the pure-JavaScript port of RE2. There is no backtracking, so a pattern
// such as "^(a+)+$" costs time proportional to the text, never exponential in it. RE2 syntax is the
// JavaScript syntax minus backreferences and lookaround; those are refused when the playbook is read.
import { RE2JS } from "re2js";

/** A compiled, case-insensitive playbook pattern. */
export interface PlaybookPattern {
  readonly source: string;
  /** True when the pattern matches anywhere in `text`. */
  test(text: string): boolean;
}

// RE2's \s is ASCII whitespace; JavaScript's also covers these. Mapping them to a space (same
// length, so no offset moves) keeps a pattern's meaning the same as it had with RegExp.
const UNICODE_SPACES = /[\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/g;

// A review compiles each rule's patterns once per document; compiled programs are kept (bounded).
const MAX_CACHED = 512;
const cache = new Map<string, PlaybookPattern>();

/** Compiles a playbook pattern; throws an Error naming the problem when RE2 cannot run it. */
export function compilePlaybookPattern(source: string): PlaybookPattern {
  const cached = cache.get(source);
  if (cached) return cached;
  const pattern = compile(source);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(source, pattern);
  return pattern;
}

function compile(source: string): PlaybookPattern {
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    const detail = (error as Error).message.replace(/^error parsing regexp: /, "");
    throw new Error(`${detail} (patterns use RE2 syntax: no backreferences or lookaround)`, { cause: error });
  }
  return { source, test: (text) => re.test(text.replace(UNICODE_SPACES, " ")) };
}
