import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { KeyTermModelError } from "../../errors";
import { ContractDocument } from "../../text/contract-document";
import { KEY_TERM_HEADS, KeyTermModel, type KeyTermHead, type KeyTermHeadWeights } from "./key-term-model";
import { partyCandidates, partyCandidateSpans } from "./party-candidates";
import { dateCandidates } from "./date-candidates";
import { monthEndLengths, namedDate, termLengths } from "./term-length-candidates";
import { chooseEntityParties, chooseKeyDates, chooseParties } from "./apply-key-term-model";
import { entityFeatures, groupPartyEntities } from "./party-entities";

const BITS = 8;
function tinyModel(seed: number): KeyTermModel {
  const heads = Object.fromEntries(
    KEY_TERM_HEADS.map((h, k) => [h, { weights: Float32Array.from({ length: 1 << BITS }, (_, i) => Math.sin(seed + i * (k + 1))), a: 1.5, b: -0.25, threshold: 0.3 }]),
  ) as Record<KeyTermHead, KeyTermHeadWeights>;
  return KeyTermModel.fromWeights(BITS, heads, { seed });
}

describe("KeyTermModel", () => {
  it("reads back exactly what it wrote, scores and thresholds included", () => {
    const model = tinyModel(3);
    const back = KeyTermModel.fromBytes(model.toBytes());
    expect(back.meta).toEqual({ seed: 3 });
    for (const head of KEY_TERM_HEADS) {
      expect(back.threshold(head)).toBe(0.3);
      expect(back.score(head, ["bias", "t:acme", "suffix"])).toBeCloseTo(model.score(head, ["bias", "t:acme", "suffix"]), 6);
    }
  });

  it("writes the entity head as a version 2 file and reads it back; a version 1 file has none", () => {
    const v1 = tinyModel(5);
    const entity = { weights: Float32Array.from({ length: 1 << BITS }, (_, i) => Math.cos(i)), a: 0.9, b: 0.1, threshold: 0.25 };
    const v2 = KeyTermModel.fromWeights(BITS, { ...Object.fromEntries(KEY_TERM_HEADS.map((h) => [h, { weights: new Float32Array(1 << BITS), a: 1, b: 0, threshold: 0.5 }])), entity } as never);
    const back = KeyTermModel.fromBytes(v2.toBytes());
    expect(back.hasEntityHead).toBe(true);
    expect(back.entityThreshold()).toBe(0.25);
    expect(back.scoreEntity(["bias", "rank:0"])).toBeCloseTo(v2.scoreEntity(["bias", "rank:0"])!, 6);
    const old = KeyTermModel.fromBytes(v1.toBytes());
    expect(old.hasEntityHead).toBe(false);
    expect(old.scoreEntity(["bias"])).toBeUndefined();
    expect(() => KeyTermModel.fromBytes(v2.toBytes().subarray(0, v1.toBytes().length + 64), "short.bin")).toThrow(/short\.bin.*expected/);
  });

  it("a listwise head's probabilities of its candidates and of none sum to one, and survive the file", () => {
    const heads = Object.fromEntries(KEY_TERM_HEADS.map((h, k) => [h, { weights: Float32Array.from({ length: 1 << BITS }, (_, i) => Math.sin(i * (k + 2))), a: 1, b: -0.5, threshold: 0 }])) as Record<KeyTermHead, KeyTermHeadWeights>;
    const model = KeyTermModel.fromWeights(BITS, heads, {}, ["expiration"]);
    const back = KeyTermModel.fromBytes(model.toBytes());
    expect(back.isListwise("expiration")).toBe(true);
    expect(back.isListwise("party")).toBe(false);
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ maxLength: 8 }), { maxLength: 6 }), { maxLength: 8 }), fc.array(fc.string({ maxLength: 8 }), { maxLength: 6 }), (candidates, none) => {
        const { scores, none: pNone } = back.scoreList("expiration", candidates, none);
        expect(scores.reduce((a, b) => a + b, pNone)).toBeCloseTo(1, 9);
        expect(scores).toEqual(model.scoreList("expiration", candidates, none).scores.map((x) => expect.closeTo(x, 6)));
      }),
    );
    // The offset (b) lowers "none" against the same candidates.
    const noOffset = KeyTermModel.fromWeights(BITS, { ...heads, expiration: { ...heads.expiration, b: 0 } }, {}, ["expiration"]);
    expect(model.scoreList("expiration", [["bias"]], ["none"]).none).toBeLessThan(noOffset.scoreList("expiration", [["bias"]], ["none"]).none);
    // A pointwise head scores each candidate alone and gives none no mass.
    expect(back.scoreList("agreement", [["bias"]], ["none"])).toEqual({ scores: [back.score("agreement", ["bias"])], none: 0 });
    expect(tinyModel(2).isListwise("expiration")).toBe(false);
  });

  it("refuses a file that is not a model, or is cut short, with KEY_TERM_MODEL_INVALID", () => {
    const bytes = tinyModel(1).toBytes();
    expect(() => KeyTermModel.fromBytes(new TextEncoder().encode("not a model at all"), "x.bin")).toThrow(KeyTermModelError);
    expect(() => KeyTermModel.fromBytes(bytes.subarray(0, bytes.length - 8), "cut.bin")).toThrow(/cut\.bin.*expected/);
  });
});

describe("key-term candidates", () => {
  const preamble = 'This Supply Agreement is made as of March 3, 2020 by and between Acme Widgets, Inc., a Delaware corporation ("Supplier"), and Beta Foods LLC ("Buyer").';

  it("offers the party names of the preamble as candidates, with the corporate suffix after a comma", () => {
    const doc = new ContractDocument(preamble);
    const names = partyCandidateSpans(doc).map((c) => preamble.slice(c.start, c.end));
    expect(names).toEqual(expect.arrayContaining(["Acme Widgets, Inc.", "Beta Foods LLC"]));
  });

  it("never offers a span outside the text or across a blank line (any text)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.array(fc.constantFrom("Acme Corp", " and ", ", Inc.", "\n\n", " of ", "By: ", '("X")'), { maxLength: 12 }), (s, parts) => {
        const text = s + parts.join("");
        for (const c of partyCandidateSpans(new ContractDocument(text))) {
          expect(c.start).toBeGreaterThanOrEqual(0);
          expect(c.end).toBeLessThanOrEqual(text.length);
          expect(c.end).toBeGreaterThan(c.start);
          expect(text.slice(c.start, c.end)).not.toMatch(/\n[ \t]*\n/);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("offers every written date, and 'perpetual' only when a sentence gives a reason", () => {
    const dated = new ContractDocument(`${preamble}\n\n1. Term. This Agreement shall continue until terminated by either party.`);
    const candidates = dateCandidates(dated, {}, []);
    expect(candidates.filter((c) => c.value.kind === "mention").map((c) => c.value.iso)).toEqual(["2020-03-03"]);
    expect(candidates.some((c) => c.value.kind === "perpetual")).toBe(true);
    expect(dateCandidates(new ContractDocument(preamble), {}, []).some((c) => c.value.kind === "perpetual")).toBe(false);
  });

  it("takes one party per entity and at least the two best, each with its defined role", () => {
    const doc = new ContractDocument(preamble);
    const spans = partyCandidateSpans(doc);
    const at = (name: string) => spans.find((c) => preamble.slice(c.start, c.end) === name)!;
    const scored = [
      { candidate: at("Acme Widgets, Inc."), score: 0.9 },
      { candidate: at("Acme Widgets, Inc."), score: 0.8 },
      { candidate: at("Beta Foods LLC"), score: 0.2 },
      { candidate: at("Supply Agreement"), score: 0.05 },
    ];
    const parties = chooseParties(preamble, scored, 0.5, []);
    expect(parties.map((p) => [p.name, p.role])).toEqual([
      ["Acme Widgets, Inc.", "Supplier"],
      ["Beta Foods LLC", "Buyer"],
    ]);
    for (const p of parties) expect(preamble.slice(p.span.start, p.span.end)).toBe(p.span.quote);
  });

  it("groups mentions into entities (names inside one another are one) and takes every entity the entity head passes", () => {
    const text = `${preamble} Acme shall deliver to Beta Foods. Gamma Logistics, Inc. is a carrier.`;
    const at = (name: string) => ({ start: text.indexOf(name), end: text.indexOf(name) + name.length });
    const scored = [
      { candidate: at("Acme Widgets, Inc."), score: 0.9, features: ["preamble", "role-after", "suffix"] },
      { candidate: at("Beta Foods LLC"), score: 0.6, features: ["preamble", "role-after"] },
      { candidate: { start: text.indexOf("Acme shall"), end: text.indexOf("Acme shall") + 4 }, score: 0.3, features: [] },
      { candidate: { start: text.indexOf("Beta Foods."), end: text.indexOf("Beta Foods.") + 10 }, score: 0.2, features: [] },
      { candidate: at("Gamma Logistics, Inc."), score: 0.1, features: ["suffix"] },
    ];
    const entities = groupPartyEntities(text, scored);
    expect(entities.map((e) => [e.key, e.mentions.length])).toEqual([
      ["acme widgets", 2],
      ["beta foods", 2],
      ["gamma logistics", 1],
    ]);
    const features = entityFeatures(entities);
    expect(features[0]).toEqual(expect.arrayContaining(["rank:0", "u:preamble", "u:role-after", "u:suffix", "preamble-order:0"]));
    expect(features[2]).toEqual(expect.arrayContaining(["rank:2", "preamble-order:none"]));
    // An entity head that trusts the defined role in the preamble takes the two sides and leaves the carrier out.
    const head = (f: readonly string[]) => (f.includes("u:role-after") ? 0.9 : 0.05);
    const parties = chooseEntityParties(text, scored, head, 0.5, []);
    expect(parties.map((p) => [p.name, p.role])).toEqual([
      ["Acme Widgets, Inc.", "Supplier"],
      ["Beta Foods LLC", "Buyer"],
    ]);
    expect(chooseEntityParties(text, scored, () => 0.9, 0.5, []).map((p) => p.name)).toContain("Gamma Logistics, Inc.");
  });

  it("reads the year and month lengths and the anniversaries of a term sentence", () => {
    const read = (sentence: string) => termLengths(sentence).map((l) => [l.kind, l.value, l.unit]);
    expect(read("shall continue for ten (10) Contract Years")).toEqual([["length", 10, "year"]]);
    expect(read("for a period of twelve (12) full calendar months")).toEqual([["length", 12, "month"]]);
    expect(read("will be for two (2) year(s) commencing on the Effective Date")).toEqual([["length", 2, "year"]]);
    expect(read("a six-month pilot")).toEqual([["length", 6, "month"]]);
    expect(read("terminating on the eighth anniversary of the Commencement Date")).toEqual([["anniversary", 8, "year"]]);
    expect(read("until the end of the fifteenth (15th) Contract Year")).toEqual([["anniversary", 15, "year"]]);
    expect(read("within thirty (30) days, on 2019 terms")).toEqual([]);
    // A scanned figure one read as a capital I; a suffix split by an EDGAR conversion.
    expect(read("shall continue in effect for one (I) year")).toEqual([["length", 1, "year"]]);
    expect(read("shall continue in effect for one (i) year")).toEqual([["length", 1, "year"]]);
    expect(read("The fifth (5t h) anniversary of this Agreement")).toEqual([["anniversary", 5, "year"]]);
  });

  it("reads the agreement's term sentence before other periods, however many come first", () => {
    const others = Array.from({ length: 20 }, (_, i) => `${i + 3}. Records. Each party keeps its records for ${i + 2} years after the term ends.`).join("\n\n");
    const text = `${preamble} This Agreement is effective as of April 1, 2020 (the "Effective Date").\n\n${others}\n\n30. Duration. This Agreement shall terminate on the date three (3) years from the Effective Date.`;
    const isos = dateCandidates(new ContractDocument(text), {}, [], { effective: "2020-04-01" }).map((c) => c.value.iso);
    expect(isos).toContain("2023-04-01");
  });

  it("counts from a start the term sentence names where its definition gives the date, and to the end of the month when it says so", () => {
    const text = `${preamble} This Agreement is made on April 1, 2020.\n\n1. Definitions. The services begin on June 10, 2020 (the "Service Start Date").\n\n2. Term. The term of this Agreement ends on the last day of the month two (2) years from the Service Start Date.`;
    const doc = new ContractDocument(text);
    const mentions = [{ start: text.indexOf("June 10"), end: text.indexOf("June 10") + 13, iso: "2020-06-10" }];
    expect(namedDate(doc, mentions, "Service Start Date")).toBe("2020-06-10");
    expect(namedDate(doc, mentions, "Launch Date")).toBeUndefined();
    const named = dateCandidates(doc, {}, [], { agreement: "2020-04-01" }).filter((c) => c.features.includes("base:named-date"));
    expect(named.map((c) => c.value.iso)).toEqual(["2022-06-30"]);
    expect(named[0]!.features).toContain("month-end");
  });

  it("gives the end of the initial term, not 'perpetual', for an agreement that renews by itself", () => {
    const text = `${preamble}\n\n2. Term. The initial term is two (2) years; thereafter this Agreement renews automatically for one-year terms until terminated.`;
    const doc = new ContractDocument(text);
    const perpetual = { candidate: { kind: "perpetual" as const, start: 0, end: 10 }, score: 0.6 };
    const initialEnd = { candidate: { kind: "mention" as const, iso: "2022-03-03", start: 20, end: 30 }, score: 0.3 };
    const scored = { agreement: [], effective: [], expiration: [perpetual, initialEnd] };
    const thresholds = { agreement: 0.5, effective: 0.5, expiration: 0.2 };
    expect(chooseKeyDates(doc, scored, thresholds, {}, 0.1, true).expiration).toMatchObject({ iso: "2022-03-03" });
    // Not when it does not renew by itself, nor when the dated reading is far weaker than "perpetual".
    expect(chooseKeyDates(doc, scored, thresholds, {}, 0.1, false).expiration).toMatchObject({ note: "perpetual" });
    expect(chooseKeyDates(doc, { ...scored, expiration: [perpetual, { ...initialEnd, score: 0.1 }] }, thresholds, {}, 0.05, true, 0.25).expiration).toMatchObject({ note: "perpetual" });
  });

  it("reads a named start where the defined-terms extractor finds its definition", () => {
    const text = `${preamble} This Agreement is made on April 1, 2020.\n\n1. "Commencement Date" means November 16, 2020, or such later date as the parties agree.\n\n2. The Launch Date is expected to be in 2021.`;
    const doc = new ContractDocument(text);
    const at = (written: string, iso: string) => ({ start: text.indexOf(written), end: text.indexOf(written) + written.length, iso });
    const mentions = [at("April 1, 2020", "2020-04-01"), at("November 16, 2020", "2020-11-16")];
    expect(namedDate(doc, mentions, "Commencement  Date")).toBe("2020-11-16");
    // Named but never defined: no date, not the nearest date of the text.
    expect(namedDate(doc, mentions, "Launch Date")).toBeUndefined();
  });

  it("ends at a month end only the length the 'last day of the month' wording belongs to", () => {
    const text = `${preamble} This Agreement is effective as of April 1, 2020 (the "Effective Date").\n\n2. Term. The initial term of this Agreement ends on the last day of the month ten (10) years from the Effective Date, and renews for terms of two (2) years each.`;
    const computed = dateCandidates(new ContractDocument(text), {}, [], { effective: "2020-04-01" }).filter((c) => c.features.includes("base:model-effective"));
    const byLength = (years: number) => computed.filter((c) => c.value.keyDate?.note?.includes(`+ ${years} years`)).map((c) => [c.value.iso, c.features.includes("month-end")]);
    expect(byLength(10)).toEqual([["2030-04-30", true]]);
    expect(byLength(2)).toEqual([["2022-04-01", false]]);
    const sentence = "renewal terms of one (1) year each; the initial term of five (5) years ends on the last day of the month in which the fifth anniversary falls";
    expect([...monthEndLengths(sentence, termLengths(sentence))].map((l) => [l.kind, l.value])).toEqual([["length", 5]]);
  });

  it("reads on into the next sentence when a term sentence was cut after its count", () => {
    const text = `${preamble} This Agreement is effective as of April 1, 2020 (the "Effective Date").\n\n2. Term. This Agreement will remain in effect for Thirty-six (36)\n\nPage 3\n\nmonths following the Effective Date.`;
    const isos = dateCandidates(new ContractDocument(text), {}, [], { effective: "2020-04-01" }).map((c) => c.value.iso);
    expect(isos).toContain("2023-04-01");
  });

  it("counts from the runners-up of stage one too, marked as such", () => {
    const text = `${preamble} This Agreement is effective as of April 1, 2020.\n\n2. Term. The term of this Agreement shall be one (1) year.`;
    const c = dateCandidates(new ContractDocument(text), {}, [], { effective: "2020-04-01", runnersUp: ["2020-05-15"] }).filter((x) => x.features.includes("base:runner-up"));
    expect(c.map((x) => x.value.iso)).toEqual(["2021-05-15"]);
  });

  it("counts the expiry from the model's own effective date in stage two, and offers no start-plus-length date in stage one", () => {
    const text = `${preamble} This Agreement is effective as of April 1, 2020 (the "Effective Date").\n\n2. Term. The term of this Agreement shall be three (3) years from the Effective Date.`;
    const doc = new ContractDocument(text);
    const stageOne = dateCandidates(doc, {}, []);
    expect(stageOne.some((c) => c.features.includes("term-computed"))).toBe(false);
    const stageTwo = dateCandidates(doc, {}, [], { effective: "2020-04-01" });
    const fromModel = stageTwo.filter((c) => c.features.includes("base:model-effective"));
    expect(fromModel.map((c) => c.value.iso)).toContain("2023-04-01");
    for (const c of stageTwo) expect(c.value.end).toBeLessThanOrEqual(text.length);
  });

  it("reads the ends listed after a term sentence that ends in a colon", () => {
    const text = `${preamble}\n\n6.2 This Agreement shall remain in effect until the earlier of the events below occur:\n\n (a) the third (3rd) anniversary of this Agreement; and\n\n (b) a change of control of Beta.\n\n6.3 Notices. Each notice shall be given within ten (10) years.`;
    const c = dateCandidates(new ContractDocument(text), {}, [], { agreement: "2020-03-03" });
    const listed = c.filter((x) => x.features.includes("list-item"));
    expect(listed.map((x) => x.value.iso)).toEqual(["2023-03-03"]);
    // The next numbered clause is not part of the list.
    expect(c.filter((x) => x.features.includes("in-list")).map((x) => x.value.iso)).not.toContain("2030-03-03");
  });

  it("offers the end of the calendar year a 'Contract Year' ends, beside the day itself", () => {
    const text = `${preamble}\n\n2. Term. This Agreement shall continue until the end of the fifth (5th) Contract Year.`;
    const c = dateCandidates(new ContractDocument(text), {}, [], { effective: "2020-03-03" });
    expect(c.filter((x) => x.features.includes("year-end")).map((x) => x.value.iso)).toEqual(["2025-12-31"]);
    expect(c.map((x) => x.value.iso)).toContain("2025-03-03");
    const plain = `${preamble}\n\n2. Term. The term of this Agreement shall be five (5) years.`;
    expect(dateCandidates(new ContractDocument(plain), {}, [], { effective: "2020-03-03" }).some((x) => x.features.includes("year-end"))).toBe(false);
  });

  it("offers the lengths of any sentence, marked, when no term sentence states a length, but never those of a right to terminate", () => {
    const right = `${preamble}\n\n5. Either party may terminate this agreement after 3 years following the effective date.`;
    expect(dateCandidates(new ContractDocument(right), {}, [], { effective: "2020-03-03" }).map((x) => x.value.iso)).not.toContain("2023-03-03");
    const engagement = `${preamble}\n\nThe Company agrees to a one year engagement of the Speaker.`;
    const anywhere = dateCandidates(new ContractDocument(engagement), {}, [], { effective: "2020-03-03" }).filter((x) => x.features.includes("from-any-sentence"));
    expect(anywhere.map((x) => x.value.iso)).toEqual(["2021-03-03"]);
    // A contract whose term sentence states its length reads no other sentence's lengths.
    const stated = `${engagement}\n\n2. Term. The term of this Agreement shall be two (2) years.`;
    expect(dateCandidates(new ContractDocument(stated), {}, [], { effective: "2020-03-03" }).some((x) => x.features.includes("from-any-sentence"))).toBe(false);
  });

  it("counts from the last date signed after IN WITNESS WHEREOF, never from a filing footer's date", () => {
    const text = `${preamble}\n\n2. Term. This Agreement shall continue for twelve (12) months.\n\nIN WITNESS WHEREOF the parties have signed.\n\nBy: /s/ Jo Roe Date: 4/24/2018   By: /s/ Al Poe Date: 04/25/2018\n\nSource: ACME CORP, 8-K, 12/3/2018`;
    const c = dateCandidates(new ContractDocument(text), {}, [], { effective: "2020-03-03" }).filter((x) => x.features.includes("base:last-signature"));
    expect([...new Set(c.map((x) => x.value.iso))]).toEqual(["2019-04-25"]);
  });

  it("reads 'an indefinite term' as a perpetual wording", () => {
    const indefinite = dateCandidates(new ContractDocument(`${preamble}\n\nThis Agreement is valid for an indefinite term.`), {}, []).find((x) => x.value.kind === "perpetual");
    expect(indefinite?.features).toContain("perpetual:word");
  });

  it("never takes a clause number into a name, nor a possessive ending", () => {
    const text = `${preamble}\n\n16.3 Guaranty. NETZEE's obligations under this Agreement are guaranteed by Gamma Holdings Corp.`;
    const names = partyCandidateSpans(new ContractDocument(text)).map((c) => text.slice(c.start, c.end));
    expect(names).toEqual(expect.arrayContaining(["Guaranty.", "NETZEE", "Gamma Holdings Corp."]));
    expect(names.filter((n) => /16\.3|NETZEE's|'s/.test(n))).toEqual([]);
    // A number inside a name stays ("EWSD 1, LLC").
    const numbered = 'This Lease is made by and between EWSD 1, LLC ("Landlord") and Beta Foods LLC ("Tenant").';
    expect(partyCandidateSpans(new ContractDocument(numbered)).map((c) => numbered.slice(c.start, c.end))).toContain("EWSD 1, LLC");
  });

  it("offers a name run into a signer's title in another case, and marks names that have a signature block of their own", () => {
    const blocks = "ALPHA FUND, L.P. By: /s/ Jo Roe Jo Roe Authorized Signatory BETA HOLDINGS LTD. By: /s/ Jo Roe Jo Roe Vice President GAMMA GP, LLC By: /s/ Jo Roe";
    const text = `${preamble}\n\nIN WITNESS WHEREOF the parties have signed.\n\n${blocks}`;
    const doc = new ContractDocument(text);
    const names = partyCandidateSpans(doc).map((c) => text.slice(c.start, c.end));
    expect(names).toEqual(expect.arrayContaining(["BETA HOLDINGS LTD.", "GAMMA GP, LLC"]));
    const flagged = partyCandidates(doc, []).filter((c) => c.features.includes("by-after")).map((c) => text.slice(c.value.start, c.value.end));
    expect(flagged).toEqual(expect.arrayContaining(["ALPHA FUND, L.P.", "BETA HOLDINGS LTD.", "GAMMA GP, LLC"]));
    expect(flagged).not.toContain("Acme Widgets, Inc.");
    const at = (name: string) => ({ start: text.indexOf(name), end: text.indexOf(name) + name.length });
    const scored = ["ALPHA FUND, L.P.", "BETA HOLDINGS LTD.", "Acme Widgets, Inc."].map((n, i) => ({ candidate: at(n), score: 0.5 - i / 10, features: n.startsWith("Acme") ? [] : ["by-after"] }));
    const features = entityFeatures(groupPartyEntities(text, scored));
    expect(features[0]).toEqual(expect.arrayContaining(["u:by-after", "signers:2-3", "by-after&signers:2-3"]));
    expect(features[2]).not.toContain("u:by-after");
  });

  it("offers the names signed for on signature pages far from the end of a long contract", () => {
    const signers = ["Alpha Telecom plc", "Beta Networks Inc.", "Gamma Carrier AG"];
    const text = `${preamble}\n\n${"The parties agree to cooperate in good faith. ".repeat(200)}\n\nIN WITNESS WHEREOF the Parties have signed.\n\n${signers.map((n) => `For and on behalf of      ${n}\n\n---------\n`).join("\n")}\n\n${"Annex text follows here. ".repeat(300)}`;
    const names = partyCandidateSpans(new ContractDocument(text)).map((c) => text.slice(c.start, c.end));
    expect(names).toEqual(expect.arrayContaining(signers));
  });
});
