import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { toNumberWords } from "../parsing/number-words";
import { addToDate, isoDate } from "../parsing/parse-date";
import { extractKeyTerms } from "./extract-key-terms";
import { isSavingsSentence, isTermSentence } from "./resolve-expiration";

const PREAMBLE = 'This Agreement (the "Agreement") is entered into as of January 30, 2000 (the "Effective Date") by and between Acme Corp. ("Acme") and Beta LLC ("Beta").\n\n';
const expiration = (body: string, preamble = PREAMBLE) => extractKeyTerms(preamble + body).keyDates.expiration;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

// Term clauses as EDGAR contracts write them (most from the CUAD dev half), after a preamble dated January 30, 2000.
describe("expiration date", () => {
  it.each([
    // A duration in words and figures, counted from the start date the sentence names.
    ["1. Term. The term of the Franchise shall be twenty (20) years, commencing on January 1, 2016.", "2036-01-01", "computed"],
    ["1. Term. The term of this Agreement will commence on the Effective Date, and unless earlier terminated as provided elsewhere in this Agreement, will end automatically upon the end of Year 3.", "2003-01-30", "computed"],
    ['1. Term. The initial term of this Agreement shall commence on the Effective Date and continue for a period of thirty-six (36) months (the "Initial Term").', "2003-01-30", "computed"],
    ["1. Term. This Agreement shall remain in effect for a period of two (2) years from the Effective Date, unless terminated earlier in accordance with its terms.", "2002-01-30", "computed"],
    // "the first anniversary of the date of this Agreement" counts from the agreement date.
    ['1. Term. The term of this Agreement (the "Term") will begin on February 1, 2000 and end on the first anniversary of the date of this Agreement.', "2001-01-30", "computed"],
    // A stated end wins over a duration, and over an earlier date that only ends a quarter.
    ['1. "Initial Agreement Quarter" means the period beginning on the Effective Date and ending September 30, 2000.\n\n2. Term. The term of this Agreement shall commence on the Effective Date and shall continue, unless terminated sooner in accordance with this Article VIII, until June 27, 2005 (the "Term").', "2005-06-27", "stated"],
    ['1. "Term" means the earlier of: (a) the end of the two year period from the Effective Date to 31 July 2002; or (b) the last day of the calendar month within which the Maximum Distribution Commitment is reached.', "2002-07-31", "stated"],
    ["1. Term. The term of this Agreement shall be one (1) year, commencing January 1, 2008 and ending on December 31, 2008.", "2008-12-31", "stated"],
    // The present tense, and the renewal after the initial term left out.
    ["1. Term. This Agreement continues for twelve (12) months and renews automatically for successive one (1) year terms.", "2001-01-30", "computed"],
    // "the later of": the later of the dates listed.
    ["1. Term. This Agreement shall expire on the later of (i) June 30, 2012 and (ii) December 31, 2012.", "2012-12-31", "later_of"],
  ])("reads %j", (body, iso, derivation) => {
    expect(expiration(body)).toMatchObject({ iso, derivation });
  });

  it("counts 'three years thereafter' from the agreement date when the start is 'the later of' two events", () => {
    const body =
      '1. Term. Agent\'s appointment hereunder shall commence on the next business day after the later of (i) the date hereof, or (ii) the date Agent has confirmed that Client\'s records have been converted to Agent\'s system (the "Effective Date"), and shall continue for three years thereafter (the "Initial Term").';
    const preamble = "AGREEMENT made as of January 26, 2011, by and between Fund A (\"Client\") and Agent B (\"Agent\").\n\n";
    expect(expiration(body, preamble)).toMatchObject({ iso: "2014-01-26", derivation: "computed" });
  });

  it("reads a term with no end as perpetual", () => {
    const body = "1. This Agreement shall be effective from the date first above written and shall continue indefinitely until terminated by either Party in accordance with the provisions of this Agreement.";
    expect(expiration(body)).toMatchObject({ note: "perpetual" });
    expect(expiration(body)?.iso).toBeUndefined();
  });

  it("takes the initial term, not the renewal period, from a sentence that has both", () => {
    const body = "1. This Agreement shall continue in effect for a period of one year from the date of its execution and from year to year thereafter provided such continuance is specifically approved.";
    expect(expiration(body)).toMatchObject({ iso: "2001-01-30", note: "Agreement date + 1 year" });
  });

  it.each([
    // Another obligation's period, a notice period, a survival period: not the term.
    "1. During the term of this Agreement and for a period of two (2) years thereafter, Beta shall not compete with Acme.",
    "1. Either party may terminate this Agreement upon thirty (30) days' written notice to the other party.",
    "1. Backups shall be retained offsite for a period of twenty-eight (28) calendar days.",
    '1. "Contract Year" means a period of one year starting on the Effective Date or the relevant anniversary of the Effective Date.',
    "1. The auditor may examine the books not more than once each fiscal year while this Agreement remains in effect and for three years thereafter.",
  ])("finds no expiration in %j", (body) => {
    expect(expiration(body)).toBeUndefined();
  });

  it("does not read a notice period as the term of an evergreen agreement", () => {
    const body = "1. This Agreement shall continue until terminated by either party on ninety (90) days' written notice.";
    expect(expiration(body)).toMatchObject({ note: "perpetual" });
  });

  it("computes Effective Date + N years for any start date and length written in words and figures", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1990, max: 2030 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), (n, y, m, d) => {
        const start = isoDate(y, m, d)!;
        const body = `1. Term. The term of this Agreement shall be ${toNumberWords(n)} (${n}) years, commencing on ${MONTHS[m - 1]} ${d}, ${y}.`;
        expect(expiration(body)?.iso).toBe(addToDate(start, n, "year"));
      }),
      { numRuns: 80 },
    );
  });
});

describe("isTermSentence", () => {
  it.each([
    "The term of this Agreement shall be one (1) year.",
    '"Term" means the period from the Effective Date to 31 July 2013.',
    "This Agreement shall commence on the Effective Date and continue until terminated.",
    'This Agreement will remain in effect for three years (the "Initial Term").',
  ])("treats %j as setting the term", (s) => {
    expect(isTermSentence(s)).toBe(true);
  });

  it.each([
    "During the term of this Agreement, Licensee shall not compete.",
    "Upon expiration of the term of this Agreement, Licensee shall return all materials.",
    "Either party may terminate this Agreement for convenience.",
  ])("does not treat %j as setting the term", (s) => {
    expect(isTermSentence(s)).toBe(false);
  });
});

describe("isSavingsSentence", () => {
  it.each([
    "If one or more provisions of this Agreement are held to be illegal or unenforceable, such portion shall be limited so that this Agreement shall otherwise remain in full force and effect and enforceable.",
    "Except as expressly amended hereby, the Agreement shall continue in full force and effect.",
  ])("reads %j as keeping the agreement alive, not as a term", (s) => {
    expect(isSavingsSentence(s)).toBe(true);
  });

  it.each(["This Agreement shall remain in full force and effect for five (5) years, even if a provision is held invalid.", "The term of this Agreement shall be one (1) year."])("does not read %j so", (s) => {
    expect(isSavingsSentence(s)).toBe(false);
  });
});
