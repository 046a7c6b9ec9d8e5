import type { ContractDocument } from "../text/contract-document";
import { spanOf } from "../text/span";
import type { PeriodTerm, RenewalTerm } from "./key-term-types";

const RENEWAL = /automatic(?:ally)?\s+(?:be\s+)?(?:renew|extend)|renew\w*\s+automatically|renew\w*\s+(?:for|on)\s+(?:an?\s+)?(?:additional|successive|further|subsequent|like)|successive\s+(?:\w+\s+){0,3}(?:renewal\s+)?(?:terms?|periods?)|from\s+year\s+to\s+year|year[-\s]to[-\s]year|(?:option|right)\s+to\s+(?:renew|extend)|\bshall\s+(?:be\s+)?(?:renew|extend)\w*/i;
const AUTOMATIC = /automatic|unless\s+(?:either|a|one)\s+party|year\s+to\s+year|unless\s+(?:sooner\s+)?terminated|unless\s+(?:written\s+)?notice/i;

/** The renewal clause: automatic or optional, the renewal period and the notice window to stop it. */
export function extractRenewal(doc: ContractDocument, periods: readonly PeriodTerm[]): RenewalTerm | undefined {
  for (const [i, sentence] of doc.sentences.entries()) {
    if (!RENEWAL.test(sentence.quote)) continue;
    const next = doc.sentences[i + 1];
    const inSentence = periods.filter((p) => p.span.start >= sentence.start && p.span.end <= sentence.end);
    const inNext = next ? periods.filter((p) => p.span.start >= next.start && p.span.end <= next.end && p.kind === "notice") : [];
    const period = inSentence.find((p) => p.kind !== "notice" && p.kind !== "cure" && p.kind !== "payment");
    const notice = inSentence.find((p) => p.kind === "notice") ?? (next && /renew|non-?renew|extend|expir/i.test(next.quote) ? inNext[0] : undefined);
    const end = notice && next && notice.span.start >= next.start ? next.end : sentence.end;
    return {
      automatic: AUTOMATIC.test(sentence.quote),
      ...(period ? { period } : {}),
      ...(notice ? { noticeToTerminate: notice } : {}),
      span: spanOf(doc.text, sentence.start, end),
    };
  }
  return undefined;
}
