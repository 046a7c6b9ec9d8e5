// The parties figure's second reading (bench/legal-eval.ts isRoleLabel): which CUAD "Parties" answers are role labels
// a contract defines, reported apart from the answers that name a party. Invented answers.
import { isRoleLabel } from "../bench/legal-eval";

const answersOf = (...xs: string[]): string[] => xs;

describe("role labels among a contract's Parties answers", () => {
  it("reads a lettered party, one role word and a quoted role as labels", () => {
    const answers = answersOf("Quellmark Trading Co., Ltd.", "Party B", "Principal", 'the "Professional"', 'each and both of them "Recipient"');
    for (const a of ["Party B", "Principal", 'the "Professional"', 'each and both of them "Recipient"', "CELEBRITY"]) expect(isRoleLabel(a, answers)).toBe(true);
  });

  it("keeps short names, brands and names made of English words as names", () => {
    const answers = answersOf("FUSION Harbour Pharmaceuticals Inc.", "FUSION", "Diplomat Direct Marketing Corporation", "Diplomat", '"Omega" or "Operator"', "OMEGA REFINING, LLC");
    expect(isRoleLabel("FUSION", answers)).toBe(false); // part of a party's name among the answers
    expect(isRoleLabel("Diplomat", answers)).toBe(false);
    expect(isRoleLabel('"Omega" or "Operator"', answers)).toBe(false);
    expect(isRoleLabel("doing business as Pretzel Time", answers)).toBe(false); // a trade name
    expect(isRoleLabel("World Energy Solutions", answers)).toBe(false); // two or more words of substance, no quotes
    expect(isRoleLabel("Burger Queen Corporation", answers)).toBe(false); // a legal form
    expect(isRoleLabel("AT&T", answers)).toBe(false); // an acronym
    expect(isRoleLabel("S2K", answers)).toBe(false); // digits
    expect(isRoleLabel("Quellmark", answers)).toBe(false); // no English word
  });
});
