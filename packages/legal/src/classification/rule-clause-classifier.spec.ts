import { describe, expect, it } from "@jest/globals";
import type { ClauseLexicon } from "./clause-lexicon";
import { RuleClauseClassifier } from "./rule-clause-classifier";

// The cue mechanics, on a one-category lexicon so that only the cue under test can score (sentences
// from contracts of the public CUAD dev half).
const only = (cue: ClauseLexicon["Insurance"]) => new RuleClauseClassifier({ Insurance: cue });

describe("RuleClauseClassifier cue mechanics", () => {
  it("counts a cue with `requires` only when every required pattern also matches", () => {
    const rules = only({ cues: [{ pattern: String.raw`\binsurance\b`, weight: 0.8, requires: [String.raw`maintain|certificate`] }] });
    expect(rules.scoreSentence("Upon request, each party shall provide certificates of insurance to the other evidencing the coverage specified herein.").get("Insurance")).toBe(0.8);
    expect(rules.scoreSentence("(3) Workers' Compensation Insurance as required by state law where the Work is performed.").get("Insurance")).toBeUndefined();
  });

  it("drops a cue when its `unless` pattern matches", () => {
    const rules = only({ cues: [{ pattern: String.raw`\binsurance\b`, weight: 0.8, unless: String.raw`insurance\s+laws?` }] });
    expect(rules.scoreSentence('WHEREAS, the Company is a life insurer subject to certain capital requirements of the insurance laws and regulations of Delaware (the "Domiciliary State");').get("Insurance")).toBeUndefined();
  });

  it("lets `[^.]` windows step over full stops inside section numbers but not over sentence ends", () => {
    const rules = only({ cues: [{ pattern: String.raw`except[^.]{0,200}liability`, weight: 0.8 }] });
    const sentence = "EXCEPT FOR LIABILITIES UNDER SECTION 7.2 [Indemnity], NEITHER PARTY'S AGGREGATE LIABILITY ARISING OUT OF OR IN CONNECTION WITH THIS AGREEMENT OR THE TRANSACTIONS CONTEMPLATED HEREBY, WHETHER IN CONTRACT, TORT (INCLUDING NEGLIGENCE), WARRANTY OR OTHERWISE, SHALL EXCEED [***].";
    expect(rules.scoreSentence(sentence).get("Insurance")).toBe(0.8);
    // Two sentences: the window stops at "$1,000,000. Such".
    const twoSentences = "except the following Subcontractor classifications will have limits of not less than the following: HVAC $2,000,000, Landscaping and Fencing $1,000,000. Such Umbrella/Excess Liability";
    expect(rules.scoreSentence(twoSentences).get("Insurance")).toBeUndefined();
  });

  it("never labels a line that only names the clause", () => {
    const rules = only({ cues: [{ pattern: String.raw`insurance`, weight: 0.9 }], headings: [{ pattern: "insurance", weight: 0.4 }] });
    expect(rules.scoreSentence("11.2 Insurance.", "Insurance").get("Insurance")).toBeLessThan(0.5);
    expect(rules.scoreSentence("Each party shall maintain such insurance during the Term and thereafter for so long as it customarily maintains insurance for itself for similar products and activities.", "Insurance").get("Insurance")).toBeGreaterThan(0.9);
  });
});
