import fc from "fast-check";
import { forgetTextRuns } from "../text-runs";
import { matchesAt } from "../triggered-matches";
import { ANCHORED_NAME_CUES } from "./name-recognizer";

const key = (ms: Iterable<RegExpExecArray>): string[] => [...ms].map((m) => `${m.index}:${m[0]}:${m.slice(1).join("|")}`);

// Cue words in several cases and inside other words ("Mrs", "MR", "Bymore", "Commonwealths"), plural roles, labels
// with and without their colon, "/s/" and its look-alikes, names in both cases, initials, and the characters the
// look-behinds read (letters of other scripts, digits, "_", "/").
const pieces = [
  "Mr", "Mr.", "Mrs", "MR", "Ms", "Miss", "Mx", "Dr.", "Prof", "Sir", "Dame", "Judge", "Justice", "Hon.", "Rev", "mr.", "mrs", "dr", "prof.",
  "Plaintiff", "Plaintiffs,", "Defendant", "Trustees", "Notary", "Employee", "Counsel,", "By:", "by:", "By", "Name:", "name :", "Signed:",
  "signed:", "Signature:", "Attn.:", "Attn:", "attn:", "Attention:", "/s/", "/S/", "s/", "/s", "My name is", "my name is", "Name is", "call me",
  "Call me", "names are", "names were", "called", "named", "written by", "signed by", "Dear", "dear", "Hi", "hi,", "Hello", "Thanks",
  "thank you", "Married", "met with", "spoke with", "Commonwealth", "COMMONWEALTH", "Commonwealth of Virginia", "COMMONWEALTH OF MASSACHUSETTS",
  "Commonwealths", "of", "John", "Smith", "O'Neil", "Karen", "KATHY", "WHITWORTH", "E.", "van", "lena", "andersson", "elliott", "Bymore",
  "Sirius", "é", "Émile", "𝒜", "1", "_", "/", ",", ".", ":", " ", "  ", "\n", "\t",
];
const text = fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).chain((ps) => fc.constantFrom(" ", "", "\n", "  ", "\t").map((sep) => ps.join(sep)));

describe("the name cues tried at their anchors find what a global search finds", () => {
  afterEach(() => forgetTextRuns());

  it.each(ANCHORED_NAME_CUES)("%s", (_name, pattern, positions) => {
    fc.assert(
      fc.property(text, (t) => {
        expect(key(matchesAt(t, pattern, positions(t)))).toEqual(key(t.matchAll(pattern)));
      }),
      { numRuns: 3000 },
    );
  });
});
