// Deterministic legal-style corpus for the throughput benchmarks.
// deterministic generator (mulberry32) so every run scans the same corpus
let seed = 42;
const rnd = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join("");
const FIRST = ["John", "Maria", "Ahmed", "Linda", "Wei", "Carlos", "Anna", "James", "Fatima", "Peter"];
const LAST = ["Smith", "Garcia", "Okafor", "Chen", "Müller", "Rossi", "Johnson", "Novak", "Haddad", "Brown"];
const CLAUSES = [
  "The Borrower shall repay the Loan in full on or before the Maturity Date, together with accrued interest thereon.",
  "Each party represents and warrants that it has full power and authority to enter into this Agreement.",
  "Notwithstanding anything to the contrary herein, the Lender may assign its rights under this Agreement.",
  "This Agreement shall be governed by and construed in accordance with the laws of the State of Delaware.",
  "Any notice required hereunder shall be in writing and delivered by hand or by registered mail.",
];
function luhnCard(): string {
  const body = `4${digits(14)}`;
  for (let c = 0; c < 10; c++) {
    let sum = 0;
    const n = body + c;
    for (let i = 0; i < n.length; i++) {
      let x = Number(n[n.length - 1 - i]);
      if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
      sum += x;
    }
    if (sum % 10 === 0) return n;
  }
  return `${body}0`;
}
function paragraph(): string {
  const name = `${pick(FIRST)} ${pick(LAST)}`;
  const extras = [
    `The Plaintiff, ${name}, may be reached at ${name.split(" ")[0]?.toLowerCase()}@example.com or +1 415 555 ${digits(4)}.`,
    `Payment was made with card ${luhnCard()} on behalf of Mr. ${pick(LAST)}.`,
    `Social Security No. ${100 + Math.floor(rnd() * 500)}-${10 + Math.floor(rnd() * 80)}-${1000 + Math.floor(rnd() * 8000)} was provided.`,
    `The premises at ${Math.floor(rnd() * 9000) + 100} Oak Street, Springfield, IL 62704 are leased hereby.`,
    `Funds shall be wired from IBAN GB82 WEST 1234 5698 7654 32 within five days.`,
  ];
  return `${pick(CLAUSES)} ${pick(CLAUSES)} ${rnd() < 0.5 ? pick(extras) : ""} ${pick(CLAUSES)}\n\n`;
}
/** About `bytes` characters of legal-style text with structured PII and names (same text every run). */
export function corpus(bytes: number): string {
  seed = 42;
  const parts: string[] = [];
  let n = 0;
  while (n < bytes) {
    const p = paragraph();
    parts.push(p);
    n += p.length;
  }
  return parts.join("");
}

