// A review builds no regular expression of its own once its module-level ones exist: an expression built
// per contract (a defined term's `\bTerm\b`, a checklist cue) is compiled again by V8, on the worker's main
// thread, for every contract (bench/review-cpu.ts counts the compilations).
import { afterEach, describe, expect, it } from "@jest/globals";
import { LEGAL_STEP_TYPES, runLegalStep } from "../src/workflow/legal-steps";
import { servicesAgreement } from "./fixtures";

/** The six steps of contract_review on one text, as a worker runs them. */
async function review(text: string): Promise<void> {
  const out: Record<string, unknown> = {};
  const params = (type: (typeof LEGAL_STEP_TYPES)[number]): unknown => {
    const [keyTerms, classification, risks, compliance] = [out["legal.extract_terms"], out["legal.classify_clauses"], out["legal.assess_risk"], out["legal.check_compliance"]];
    switch (type) {
      case "legal.assess_risk":
        return { text, key_terms: keyTerms, classification, playbook: "" };
      case "legal.validate_citations":
        return { text, outputs: { key_terms: keyTerms, classification, risks, compliance } };
      case "legal.report":
        return { text, key_terms: keyTerms, classification, risks, compliance, citations: out["legal.validate_citations"], format: "markdown" };
      default:
        return { text };
    }
  };
  for (const type of LEGAL_STEP_TYPES) out[type] = await runLegalStep(type, params(type));
}

const NativeRegExp = RegExp;
afterEach(() => {
  globalThis.RegExp = NativeRegExp;
});

/** Counts `new RegExp(…)` and `RegExp(…)` calls while `run` runs (the global is looked up at each call). */
async function constructions(run: () => Promise<void>): Promise<string[]> {
  const built: string[] = [];
  globalThis.RegExp = new Proxy(NativeRegExp, {
    construct: (target, args, newTarget) => (built.push(String(args[0])), Reflect.construct(target, args, newTarget === globalThis.RegExp ? target : newTarget)),
    apply: (target, self, args) => (built.push(String(args[0])), Reflect.apply(target, self, args)),
  });
  try {
    await run();
  } finally {
    globalThis.RegExp = NativeRegExp;
  }
  return built;
}

// Defined terms of its own, and personal data, so the GDPR Art. 28 checklist runs too.
const contract = `${servicesAgreement()}

17. DATA PROTECTION
17.1 Provider shall process personal data only on documented instructions from Customer (the "Processing Instructions") and shall ensure that persons authorised to process the personal data have committed themselves to confidentiality. The Processing Instructions are set out in Schedule 3.
17.2 Provider shall not engage another processor (a "Sub-processor") without prior specific or general written authorisation of Customer.`;

describe("a review's regular expressions", () => {
  it("are all built before the first contract: a second contract's review builds none", async () => {
    await review(contract); // the lazily built ones (a checklist read once, a model file's) are made here
    // another contract, with defined terms of its own
    const built = await constructions(() => review(contract.replaceAll("Processing Instructions", "Data Handling Rules").replaceAll("Sub-processor", "Subcontracted Processor")));
    expect(built).toEqual([]);
  });
});
