// Regular-expression fragments (source text) shared by several categories of the built-in lexicon.

export const MONTH = String.raw`(?:January|February|March|April|May|June|July|August|September|October|November|December)`;
export const NUMBER_WORD = String.raw`(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|fifty|hundred)\b`;

/** A defining sentence ("X" means …, "X" has the meaning …) names a clause type without being one. */
export const DEFINITION = String.raw`^\W*(?:[\d.]+\s+|\([a-z0-9]+\)\s*)?(?:Section\s+[\d.]+\s+)?["“][^"”]{1,80}["”]\s+(?:shall\s+)?(?:means?|has\s+the\s+meaning|shall\s+have\s+the\s+meaning|is\s+defined|refers?\s+to)`;

/** "during the term of this Agreement" describes something else that lasts as long as the contract. */
export const DURING_TERM = String.raw`\b(?:during|throughout|for)\s+the\s+(?:initial\s+)?term\b`;

/** Follows "termination"/"expiration": "expiration of such cure period" is not the end of the contract. */
export const NOT_A_PERIOD = String.raw`(?!\s+of\s+(?:such|the|any|each|said)\s+(?:[\w-]+\s+){0,3}(?:period|notice|cure))`;

/** "no less than forty (40)", "a minimum of [***]", "at least 50%". */
export const QUANTITY_FLOOR = String.raw`(?:a\s+minimum\s+of|no\s+(?:less|fewer)\s+than|not\s+less\s+than|at\s+least)\s+(?:an\s+average\s+of\s+)?(?:\$|\[|\*|\d|[a-z]+\s+\(\d)`;

/** "per calendar year", "each quarter", "monthly". */
export const PER_PERIOD = String.raw`\b(?:per|each|every|any)\s+(?:calendar\s+|contract\s+|agreement\s+)?(?:year|quarter|month|week|day)|\bannual|\bmonthly|\bquarterly|\byearly`;

/** A merger, not a corporate "reorganization" in bankruptcy or "consolidating accounts". */
export const MERGER = String.raw`\bmerger\b|\bmerged\b|\bconsolidation\s+(?:with|of\s+(?:the\s+)?(?:company|part))|\bconsolidates?\s+with`;

/** What makes a change of control matter: a right to terminate, a consent, a notice. */
export const CONTROL_CONSEQUENCE = String.raw`terminat|consent|notif|notice|\bassign|deemed|approv`;

export const LIABILITY_TOPIC = String.raw`liab|damages|limitation`;

/** "a license, release, covenant not to sue or other immunity": one item in a list of grants. */
export const LISTED_COVENANT = String.raw`licen[cs]e\s*,\s*(?:\w+\s*,\s*)*covenants?\s+not\s+to\s+sue|covenants?\s+not\s+to\s+sue\s*,?\s+(?:or\s+other\s+immunit|right\s+of)`;
