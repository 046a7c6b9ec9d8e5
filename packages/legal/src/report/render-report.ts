import { ReportFormatError } from "../errors";
import type { ContractReviewReport } from "./review-report";
import type { Span } from "../text/span";
import type { RiskFinding } from "../review/assess-risk";
import { SEVERITIES } from "../review/playbook";
import { DOCUMENT_TYPE_NAMES } from "../document-type/detect-document-type";
import { NO_FIXED_EXPIRY } from "./build-report";

export type ReportFormat = "json" | "markdown" | "html";

const QUOTE_CHARS = 300;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" })[c]!);
}

/**
 * Escapes text for a Markdown table cell or paragraph (document text must never become markup) with
 * Markdown's own backslash escapes, so the raw file reads as the text does ("SVP & CFO", not "SVP &amp; CFO").
 * "&" is escaped only where it would start a character reference ("&lt;" stays literal).
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/\s+/g, " ")
    .replace(/[\\`*_[\]|~<>]|&(?=#?[A-Za-z0-9]+;)/g, (c) => `\\${c}`)
    .trim();
}

function clip(s: string): string {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > QUOTE_CHARS ? `${flat.slice(0, QUOTE_CHARS - 1)}…` : flat;
}
const at = (s: Span) => `[${s.start}–${s.end}]`;

function citedText(f: RiskFinding): string {
  const cited = f.citations.length ? f.citations.map((c) => `${at(c)} “${clip(c.quote)}”`).join(" ") : f.absent ? "(not found in the contract)" : "";
  const note = f.incorporatedBy ? `(it may be in the terms incorporated by reference: ${at(f.incorporatedBy)} “${clip(f.incorporatedBy.quote)}”)` : "";
  return [cited, note].filter(Boolean).join(" ");
}

interface Row {
  readonly cells: readonly string[];
}
interface Section {
  readonly title: string;
  readonly headers?: readonly string[];
  readonly rows?: readonly Row[];
  readonly paragraphs?: readonly string[];
}

/** The report as neutral sections: plain text only, escaped by each renderer. */
function sections(r: ContractReviewReport): Section[] {
  const s = r.summary;
  const out: Section[] = [];
  out.push({
    title: "Summary",
    headers: ["Item", "Value"],
    rows: [
      { cells: ["Parties", s.parties.join("; ") || "not found"] },
      { cells: ["Governing law", s.governingLaw ?? "not found"] },
      { cells: ["Agreement date", s.agreementDate ?? "not found"] },
      { cells: ["Effective date", s.effectiveDate ?? "not found"] },
      { cells: ["Expiration", s.expirationDate ?? "not found"] },
      { cells: ["Risks", SEVERITIES.map((v) => `${s.risks[v]} ${v}`).join(", ")] },
      { cells: ["Document type", `${DOCUMENT_TYPE_NAMES[r.documentType.type]}${r.documentType.span ? ` (from "${clip(r.documentType.span.quote)}")` : ""}`] },
      { cells: ["Playbook", r.playbook] },
      {
        cells: [
          "Checklist results",
          r.compliance.length === 0
            ? "no checklist run (none applies to this kind of agreement; pass one to run it)"
            : `${r.compliance.map((c) => c.checklist).join(", ")}: ${s.compliance.met} met, ${s.compliance.contradicted} contradicted, ${s.compliance.unclear} unclear, ${s.compliance.missing} missing`,
        ],
      },
      { cells: ["Clauses", `${s.clauseCount} (${s.labelledClauseCount} labelled)`] },
      { cells: ["Method", r.method + (r.modelId ? ` (${r.modelId}${r.llmSkipped ? ` not asked: ${r.llmSkipped}` : ""})` : "")] },
      { cells: ["Citations checked", `${r.citations.checked}, ${r.citations.valid ? "all exact" : `${r.citations.problems.length} invalid`}`] },
    ],
  });
  const kt = r.keyTerms;
  const terms: Row[] = [];
  for (const p of kt.parties) terms.push({ cells: ["Party", p.role ? `${p.name} ("${p.role}")` : p.name, at(p.span)] });
  for (const [name, d] of Object.entries(kt.keyDates)) terms.push({ cells: [`${name[0]!.toUpperCase()}${name.slice(1)} date`, d.iso === undefined && d.note === "perpetual" ? NO_FIXED_EXPIRY : `${d.iso ?? "—"}${d.note ? ` (${d.note})` : ""}`, at(d.span)] });
  for (const g of kt.governingLaw) terms.push({ cells: ["Governing law", g.law, at(g.span)] });
  for (const j of kt.jurisdiction) terms.push({ cells: ["Forum", `${j.forum} (${j.kind}${j.exclusive ? ", exclusive" : ""})`, at(j.span)] });
  if (kt.renewal) {
    const rn = kt.renewal;
    terms.push({ cells: ["Renewal", `${rn.automatic ? "automatic" : "optional"}${rn.period ? `, ${rn.period.span.quote}` : ""}${rn.noticeToTerminate ? `, notice ${rn.noticeToTerminate.span.quote}` : ", no notice window"}`, at(rn.span)] });
  }
  for (const p of kt.periods.filter((x) => x.kind === "notice" || x.kind === "term").slice(0, 10)) terms.push({ cells: [`Period (${p.kind})`, `${p.span.quote} = ${p.duration.value}${p.duration.maxValue ? `–${p.duration.maxValue}` : ""} ${p.duration.unit}`, at(p.span)] });
  for (const m of kt.amounts.slice(0, 10)) terms.push({ cells: ["Amount", `${m.currency} ${m.amount.toLocaleString("en-US")}`, at(m.span)] });
  for (const p of kt.percentages.slice(0, 10)) terms.push({ cells: ["Percentage", `${p.value}%`, at(p.span)] });
  for (const sg of kt.signatories) terms.push({ cells: ["Signatory", `${sg.name}${sg.title ? `, ${sg.title}` : ""}${sg.party ? ` for ${sg.party}` : ""}`, at(sg.span)] });
  terms.push({ cells: ["Defined terms", `${kt.definedTerms.length}: ${kt.definedTerms.slice(0, 25).map((d) => d.term).join(", ")}${kt.definedTerms.length > 25 ? ", …" : ""}`, ""] });
  terms.push({ cells: ["Cross-references", `${kt.crossReferences.length} (${kt.crossReferences.filter((x) => x.resolvedClause !== undefined).length} resolved to a clause)`, ""] });
  out.push({ title: "Key terms", headers: ["Term", "Value", "Offsets"], rows: terms });
  out.push({
    title: "Clause map",
    headers: ["Clause", "Categories (score)", "Offsets"],
    rows: r.clauses
      .filter((c) => c.labels.length > 0 || (c.llmSuggestions?.length ?? 0) > 0)
      .map((c) => ({ cells: [`${c.number ?? `#${c.index + 1}`}${c.heading ? ` ${c.heading}` : ""}`, [
          ...c.labels.map((l) => `${l.category} (${l.score.toFixed(2)}${l.llmDisagreed ? `; the model disagreed: ${l.llmDisagreed.llmConfidence.toFixed(2)}` : ""})`),
          ...(c.llmSuggestions ?? []).map((l) => `the model suggests ${l.category} (${l.score.toFixed(2)}; verify)`),
        ].join(", "), at(c.span)] })),
  });
  out.push({
    title: "Risks by severity",
    headers: ["Severity", "Finding", "Cited text", "Suggested fix"],
    rows: r.risks.map((f) => ({
      cells: [f.severity, f.title, citedText(f), f.fix],
    })),
  });
  for (const c of r.compliance) {
    out.push({
      title: `Checklist: ${c.checklist}`,
      headers: ["Requirement", "Status", "Citations"],
      rows: c.results.map((x) => ({
        cells: [`${x.reference ? `${x.reference}: ` : ""}${x.title}`, x.status, x.citations.length ? x.citations.slice(0, 2).map((s) => `${at(s)} “${clip(s.quote)}”`).join(" ") : (x.fix ?? "")],
      })),
    });
  }
  return out;
}

function toMarkdown(r: ContractReviewReport): string {
  const lines: string[] = [`# ${escapeMarkdown(r.title ?? "Contract review")}`, ""];
  lines.push(`Generated ${r.generatedAt} with playbook “${escapeMarkdown(r.playbook)}”. Offsets are character positions in the reviewed text.`, "");
  for (const s of sections(r)) {
    lines.push(`## ${escapeMarkdown(s.title)}`, "");
    if (s.rows && s.rows.length === 0) {
      lines.push("None.", "");
      continue;
    }
    if (s.headers && s.rows) {
      lines.push(`| ${s.headers.map(escapeMarkdown).join(" | ")} |`, `|${s.headers.map(() => "---").join("|")}|`);
      for (const row of s.rows) lines.push(`| ${row.cells.map(escapeMarkdown).join(" | ")} |`);
      lines.push("");
    }
  }
  return lines.join("\n");
}

function toHtml(r: ContractReviewReport): string {
  const h = escapeHtml;
  const parts: string[] = [
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${h(r.title ?? "Contract review")}</title>`,
    "<style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}th{background:#f3f3f3}.critical,.high{color:#a00;font-weight:bold}.medium{color:#a60}.met{color:#070}.missing,.contradicted{color:#a00}.unclear{color:#a60}</style>",
    "</head><body>",
    `<h1>${h(r.title ?? "Contract review")}</h1>`,
    `<p>Generated ${h(r.generatedAt)} with playbook “${h(r.playbook)}”. Offsets are character positions in the reviewed text.</p>`,
  ];
  for (const s of sections(r)) {
    parts.push(`<h2>${h(s.title)}</h2>`);
    if (s.rows && s.rows.length === 0) {
      parts.push("<p>None.</p>");
      continue;
    }
    if (s.headers && s.rows) {
      parts.push(`<table><thead><tr>${s.headers.map((x) => `<th>${h(x)}</th>`).join("")}</tr></thead><tbody>`);
      for (const row of s.rows) parts.push(`<tr>${row.cells.map((c) => `<td${/^[a-z]+$/.test(c) ? ` class="${c}"` : ""}>${h(c)}</td>`).join("")}</tr>`);
      parts.push("</tbody></table>");
    }
  }
  parts.push("</body></html>");
  return parts.join("\n");
}

/** Renders a review report as JSON (lossless), Markdown or HTML (all document text escaped). */
export function renderReport(report: ContractReviewReport, format: ReportFormat): string {
  switch (format) {
    case "json":
      return JSON.stringify(report, null, 2);
    case "markdown":
      return toMarkdown(report);
    case "html":
      return toHtml(report);
    default:
      throw new ReportFormatError(format);
  }
}
