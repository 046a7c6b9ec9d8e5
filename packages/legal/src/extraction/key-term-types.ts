import type { IsoDate } from "../parsing/parse-date";
import type { Duration } from "../parsing/parse-duration";
import type { Span } from "../text/span";

/** A party to the contract and the role the contract gives it ("Licensee"). */
export interface Party {
  readonly name: string;
  readonly span: Span;
  readonly role?: string;
  readonly roleSpan?: Span;
}

export type DateRole = "agreement" | "effective" | "expiration" | "renewal" | "termination" | "other";

/** A date written in the contract, normalised to ISO. */
export interface DateTerm {
  readonly role: DateRole;
  readonly iso: IsoDate;
  readonly span: Span;
  /** Set when the date is chosen by "the later of (i) … and (ii) …" among the dates in `span`. */
  readonly derivedFrom?: "later_of" | "earlier_of";
}

/** How a key date was obtained: written as such, computed from a start and a term, or chosen by "the later/earlier of". */
export type DateDerivation = "stated" | "computed" | "later_of" | "earlier_of";

export interface KeyDate {
  readonly iso?: IsoDate;
  readonly derivation: DateDerivation;
  /** Plain-language account, e.g. "Effective Date + 2 years" or "perpetual". */
  readonly note?: string;
  /** The text this date rests on. */
  readonly span: Span;
}

export interface KeyDates {
  readonly agreement?: KeyDate;
  readonly effective?: KeyDate;
  readonly expiration?: KeyDate;
  readonly renewal?: KeyDate;
}

export type PeriodKind = "notice" | "term" | "renewal" | "cure" | "payment" | "warranty" | "other";

export interface PeriodTerm {
  readonly kind: PeriodKind;
  readonly duration: Duration;
  readonly span: Span;
}

export interface MoneyTerm {
  readonly amount: number;
  readonly currency: string;
  readonly span: Span;
}

export interface PercentageTerm {
  readonly value: number;
  readonly span: Span;
}

export interface GoverningLawTerm {
  /** "New York", "England and Wales", "British Columbia". */
  readonly law: string;
  readonly span: Span;
  /** The sentence that chooses the law. */
  readonly clause: Span;
}

export interface JurisdictionTerm {
  readonly forum: string;
  readonly exclusive: boolean;
  readonly kind: "courts" | "arbitration";
  readonly span: Span;
  readonly clause: Span;
}

export interface DefinedTerm {
  readonly term: string;
  /** Where the term is defined: the quoted term itself. */
  readonly span: Span;
  /** The sentence that defines it. */
  readonly definition: Span;
  /** Times the term is used after its definition. */
  readonly uses: number;
}

export type CrossReferenceKind = "section" | "article" | "clause" | "exhibit" | "schedule" | "appendix" | "annex" | "paragraph";

export interface CrossReference {
  readonly kind: CrossReferenceKind;
  /** "12.3(b)", "IV", "A". */
  readonly target: string;
  readonly span: Span;
  /** The clause that carries that number, when the document has one. */
  readonly resolvedClause?: number;
}

export interface Signatory {
  readonly name: string;
  readonly span: Span;
  readonly title?: string;
  /** The party name printed above the signature, when there is one. */
  readonly party?: string;
}

/** Everything extractKeyTerms finds; every item carries offsets into the input text. */
export interface KeyTerms {
  readonly parties: readonly Party[];
  readonly dates: readonly DateTerm[];
  readonly keyDates: KeyDates;
  readonly periods: readonly PeriodTerm[];
  readonly amounts: readonly MoneyTerm[];
  readonly percentages: readonly PercentageTerm[];
  readonly governingLaw: readonly GoverningLawTerm[];
  readonly jurisdiction: readonly JurisdictionTerm[];
  readonly definedTerms: readonly DefinedTerm[];
  readonly crossReferences: readonly CrossReference[];
  readonly signatories: readonly Signatory[];
  readonly renewal?: RenewalTerm;
}

/** The renewal mechanism: whether it is automatic, the renewal period and the notice needed to stop it. */
export interface RenewalTerm {
  readonly automatic: boolean;
  readonly period?: PeriodTerm;
  /** Notice needed to prevent renewal; absent when the clause sets none. */
  readonly noticeToTerminate?: PeriodTerm;
  /** The renewal sentence(s). */
  readonly span: Span;
}
