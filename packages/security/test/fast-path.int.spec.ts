// The fast paths of the recognizers report exactly what their previous, whole-text versions reported: the frozen
// copies in test/support/reference/ (taken before the speed round) are the oracle, on generated and real text.
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { sharedDataDir } from "../bench/pii-eval";
import type { PiiFinding, Recognizer } from "../src/pii/pii-types";
import { PiiScanner } from "../src/pii/pii-scanner";
import { keepLegalText } from "../src/pii/legal-text";
import { AddressRecognizer } from "../src/pii/recognizers/address-recognizer";
import { digitWindows, PhoneRecognizer } from "../src/pii/recognizers/phone-recognizer";
import { digitWindows as referenceDigitWindows } from "./support/reference/digit-windows";
import { lexicon } from "../src/pii/recognizers/compromise-nlp";
import { keepLegalText as referenceKeepLegalText } from "./support/reference/legal-text";
import { withRepeatedMentions } from "../src/pii/repeated-mentions";
import { withRepeatedMentions as referenceRepeatedMentions } from "./support/reference/repeated-mentions";
import { AddressRecognizer as ReferenceAddress } from "./support/reference/address-recognizer";
import { PhoneRecognizer as ReferencePhone } from "./support/reference/phone-recognizer";
import * as reference from "./support/reference/structured-recognizers";
import * as fast from "../src/pii/recognizers/structured-recognizers";
import { OrganizationRecognizer } from "../src/pii/recognizers/organization-recognizer";
import { propagate } from "../src/pii/recognizers/defined-parties";
import type { Push } from "../src/pii/recognizers/organization-words";
import { propagate as referencePropagate } from "./support/reference/defined-parties";
import { shippedNameModel, shippedNameModelPath } from "../src/pii/model/shipped-name-model";
import { tokenTable } from "../src/pii/model/name-tokens";
import { tokenTable as referenceTokenTable } from "./support/reference/name-tokens";
import { NameModel as ReferenceNameModel } from "./support/reference/name-model";

const data = sharedDataDir(import.meta.dirname);

/** Pieces of public CUAD contracts (whole lines), Presidio sentences and SEC sentences. */
function realTexts(): string[] {
  const dir = path.join(data, "cuad_clauses/full_contract_txt");
  const out: string[] = [];
  for (const f of fs.readdirSync(dir).sort().slice(0, 12)) out.push(fs.readFileSync(path.join(dir, f), "utf8").slice(0, 40_000));
  for (const set of ["pii_presidio_synth", "pii_sec_filings_ner"]) {
    const lines = fs.readFileSync(path.join(data, set, "pii.jsonl"), "utf8").split("\n").filter(Boolean);
    out.push(...lines.slice(0, 400).map((l) => (JSON.parse(l) as { text: string }).text));
  }
  return out;
}

// Pieces that exercise the triggers and the edges of the fast paths: digit blocks joined by every kind of phone
// punctuation, non-ASCII digits, line breaks inside numbers, place words in any case (the Kelvin sign lower-cases
// to "k"), words ending in a period, address and unit lines, military postcodes, capitalised towns after "in".
const pieces = [
  "+1 (415) 555-2671", "415.555.2671", "020 7946 0958", "+44 20 7946 0958", "+43 1234", "(0)", "ext. 12", "x 44", "555–0100",
  "٠١٢٣٤٥٦٧٨٩", "１２３４５６７", "123-45-6789", "2024-01-31", "$1,000,000", "12.3(a)", "99 577450", "450 0840", "\n", "\n\n", " ", ", ", ". ",
  "Mobile:", "call me on", "Tel.", "Phone", "Fax:", "Section 5.2", "New York", "new york", "NEW YORK", "St. Louis", "Kansas", "\u212Aansas",
  "Mt.", "Calif.", "Texas", "Rd.", "Springfield", "Paris", "in ESPOO", "to KATRINEHOLM,", "(ACSI)", "ACSI", "Apt. 658", "Suite 200",
  "3003 Tasman Drive, Ste. 200, Santa Clara, CA 95054", "P.O. Box 149", "USNS Bergman\nFPO AP 93757", "APO AE 04336", "ul. Miła 53",
  "Via delle Coste 41", "at 07576 Magasinsgatan 7 St.", "lives in harburg", "in Acquapendente 1021", "ALFRICK\nUnited Kingdom",
  "address is 12 Main Street", "jane.doe@example.com", "a@b.co", "x@@y.org", "user@mail..com", "@", "https://bear.example/path?q=1",
  "ftp://files.example.org.", "www.Example.CO.uk/a", "WWW.x.com", "example.com", "U.S.", "e.g.", "Inc.", "10.0.0.1", "256.1.1.1",
  "1.2.3.4.5", "fe80::1", "2001:db8::ff00:42:8329", "a:b:c", "12:30", "::", "\u00A0", "\u2028", "\t", "<", ">", "\"", "'", "(", ")", "{", "}",
  "the Borrower", "Agreement", "İstanbul", "Zürich", "ß", "Ö", "-", "/", "~", "[", "]", "·",
];
/** Real phone numbers of several countries, written several ways (valid in libphonenumber's metadata). */
const phones = [
  "+1 212 736 5000", "(650) 253-0000", "650.253.0000", "+44 20 7031 3000", "+49 30 901820", "+33 1 42 68 53 00", "+31 20 794 0000",
  "+61 2 9374 4000", "+43 1 40400", "+47 22 24 20 00", "+353 1 677 9555", "+91 22 6632 2000", "+1-800-692-7753", "212 736 5000 ext. 12",
];
/** Words compromise's lexicon knows as places, in the three cases a text writes them. */
const places = Object.entries(lexicon())
  .filter(([, tags]) => [tags].flat().some((t) => ["Country", "City", "Region", "Place"].includes(t)))
  .map(([w]) => w)
  .sort()
  .filter((_, i) => i % 7 === 0);
const placeWord = fc.constantFrom(...places).chain((w) =>
  fc.constantFrom(w, w.toUpperCase(), w.replace(/(^|\s)\p{L}/gu, (c) => c.toUpperCase()), `${w}.`),
);
const piece = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...pieces) },
  { weight: 2, arbitrary: fc.constantFrom(...phones) },
  { weight: 3, arbitrary: placeWord },
  { weight: 2, arbitrary: fc.stringMatching(/^[0-9 ()+.\-\n]{1,16}$/) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z][a-z]{0,8}\.?$/) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
const text = fc.array(piece, { maxLength: 40 }).chain((ps) => fc.constantFrom(" ", "", "\n", ", ").map((sep) => ps.join(sep)));

const key = (fs: readonly PiiFinding[]): string[] => fs.map((f) => `${f.type}|${f.start}|${f.end}|${f.score}|${f.recognizer}`);
const pairs: [string, Recognizer, Recognizer][] = [
  ["PhoneRecognizer", new PhoneRecognizer(), new ReferencePhone()],
  ["AddressRecognizer", new AddressRecognizer(), new ReferenceAddress()],
  ["EmailRecognizer", fast.emailRecognizer(), reference.emailRecognizer()],
  ["UrlRecognizer", fast.urlRecognizer(), reference.urlRecognizer()],
  ["IpAddressRecognizer", fast.ipAddressRecognizer(), reference.ipAddressRecognizer()],
  ["UsSsnRecognizer", fast.ssnRecognizer(), reference.ssnRecognizer()],
  ["CreditCardRecognizer", fast.creditCardRecognizer(), reference.creditCardRecognizer()],
  ["IbanRecognizer", fast.ibanRecognizer(), reference.ibanRecognizer()],
  ["DateOfBirthRecognizer", fast.dateOfBirthRecognizer(), reference.dateOfBirthRecognizer()],
  ["UsPassportRecognizer", fast.usPassportRecognizer(), reference.usPassportRecognizer()],
  ["DriverLicenseRecognizer", fast.driverLicenseRecognizer(), reference.driverLicenseRecognizer()],
];

// Numbers, dates and identifiers with the letters, separators and context words around them that the structured
// patterns' look-behinds and look-aheads read ("_", "-", "/", "." before a number; "A" or "GB" right before digits).
const numberPieces = [
  "born", "DOB:", "date of birth", "passport no", "driver's license", "DL#", "ssn", "iban", "card", "Jan", "jan.", "January", "SEPT", "Sept.",
  "sep", "May", "of", "5th", "21st", "03", "12/31/1999", "31.12.1999", "1999-12-31", "2/3/04", "January 5, 1990", "5 March 2001", "born on May 12th, 1985", "DOB: 3rd of may, 2001", "born Sept. 9 1999",
  "A12345678", "123456789", "AB1234567", "1234-56-7890", "A123-4567-89", "D12345", "4111 1111 1111 1111", "4111-1111-1111-1111",
  "378282246310005", "3782 822463 10005", "GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "de89370400440532013000",
  "123-45-6789", "123 45 6789", "078051120", "X", "GB", "ABC", "x1", "_", "-", "/", ".", ",", " ", "\n", "a", "1", "22", "20",
];
const numberText = fc
  .array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...numberPieces) }, { weight: 1, arbitrary: fc.stringMatching(/^[A-Z]{0,2}[0-9]{1,12}$/) }), {
    maxLength: 30,
  })
  .chain((ps) => fc.constantFrom(" ", "", "\n", "-", "/", ".").map((sep) => ps.join(sep)));

describe("fast paths report what the whole-text recognizers reported", () => {
  it.each(pairs)("%s on generated text", (_name, fast, reference) => {
    fc.assert(
      fc.property(text, (t) => {
        expect(key(fast.recognize(t))).toEqual(key(reference.recognize(t)));
      }),
      { numRuns: 400 },
    );
  });

  it.each(pairs.slice(5))("%s on generated numbers, dates and identifiers", (_name, fast, reference) => {
    fc.assert(
      fc.property(numberText, (t) => {
        expect(key(fast.recognize(t))).toEqual(key(reference.recognize(t)));
      }),
      { numRuns: 1500 },
    );
  });

  it.each(pairs)("%s on real contracts and PII sentences", (_name, fast, reference) => {
    for (const t of realTexts()) expect(key(fast.recognize(t))).toEqual(key(reference.recognize(t)));
  });

  // one line where phone numbers, amounts, dates and words alternate: the finder runs on pieces of the line cut
  // between two words, and must find there what it found on the whole line
  it("PhoneRecognizer on long lines mixing numbers, words and extension labels", () => {
    const lineWord = fc.constantFrom(
      ...phones, "ext. 12", "x 44", "extensión 7", "anexo 3", "#", ";ext=5", ",,", "2/20/2009", "$1,000,000", "12:30", ":45", "%", "€",
      "Tel", "Fax:", "Source: ACME INC, 10-K,", "call me on", "and", "or", "the Borrower", "é", "́", "x", "ext", "(", ")", "+", "-", "/", "1", "22", "333",
      "4444", "55555", "123456", "٠١٢٣٤٥", "１２３４５６７",
      // one word alone between numbers (finderPieces cuts there unless it may be an extension label)
      "EP", "Nov", "23-Mar-16", "DE", "AU", "int", "INT", "Ext", "EXT", "X", "xt", "on", "no", "extn", "доб 5", "ｅｘｔ 7", "extensio\u0301n 4", "ſ", "ı",
      "2 424 911", "10770074.2", "(212) 555-0123", "212 555 0123",
      // an extension that ends inside a block: the finder's next candidate starts there ("x 000000000212 555 0123")
      "x 000000000", "#000000000", ", 000000000", ";000000000000000", "ext 00000000000000000000", "7 x 000000000212 736 5000",
      "0 X 0000000002514212 212", "7 ;000000000000000212 736 5000", "7,0000000001 212 736 5000", "7 ext. 00000000000000000000212 736 5000",
    );
    const line = fc.array(lineWord, { maxLength: 30 }).chain((ws) => fc.constantFrom(" ", "", "  ", ", ", " - ").map((sep) => ws.join(sep)));
    const [, now, before] = pairs[0] as [string, Recognizer, Recognizer];
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 3 }), (lines) => {
        const t = lines.join("\n");
        expect(key(now.recognize(t))).toEqual(key(before.recognize(t)));
      }),
      { numRuns: 1500 },
    );
  });

  it("digitWindows reads the same windows from the shared digit runs as it read character by character", () => {
    const lineWord = fc.constantFrom(
      ...phones, "2/20/2009", "$1,000,000", "12:30", "1944158", "11-Feb-17", "6020040309575", "٠١٢٣٤٥", "１２３", "²", "Tel", "and", "x", "(", ")",
      "-", "/", ".", "~", "\u2013", "\u00A0", "1", "22", "333", "4444", "55555", "123456", " ", "  ", "     ", "\n", "\n\n", "\r\n",
    );
    const doc = fc.array(lineWord, { maxLength: 40 }).chain((ws) => fc.constantFrom("", " ", "-", "\n", " - ").map((sep) => ws.join(sep)));
    fc.assert(
      fc.property(doc, (t) => {
        expect(digitWindows(t)).toEqual(referenceDigitWindows(t));
      }),
      { numRuns: 3000 },
    );
    for (const t of realTexts()) expect(digitWindows(t)).toEqual(referenceDigitWindows(t));
  });

  it("keepLegalText gives the same result, with names found and without (a structured-only scan)", () => {
    const all = new PiiScanner({ keepJurisdictions: false });
    for (const t of realTexts().slice(0, 40)) {
      const findings = (all as unknown as { recognizers: Recognizer[] }).recognizers.flatMap((r) => r.recognize(t));
      const structured = findings.filter((f) => !["PERSON", "ORGANIZATION", "LOCATION"].includes(f.type));
      for (const fs of [findings, structured]) expect(key(keepLegalText(t, fs))).toEqual(key(referenceKeepLegalText(t, fs)));
    }
  });

  it("withRepeatedMentions finds the same mentions as its look-behind search, on generated and real text", () => {
    const scanner = new PiiScanner();
    for (const t of realTexts().slice(0, 30)) {
      const found = scanner.scan(t);
      expect(key(withRepeatedMentions(t, found))).toEqual(key(referenceRepeatedMentions(t, found)));
    }
    const word = fc.constantFrom("Acme", "Acme Corp", "Zyx", "Vringo", "X1", "Müller", "é", "-", "_", " ", "\n", ".", "1", "a", "𝒜", "Acme2", "'s");
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 30 }), fc.constantFrom("Acme", "Acme Corp", "Vringo", "Zyx"), (parts, name) => {
        const t = parts.join("");
        const at = t.indexOf(name);
        if (at < 0) return;
        const seed: PiiFinding[] = [{ type: "ORGANIZATION", start: at, end: at + name.length, score: 0.7, recognizer: "OrganizationRecognizer" }];
        expect(key(withRepeatedMentions(t, seed))).toEqual(key(referenceRepeatedMentions(t, seed)));
      }),
      { numRuns: 500 },
    );
  });

  // disjoint findings take the binary-search path, overlapping ones the list path: both must replace as before
  it("withRepeatedMentions replaces the same findings, disjoint or overlapping (fast-check)", () => {
    const word = fc.constantFrom("Acme", "Zyx", "Vringo", " ", "\n", ", ", "the", "Acme Zyx", "1");
    const finding = (length: number): fc.Arbitrary<PiiFinding> =>
      fc
        .record({
          start: fc.nat(length),
          len: fc.integer({ min: 0, max: 12 }),
          type: fc.constantFrom("ORGANIZATION", "PERSON", "LOCATION", "EMAIL"),
          score: fc.constantFrom(0.45, 0.6, 0.7, 0.9),
        })
        .map(({ start, len, type, score }) => ({ type, start, end: Math.min(length, start + len), score, recognizer: "t" }));
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 25 }).chain((ws) => {
          const t = ws.join("");
          return fc.tuple(fc.constant(t), fc.array(finding(t.length), { maxLength: 8 }), fc.boolean());
        }),
        ([t, raw, disjoint]) => {
          // half the runs: a disjoint subset in offset order, as a scan hands it over
          const seed = disjoint ? raw.filter((f, i) => f.end > f.start && raw.slice(0, i).every((g) => f.end <= g.start || g.end <= f.start)) : raw;
          expect(key(withRepeatedMentions(t, seed))).toEqual(key(referenceRepeatedMentions(t, seed)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("propagate pushes the short names and bare names the look-behind search found, on real text", () => {
    const recorded = (run: (push: Push) => void): string[] => {
      const out: string[] = [];
      run((start, end, score, lowerCase) => out.push(`${start}|${end}|${score}|${lowerCase}`));
      return out;
    };
    for (const t of realTexts()) {
      const found = new OrganizationRecognizer().recognize(t);
      expect(recorded((push) => propagate(t, found, push))).toEqual(recorded((push) => referencePropagate(t, found, push)));
    }
  });

  it("the name model labels every token and finds every span as it did with the whole token table of token objects (real and generated text)", () => {
    const model = shippedNameModel();
    const file = shippedNameModelPath();
    if (!model || !file) throw new Error("the shipped name model did not load");
    const oracle = ReferenceNameModel.fromBytes(fs.readFileSync(file), file);
    const labelled = ({ labels, probabilities }: { labels: Uint8Array; probabilities: Float32Array }): string =>
      `${Array.from(labels).join("")}|${Array.from(probabilities).join(",")}`;
    const same = (t: string): void => {
      expect(labelled(model.labelTokens(tokenTable(t)))).toEqual(labelled(oracle.labelTokens(referenceTokenTable(t))));
      expect(model.spans(t)).toEqual(oracle.spans(t));
    };
    const texts = realTexts();
    for (const t of [...texts.slice(0, 3), ...texts.slice(12, 112), ...texts.slice(412, 512)]) same(t);
    // casing edge cases: roman numerals (cased, no letters), the Kelvin sign, ß (upper-cases to SS), İ, marks, astral
    // letters (the expression path), apostrophes inside and at the ends of words, lines in capitals
    const word = fc.constantFrom(
      "Paul", "Schedler", "ACME", "Inc.", "of", "the", "and", "agreement", "Agreement", "relief", "Relief", ".", ",", ":", ";", "?", "(", "\n",
      "12", "E.", "O'Neil", "Müller", "𝒜", "Ⅷ", "ⅷ", "\u212Aansas", "straße", "STRASSE", "İstanbul", "istanbul", "é", "e\u0301", "don't", "'s", "’",
      "NEW YORK", "Q.", "ARTICLE", "IV", "\t", "A", "a", "-", "&", "\u00a0", "٣", "Σ", "σ",
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 40 }), fc.constantFrom(" ", "", "  ", "   "), (words, sep) => same(words.join(sep))),
      { numRuns: 1000 },
    );
  });
});
