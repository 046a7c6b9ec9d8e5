// A BEAR plugin: the `citation_format` workflow step type.
// Input:  { caseName, volume, reporter, page, pinpoint?, court?, year }
// Output: { citation } in Bluebook style, e.g. "Brown v. Bd. of Educ., 347 U.S. 483, 495 (1954)".

const REPORTERS = new Map(
  Object.entries({ us: "U.S.", sct: "S. Ct.", led: "L. Ed.", led2d: "L. Ed. 2d", f: "F.", f2d: "F.2d", f3d: "F.3d", f4th: "F.4th", fsupp: "F. Supp.", fsupp2d: "F. Supp. 2d", fsupp3d: "F. Supp. 3d" }),
);
// Common Bluebook (T6) abbreviations for words in case names.
const WORDS = new Map(Object.entries({ board: "Bd.", education: "Educ.", company: "Co.", corporation: "Corp.", department: "Dep't", incorporated: "Inc.", association: "Ass'n", national: "Nat'l", international: "Int'l", university: "Univ." }));
// Courts that need a parenthetical; the Supreme Court (U.S. reports) needs none.
const COURTS = new Map(Object.entries({ "2d cir": "2d Cir.", "9th cir": "9th Cir.", "d.c. cir": "D.C. Cir.", "fed. cir": "Fed. Cir.", sdny: "S.D.N.Y.", edny: "E.D.N.Y.", ndcal: "N.D. Cal.", cdcal: "C.D. Cal.", ddc: "D.D.C." }));

function fail(field, problem) {
  throw new TypeError(`citation_format: ${field} ${problem}`);
}

function requireString(input, field) {
  const value = input[field];
  if (typeof value !== "string" || value.trim() === "") fail(field, "must be a non-empty string");
  return value.trim();
}

function requirePositiveInt(input, field, optional = false) {
  const value = input[field];
  if (value === undefined && optional) return undefined;
  if (!Number.isInteger(value) || value <= 0) fail(field, `must be a positive whole number (got ${JSON.stringify(value)})`);
  return value;
}

export function abbreviateCaseName(name) {
  return name
    .split(/\s+/)
    .map((word) => WORDS.get(word.toLowerCase().replace(/[.,]$/, "")) ?? word)
    .join(" ")
    .replace(/\s+vs?\.?\s+/i, " v. ");
}

export function formatCitation(input) {
  if (input === null || typeof input !== "object" || Array.isArray(input)) fail("input", "must be an object");
  const caseName = abbreviateCaseName(requireString(input, "caseName"));
  const volume = requirePositiveInt(input, "volume");
  const reporterKey = requireString(input, "reporter");
  const reporter = REPORTERS.get(reporterKey.toLowerCase().replace(/[\s.]/g, "")) ?? reporterKey;
  const page = requirePositiveInt(input, "page");
  const pinpoint = requirePositiveInt(input, "pinpoint", true);
  const year = requirePositiveInt(input, "year");
  if (year < 1754 || year > 2100) fail("year", `must be a plausible year (got ${year})`);
  const court = input.court === undefined ? undefined : (COURTS.get(requireString(input, "court").toLowerCase()) ?? requireString(input, "court"));
  const parenthetical = court && reporter !== "U.S." ? `${court} ${year}` : `${year}`;
  return `${caseName}, ${volume} ${reporter} ${page}${pinpoint ? `, ${pinpoint}` : ""} (${parenthetical})`;
}

export default {
  citation_format: {
    description: "Formats a case citation in Bluebook style",
    run(input) {
      return { citation: formatCitation(input) };
    },
  },
};
