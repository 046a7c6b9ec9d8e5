// Typed cues let the readers see what the bag of words drops: "15% of the fees" and "$15 of the fees"
// are the same words to the tokenizer ("#2 of the fees"), so without the cues no reader can tell a
// revenue share from a flat charge; with them the linear reader ranks every unseen share first.
import { describe, expect, it } from "@jest/globals";
import { ClauseModel, CUAD_CATEGORIES } from "../src/index";
import { buildDataset } from "../train/sentence-dataset";
import { linearScores, trainLogistic } from "../train/logistic-trainer";
import type { CuadContract } from "../train/cuad-data";

const FILLER = ["Notices shall be sent by registered mail.", "Each party shall keep records of its invoices.", "The Supplier shall deliver the goods promptly."];
const PAYERS = ["Reseller", "Agent", "Operator", "Licensee", "Partner", "Retailer"];

/**
 * Toy contract k: a payment sentence that is a revenue share (a percentage) in even contracts and a flat
 * charge ($) in odd ones; contracts 2j and 2j + 1 are otherwise the same text.
 */
function toyPaymentContract(k: number): CuadContract {
  const j = k >> 1;
  const amount = 10 + ((j * 7) % 40);
  const share = k % 2 === 0;
  const payment = `The ${PAYERS[j % PAYERS.length]!} shall remit ${share ? `${amount}%` : `$${amount}`} of the fees it collects.`;
  const sentences = [...FILLER.slice(0, 1 + (j % 3)), payment, ...FILLER];
  const text = sentences.map((s, i) => `${i + 1}. ${s}`).join("\n\n");
  const start = text.indexOf(payment);
  const gold = share ? new Map([["Revenue/Profit Sharing" as const, [[{ start, end: start + payment.length }]]]]) : new Map();
  return { file: `toy-pay-${k}.txt`, text, gold, answers: new Map() };
}

const contracts = Array.from({ length: 32 }, (_, k) => toyPaymentContract(k));
const opts = { epochs: 8, learningRate: 0.5, l2: 1e-6, seed: 3 };

/** Scores of the held-out contracts' payment sentences for Revenue/Profit Sharing: shares and flat charges. */
function heldOutPaymentScores(typed: boolean): { shares: number[]; charges: number[] } {
  const data = buildDataset(contracts, 12, { typed });
  // The rules see "%" too; blanked in both datasets so that only the hashed features can tell the two apart.
  data.rules.fill(0);
  const C = data.categories.length;
  const c = data.categories.indexOf("Revenue/Profit Sharing");
  const rows = (keep: (k: number) => boolean) => Int32Array.from({ length: data.size }, (_, i) => i).filter((i) => keep(data.contractOf[i]!));
  const w = trainLogistic(data, rows((k) => k < 24), opts);
  const test = rows((k) => k >= 24);
  const z = linearScores(data, test, w);
  const shares: number[] = [];
  const charges: number[] = [];
  test.forEach((row, p) => {
    const quote = contracts[data.contractOf[row]!]!.text.slice(data.spans[row]!.start, data.spans[row]!.end);
    if (!quote.includes("remit")) return;
    (quote.includes("%") ? shares : charges).push(z[p * C + c]!);
  });
  return { shares, charges };
}

describe("typed cues in training", () => {
  it("without them a share and a flat charge score alike; with them every unseen share ranks above every charge", () => {
    const plain = heldOutPaymentScores(false);
    expect(plain.shares.length).toBe(4);
    expect(plain.charges.length).toBe(4);
    // Same words, same features: each share scores exactly as its twin charge.
    plain.shares.forEach((z, p) => expect(z).toBeCloseTo(plain.charges[p]!, 6));
    const typed = heldOutPaymentScores(true);
    expect(Math.min(...typed.shares)).toBeGreaterThan(Math.max(...typed.charges) + 1);
  });

  it("a model file records that its readers read typed cues (files before the flag: no)", () => {
    const C = CUAD_CATEGORIES.length;
    const weights = { hashBits: 8, categories: CUAD_CATEGORIES, bias: new Float32Array(C), hashed: new Float32Array((1 << 8) * C), rules: new Float32Array(C * C), calibrationA: new Float32Array(C).fill(1), calibrationB: new Float32Array(C), meta: {} };
    const plain = ClauseModel.fromWeights(weights);
    expect(plain.typed).toBe(false);
    expect(ClauseModel.fromBytes(plain.toBytes()).typed).toBe(false);
    expect(ClauseModel.fromBytes(ClauseModel.fromWeights({ ...weights, typed: true }).toBytes()).typed).toBe(true);
  });
});
