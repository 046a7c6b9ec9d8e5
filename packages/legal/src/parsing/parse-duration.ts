import { NUMBER_WORDS_SOURCE, parseNumberWords } from "./number-words";

export type DurationUnit = "day" | "business_day" | "week" | "month" | "year";

/** A normalised period: `value` in `unit`, and an approximate length in days for comparisons. */
export interface Duration {
  readonly value: number;
  readonly unit: DurationUnit;
  /** Upper end when the text gives a range ("thirty (30) to sixty (60) days"). */
  readonly maxValue?: number;
  readonly approxDays: number;
}

const QUANTITY = `(?:\\d{1,4}(?:\\.\\d+)?|${NUMBER_WORDS_SOURCE}(?:\\s*\\(\\s*\\d{1,4}\\s*\\))?|\\(\\s*\\d{1,4}\\s*\\))`;
const UNIT = "(?:calendar\\s+|business\\s+|working\\s+)?(?:days?|weeks?|months?|years?)";

/**
 * "thirty (30) days", "90 calendar days", "two (2) years", "one year", "thirty (30) to sixty (60) days",
 * "between 30 and 60 days", "six-month". Groups: `q1`, `q2` (range end), `unit`.
 */
export const DURATION_SOURCE = `(?:between\\s+)?(?<q1>${QUANTITY})(?:\\s*(?:-|–|to|and)\\s*(?<q2>${QUANTITY}))?[\\s-]+(?:\\(\\s*\\d{1,4}\\s*\\)\\s*)?(?<unit>${UNIT})(?![a-z])`;

/** "thirty (30)" → 30 (the figure in brackets wins), "90" → 90, "six" → 6. */
export function parseQuantity(raw: string): number | undefined {
  const bracket = /\(\s*(\d{1,4})\s*\)/.exec(raw);
  if (bracket) return Number(bracket[1]);
  const t = raw.trim();
  if (/^\d+(?:\.\d+)?$/.test(t)) return Number(t);
  // "first year", "fifth anniversary": ordinals are positions, not lengths.
  if (/(?:first|second|third|th)$/i.test(t)) return undefined;
  return parseNumberWords(t);
}

const DAYS_PER: Record<DurationUnit, number> = { day: 1, business_day: 7 / 5, week: 7, month: 30.4375, year: 365.25 };

export function parseUnit(raw: string): DurationUnit | undefined {
  const t = raw.toLowerCase();
  const business = /business|working/.test(t);
  if (/day/.test(t)) return business ? "business_day" : "day";
  if (/week/.test(t)) return "week";
  if (/month/.test(t)) return "month";
  if (/year/.test(t)) return "year";
  return undefined;
}

export function makeDuration(value: number, unit: DurationUnit, maxValue?: number): Duration {
  return { value, unit, ...(maxValue === undefined ? {} : { maxValue }), approxDays: Math.round(value * DAYS_PER[unit] * 100) / 100 };
}

const WHOLE = new RegExp(`^\\s*${DURATION_SOURCE}\\s*$`, "i");

/** Parses one written period ("thirty (30) days", "two to three years") into a Duration. */
export function parseDuration(input: string): Duration | undefined {
  const m = WHOLE.exec(input);
  return m?.groups ? durationFromGroups(m.groups) : undefined;
}

export function durationFromGroups(groups: Readonly<Record<string, string | undefined>>): Duration | undefined {
  const value = groups["q1"] === undefined ? undefined : parseQuantity(groups["q1"]);
  const unit = groups["unit"] === undefined ? undefined : parseUnit(groups["unit"]);
  if (value === undefined || unit === undefined) return undefined;
  const max = groups["q2"] === undefined ? undefined : parseQuantity(groups["q2"]);
  return makeDuration(value, unit, max !== undefined && max > value ? max : undefined);
}
