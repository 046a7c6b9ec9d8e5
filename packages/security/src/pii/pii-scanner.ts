import { readAddressLines } from "./address-lines";
import type { CountryCode } from "libphonenumber-js/max";
import { InvalidArgumentError } from "@bear/core";
import { customRecognizer, type CustomRecognizerConfig } from "./custom-recognizer";
import type { PiiEntityType, PiiFinding, Recognizer } from "./pii-types";
import { AddressRecognizer } from "./recognizers/address-recognizer";
import { NameRecognizer } from "./recognizers/name-recognizer";
import { shippedNameModel } from "./model/shipped-name-model";
import type { NameModel } from "./model/name-model";
import { OrganizationRecognizer } from "./recognizers/organization-recognizer";
import { PhoneRecognizer } from "./recognizers/phone-recognizer";
import {
  creditCardRecognizer,
  dateOfBirthRecognizer,
  driverLicenseRecognizer,
  emailRecognizer,
  ibanRecognizer,
  ipAddressRecognizer,
  ssnRecognizer,
  urlRecognizer,
  usPassportRecognizer,
} from "./recognizers/structured-recognizers";
import { letterheadOrganizations } from "./letterhead";
import { partyAliases } from "./party-aliases";
import { keepLegalText, type LegalTextMemo, type LegalTextOptions } from "./legal-text";
import { withRepeatedMentions } from "./repeated-mentions";
import { typeShortNames } from "./short-name-types";
import { assessRisk, type RiskAssessment } from "./risk";
import { forgetTextRuns } from "./text-runs";
import { forgetRunReadings } from "./recognizers/capitalised-runs";
import { scanEnded } from "./scan-memory";
import { lowerBound } from "./lower-bound";
import { preferModelExtent } from "./model-extent";
import { extendPlaces } from "./place-extension";
import { readStreetAbbreviations } from "./street-abbreviations";

export interface PiiScannerOptions {
  /** Findings scoring below this are dropped (default 0.4, as Presidio). */
  readonly minScore?: number;
  /** Run the NLP name/organisation/place recognizer (default true; the slowest part). */
  readonly names?: boolean;
  /**
   * Use the shipped trained name model beside the lexicon and cue recognizers (default true), or the given one (the
   * training script's cross-validation scans with each fold's model).
   */
  readonly nameModel?: boolean | NameModel;
  /** Also run compromise's NLP tagger for names (default false: slower, and it reads defined terms as names). */
  readonly nlpTagger?: boolean;
  /**
   * Keep places named as a jurisdiction ("the laws of the State of New York", "a Delaware corporation"); default
   * true. Headings, generic defined terms, form labels, statutes and courts are never reported as names.
   */
  readonly keepJurisdictions?: boolean;
  /** Only report these types (default: all). */
  readonly entities?: readonly PiiEntityType[];
  /** Extra recognizers from configuration. */
  readonly custom?: readonly CustomRecognizerConfig[];
  /** Extra recognizers as objects. */
  readonly recognizers?: readonly Recognizer[];
  /** Country assumed for phone numbers without a +country prefix (default "US"). */
  readonly defaultCountry?: CountryCode;
}

export interface PiiScanResult {
  readonly findings: readonly PiiFinding[];
  readonly risk: RiskAssessment;
}

/** The overlap winner: higher score, then longer span, then earlier start, then type and recognizer name. */
function better(a: PiiFinding, b: PiiFinding): number {
  return (
    b.score - a.score ||
    b.end - b.start - (a.end - a.start) ||
    a.start - b.start ||
    String(a.type).localeCompare(String(b.type)) ||
    a.recognizer.localeCompare(b.recognizer)
  );
}

/** Keeps a non-overlapping subset, deterministically, sorted by offset. */
export function resolveOverlaps(findings: readonly PiiFinding[]): PiiFinding[] {
  const ranked = [...findings].sort(better);
  if (ranked.some((f) => f.end <= f.start)) return keepInRankOrder(ranked);
  // the kept spans are disjoint and non-empty, so in offset order their ends grow too: the one a finding could
  // overlap is found by binary search (a scan of a long contract keeps thousands)
  const kept: PiiFinding[] = [];
  for (const f of ranked) {
    const lo = lowerBound(kept.length, (i) => (kept[i] as PiiFinding).end <= f.start);
    if (lo < kept.length && (kept[lo] as PiiFinding).start < f.end) continue;
    kept.splice(lo, 0, f);
  }
  return kept;
}

/** The same choice for any spans (an empty one may sit inside another): each finding is checked against all kept. */
function keepInRankOrder(ranked: readonly PiiFinding[]): PiiFinding[] {
  const kept: PiiFinding[] = [];
  for (const f of ranked) {
    if (kept.some((k) => f.start < k.end && k.start < f.end)) continue;
    kept.push(f);
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}

const nameModelOf = (option: boolean | NameModel | undefined): NameModel | undefined =>
  option === undefined || option === true ? shippedNameModel() : option === false ? undefined : option;

const NAME_TYPES: ReadonlySet<string> = new Set(["PERSON", "ORGANIZATION", "LOCATION"]);

/**
 * An address absorbs the names that overlap it: streets, towns and buildings are often named after
 * people ("Rua João Pessoa 1636"), and a name found inside an address block must not split it.
 */
export function absorbIntoAddresses(findings: readonly PiiFinding[]): PiiFinding[] {
  const addresses = findings.filter((f) => f.type === "ADDRESS");
  if (addresses.length === 0) return [...findings];
  const out: PiiFinding[] = [];
  const grown = new Map<PiiFinding, PiiFinding>(addresses.map((a) => [a, a]));
  for (const f of findings) {
    if (f.type === "ADDRESS") continue;
    const host = NAME_TYPES.has(String(f.type)) ? addresses.find((a) => f.start < a.end && a.start < f.end) : undefined;
    if (!host) {
      out.push(f);
      continue;
    }
    const g = grown.get(host) ?? host;
    // a name sticking out of the address extends it
    grown.set(host, { ...g, start: Math.min(g.start, f.start), end: Math.max(g.end, f.end) });
  }
  return [...out, ...grown.values()];
}

// the scanner's two halves, for the lanes (collectFindings, finishFindings), set by its static block
let collectWith: (scanner: PiiScanner, text: string, indices?: readonly number[]) => PiiFinding[][];
let finishWith: (scanner: PiiScanner, text: string, raw: readonly (readonly PiiFinding[])[]) => PiiFinding[];

/** Finds personal data in text with the built-in and configured recognizers. */
export class PiiScanner {
  private readonly recognizers: readonly Recognizer[];
  private readonly minScore: number;
  private readonly entities: ReadonlySet<string> | undefined;
  /** Organisations on cards and letterheads, and their repeated mentions (needs the name recognizers). */
  private readonly letterheads: boolean;
  private readonly legalText: LegalTextOptions;

  constructor(options: PiiScannerOptions = {}) {
    const minScore = options.minScore ?? 0.4;
    if (!(minScore >= 0 && minScore <= 1)) throw new InvalidArgumentError("minScore", minScore, "a number between 0 and 1");
    this.minScore = minScore;
    this.legalText = { keepJurisdictions: options.keepJurisdictions ?? true };
    this.entities = options.entities ? new Set(options.entities) : undefined;
    const list: Recognizer[] = [
      emailRecognizer(),
      urlRecognizer(),
      ipAddressRecognizer(),
      ssnRecognizer(),
      creditCardRecognizer(),
      ibanRecognizer(),
      new PhoneRecognizer(options.defaultCountry !== undefined ? { defaultCountry: options.defaultCountry } : {}),
      dateOfBirthRecognizer(),
      usPassportRecognizer(),
      driverLicenseRecognizer(),
      new AddressRecognizer(),
    ];
    if (options.names ?? true) list.push(
        new NameRecognizer({ nlpTagger: options.nlpTagger ?? false, model: nameModelOf(options.nameModel) }),
        new OrganizationRecognizer(),
      );
    this.letterheads = (options.names ?? true) && (this.entities?.has("ORGANIZATION") ?? true);
    for (const c of options.custom ?? []) list.push(customRecognizer(c));
    list.push(...(options.recognizers ?? []));
    this.recognizers = this.entities ? list.filter((r) => r.types.some((t) => this.entities?.has(t))) : list;
  }

  /** Every finding above the minimum score, overlaps resolved, sorted by offset. */
  scan(text: string): PiiFinding[] {
    return this.#finish(text, this.#collect(text));
  }

  /** The names of the recognizers, in the order collectFindings and finishFindings index them. */
  get recognizerNames(): readonly string[] {
    return this.recognizers.map((r) => r.name);
  }

  /** See collectFindings. */
  #collect(text: string, indices?: readonly number[]): PiiFinding[][] {
    if (typeof text !== "string") throw new InvalidArgumentError("text", text, "a string");
    const picked = indices ?? this.recognizers.map((_, i) => i);
    try {
      return picked.map((i) => this.#collectOne(text, i));
    } finally {
      forgetTextRuns(); // the runs the recognizers shared hold the text: let it go
      forgetRunReadings(); // and the capitalised runs' readings hold its names: no document stays in memory after a scan
      scanEnded(); // the word memos (scan-memory.ts) go once scanning has been idle for a second
    }
  }

  #collectOne(text: string, i: number): PiiFinding[] {
    const r = this.recognizers[i];
    if (!r) throw new InvalidArgumentError("recognizer index", i, `an index below ${this.recognizers.length}`);
    const own: PiiFinding[] = [];
    for (const f of r.recognize(text)) {
      if (f.score < this.minScore) continue;
      if (this.entities && !this.entities.has(f.type)) continue;
      own.push(f);
    }
    return own;
  }

  /** See finishFindings. */
  #finish(text: string, raw: readonly (readonly PiiFinding[])[]): PiiFinding[] {
    try {
      return this.#finishFindings(text, raw);
    } finally {
      scanEnded(); // the document-wide reading fills the word memos too
    }
  }

  #finishFindings(text: string, raw: readonly (readonly PiiFinding[])[]): PiiFinding[] {
    if (typeof text !== "string") throw new InvalidArgumentError("text", text, "a string");
    if (raw.length !== this.recognizers.length) throw new InvalidArgumentError("raw findings", `${raw.length} lists`, `one list per recognizer (${this.recognizers.length})`);
    const all: PiiFinding[] = [];
    for (const own of raw) for (const f of own) all.push(f);
    if (!this.letterheads) return extendPlaces(text, readStreetAbbreviations(text, resolveOverlaps(absorbIntoAddresses(preferModelExtent(text, keepLegalText(text, all, this.legalText))))));
    all.push(...letterheadOrganizations(text, all));
    all.push(...partyAliases(text, all));
    const memo: LegalTextMemo = {};
    const resolved = resolveOverlaps(absorbIntoAddresses(preferModelExtent(text, keepLegalText(text, all, this.legalText, memo))));
    return readAddressLines(text, extendPlaces(text, readStreetAbbreviations(text, keepLegalText(text, typeShortNames(text, withRepeatedMentions(text, resolved)), this.legalText, memo))));
  }

  /** Findings and the risk they add up to. */
  analyze(text: string): PiiScanResult {
    const findings = this.scan(text);
    return { findings, risk: assessRisk(findings) };
  }

  static {
    collectWith = (scanner, text, indices) => scanner.#collect(text, indices);
    finishWith = (scanner, text, raw) => scanner.#finish(text, raw);
  }
}

/**
 * What the scanner's recognizers at `indices` (default: all, in order) find on their own, above the minimum score and
 * of the wanted types: one list per index. Each recognizer reads the whole text, so running some of them here and
 * the others elsewhere (PiiScanPool's lanes on worker threads) finds exactly what one scan finds. Internal to the
 * package (the lanes): `scan` is `finishFindings(text, collectFindings(text))`.
 */
export function collectFindings(scanner: PiiScanner, text: string, indices?: readonly number[]): PiiFinding[][] {
  return collectWith(scanner, text, indices);
}

/**
 * The document-wide reading of every recognizer's findings (`raw[i]`: what collectFindings gave for recognizer i):
 * letterheads, party short names, legal text, addresses absorbing names, overlaps, repeated mentions.
 */
export function finishFindings(scanner: PiiScanner, text: string, raw: readonly (readonly PiiFinding[])[]): PiiFinding[] {
  return finishWith(scanner, text, raw);
}
