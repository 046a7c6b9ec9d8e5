// A right to end the agreement without cause: "Either party may terminate this Agreement on sixty (60) days'
// written notice", "The Distributor may terminate after two years following the Start Date", "… for any
// reason". Such a sentence is a termination for convenience, and it sets no end date (a right to terminate
// after N years is not an expiry).
import type { ContractDocument } from "../text/contract-document";
import type { Span } from "../text/span";

// A party is given the right to terminate: "may terminate", "shall have the right to terminate", "is entitled to terminate".
const RIGHT =
  /\b(?:may|can|shall\s+(?:have\s+the\s+right|be\s+entitled)\s+to|(?:has|have)\s+the\s+(?:right|option)\s+to|(?:is|are)\s+entitled\s+to|reserves?\s+the\s+right\s+to|may\s+elect\s+to)(?:\s*,?\s*(?:at\s+any\s+time|at\s+its\s+(?:sole\s+)?(?:option|discretion)|thereafter|then)\s*,?)?\s+terminate\b/i;
// What is terminated: the agreement (or the engagement) itself, or no object before the terms of the right.
// "terminate the Service", "terminate the licence referred to in …", "terminate these payment terms" end something else.
const OBJECT = /^\s*(?:(?:this|the)\s+(?:[\w-]+\s+){0,2}(?:agreement|contract|term|engagement|appointment)\b|(?:[\w’']+\s+)?employment\b|(?=[,.;:(]|\s+(?:at|upon|on|by|with|after|following|for|without|in|immediately)\b))/i;
// Said outright: no cause is needed.
const WITHOUT_CAUSE = /\b(?:for\s+(?:its\s+)?convenience|without\s+(?:any\s+)?cause|with\s+or\s+without\s+cause|for\s+any\s+or\s+no\s+reason|for\s+no\s+reason)\b/i;
// Also no cause, unless a condition follows ("in its sole discretion if …").
const DISCRETION = /\b(?:for\s+any\s+reason|in\s+its\s+(?:sole|absolute)\s+discretion)\b/i;
// A condition: "if", "in the event", "when one of the following occurs:", "in which case".
const CONDITION = /\b(?:if|unless|when|whenever|in\s+the\s+event|in\s+case|in\s+which\s+case|should|upon\s+the\s+occurrence|upon\s+receipt|as\s+follows)\b|:\s*$/i;
// Both parties together, or a refusal: "by mutual agreement", "neither party shall be entitled to terminate".
const NOT_A_RIGHT = /\b(?:mutual\w*|by\s+(?:written\s+)?(?:agreement|consent)\s+of\s+(?:both|the)\s+parties|by\s+written\s+agreement)\b/i;
const NEGATED = /\b(?:neither|not|no|nor)\s+(?:\w+\s+){0,3}$/i;
// Only notice or time stands between the party and the end: "upon ninety days' notice", "at any time", "after two years".
const NOTICE_OR_TIME = /\b(?:notice|at\s+any\s+time|(?:after|following|at\s+the\s+end\s+of|beyond)\s+(?:the\s+)?(?:first\s+|initial\s+)?(?:\S+\s+){0,2}(?:\(\d+\)\s+)?(?:years?|months?|days?))\b/i;
// A condition or a cause: a breach, an event, an "if" — the right is a termination for cause.
const CAUSE = /\b(?:breach\w*|default\w*|insolven\w*|bankrupt\w*|fail\w*|violat\w*|cause|where|provided\s+that|immediately|change\s+of\s+control|acquired|merge\w*)\b/i;
// Ending a renewal or the term at its end is non-renewal, not termination for convenience.
const NON_RENEWAL = /\b(?:renew\w*|non-?renewal|expir\w*|end\s+of\s+(?:the|a|an|any|each)\s+(?:[\w-]+\s+){0,2}term)\b/i;

/** True when the sentence gives a party the right to terminate without cause (notice, time or discretion only). */
export function isTerminationWithoutCause(sentence: string): boolean {
  const right = RIGHT.exec(sentence);
  if (!right || NEGATED.test(sentence.slice(Math.max(0, right.index - 40), right.index))) return false;
  if (!OBJECT.test(sentence.slice(right.index + right[0].length)) || NOT_A_RIGHT.test(sentence)) return false;
  const after = sentence.slice(right.index);
  if (WITHOUT_CAUSE.test(after)) return true;
  if (CONDITION.test(sentence)) return false;
  if (DISCRETION.test(after)) return true;
  return NOTICE_OR_TIME.test(after) && !CAUSE.test(sentence) && !NON_RENEWAL.test(sentence);
}

/** The sentences of a contract that give a party the right to terminate without cause, in order. */
export function terminationWithoutCause(doc: ContractDocument): Span[] {
  return doc.sentences.filter((s) => isTerminationWithoutCause(s.quote));
}
