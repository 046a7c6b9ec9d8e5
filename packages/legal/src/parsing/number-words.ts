// English number words ("thirty", "one hundred twenty-five", "twenty-first") to numbers and back.

const UNITS: Readonly<Record<string, number>> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Readonly<Record<string, number>> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const SCALES: Readonly<Record<string, number>> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };
const ORDINALS: Readonly<Record<string, number>> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17, eighteenth: 18, nineteenth: 19,
  twentieth: 20, thirtieth: 30, fortieth: 40, fiftieth: 50, sixtieth: 60, seventieth: 70, eightieth: 80, ninetieth: 90, hundredth: 100,
};

const WORD = [...Object.keys(UNITS), ...Object.keys(TENS), "hundred", ...Object.keys(SCALES), ...Object.keys(ORDINALS), "a"].join("|");
/**
 * A run of number words ("one hundred and twenty-five"); use with the `i` flag. At most 16 words: the longest number
 * these words write ("nine hundred ninety-nine million nine hundred ninety-nine thousand nine hundred ninety-nine")
 * has 13. Unbounded, a pattern reading such a run and then something else ("… percent", "… dollars") read a long run
 * of number words ("one one one …") to its end from each of its words: quadratic, whether or not V8 optimised it.
 */
export const NUMBER_WORDS_SOURCE = `(?:\\b(?:${WORD})(?:(?:[\\s-]+|\\s+and\\s+)(?:${WORD})){0,15}\\b)`;

/**
 * Parses English number words, cardinal or ordinal, case-insensitive: "thirty" → 30,
 * "One Hundred Twenty-Five" → 125, "two million five hundred thousand" → 2500000,
 * "twenty-first" → 21. Returns undefined when the text is not a number.
 */
export function parseNumberWords(input: string): number | undefined {
  const tokens = input.toLowerCase().trim().split(/[\s-]+/).filter((t) => t !== "and" && t.length > 0);
  if (tokens.length === 0) return undefined;
  let total = 0;
  let current = 0;
  let seen = false;
  let lastKind: "unit" | "tens" | "hundred" | "scale" | undefined;
  for (const [i, token] of tokens.entries()) {
    if (token === "a" && i === 0) {
      // "a hundred", "a million"; a bare article before another number word is skipped.
      const next = tokens[1];
      if (next === undefined) return undefined;
      if (next === "hundred" || SCALES[next] !== undefined) {
        current = 1;
        lastKind = "unit";
      }
      continue;
    }
    const unit = UNITS[token] ?? (ORDINALS[token] !== undefined && ORDINALS[token] < 20 ? ORDINALS[token] : undefined);
    const tens = TENS[token] ?? (ORDINALS[token] !== undefined && ORDINALS[token] >= 20 && ORDINALS[token] < 100 ? ORDINALS[token] : undefined);
    if (ORDINALS[token] !== undefined && i !== tokens.length - 1) return undefined;
    if (unit !== undefined) {
      if (lastKind === "unit") return undefined;
      if (lastKind === "tens" && unit >= 10) return undefined;
      current += unit;
      lastKind = "unit";
    } else if (tens !== undefined) {
      if (lastKind === "unit" || lastKind === "tens") return undefined;
      current += tens;
      lastKind = "tens";
    } else if (token === "hundred" || token === "hundredth") {
      if (current === 0 || current >= 100) return undefined;
      current *= 100;
      lastKind = "hundred";
    } else if (SCALES[token] !== undefined) {
      const scale = SCALES[token];
      if (current === 0 || (total !== 0 && total < scale * 1000)) return undefined;
      total += current * scale;
      current = 0;
      lastKind = "scale";
    } else {
      return undefined;
    }
    seen = true;
  }
  return seen ? total + current : undefined;
}

const UNIT_NAMES = Object.keys(UNITS);
const TENS_NAMES = Object.keys(TENS);

function below1000(n: number): string {
  const parts: string[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds > 0) parts.push(`${UNIT_NAMES[hundreds]} hundred`);
  if (rest > 0) {
    if (rest < 20) parts.push(UNIT_NAMES[rest]!);
    else {
      const t = TENS_NAMES[Math.floor(rest / 10) - 2]!;
      parts.push(rest % 10 === 0 ? t : `${t}-${UNIT_NAMES[rest % 10]}`);
    }
  }
  return parts.join(" ");
}

/** Writes a non-negative integer below 10^15 in English words, as contracts do: 125 → "one hundred twenty-five". */
export function toNumberWords(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 1e15) throw new RangeError(`toNumberWords needs an integer in [0, 1e15), got ${n}`);
  if (n === 0) return "zero";
  const parts: string[] = [];
  const scales: [number, string][] = [[1e12, "trillion"], [1e9, "billion"], [1e6, "million"], [1e3, "thousand"]];
  let rest = n;
  for (const [value, name] of scales) {
    const count = Math.floor(rest / value);
    if (count > 0) parts.push(`${below1000(count)} ${name}`);
    rest %= value;
  }
  if (rest > 0) parts.push(below1000(rest));
  return parts.join(" ");
}
