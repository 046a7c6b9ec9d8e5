import type { ContractDocument } from "../text/contract-document";
import { matchAll, spanOf } from "../text/span";
import type { CrossReference, CrossReferenceKind } from "./key-term-types";

const TARGET = "(?:\\d{1,3}(?:\\.\\d{1,3})*(?:\\([a-zA-Z0-9]{1,4}\\))*|[IVXL]{1,6}\\b(?:\\([a-z0-9]{1,4}\\))*|[A-Z](?:-\\d+)?\\b)";
const REF = new RegExp(
  `\\b(?<kind>Sections?|Articles?|Clauses?|Exhibits?|Schedules?|Appendi(?:x|ces)|Annex(?:es)?|Paragraphs?|§§?)\\s*(?<targets>${TARGET}(?:\\s*(?:,|and|or|through|to|-|–)\\s*${TARGET})*)`,
  "g",
);
const ONE_TARGET = new RegExp(TARGET, "g");

function kindOf(raw: string): CrossReferenceKind {
  const k = raw.toLowerCase();
  if (k.startsWith("§") || k.startsWith("section")) return "section";
  if (k.startsWith("article")) return "article";
  if (k.startsWith("clause")) return "clause";
  if (k.startsWith("exhibit")) return "exhibit";
  if (k.startsWith("schedule")) return "schedule";
  if (k.startsWith("append")) return "appendix";
  if (k.startsWith("annex")) return "annex";
  return "paragraph";
}

/** Cross-references ("Section 12.3(b)", "Sections 4.1 and 4.2", "Article IV", "Exhibit A"), resolved to a clause when numbered. */
export function extractCrossReferences(doc: ContractDocument): CrossReference[] {
  const byNumber = new Map<string, number>();
  for (const c of doc.clauses) if (c.number !== undefined && !byNumber.has(c.number)) byNumber.set(c.number, c.index);
  const out: CrossReference[] = [];
  for (const m of matchAll(doc.text, REF)) {
    const kind = kindOf(m.groups!["kind"]!);
    const targetsText = m.groups!["targets"]!;
    const targetsAt = m.index + m[0].length - targetsText.length;
    for (const t of matchAll(targetsText, ONE_TARGET)) {
      const target = t[0];
      // A heading such as "Section 5. Term" is the section itself, not a reference to it.
      const start = t.index === 0 ? m.index : targetsAt + t.index;
      const end = targetsAt + t.index + target.length;
      if ((kind === "exhibit" || kind === "schedule" || kind === "appendix" || kind === "annex") === false && /^[A-Z]$/.test(target)) continue;
      const base = target.replace(/\(.*$/, "");
      const resolved = kind === "section" || kind === "article" || kind === "clause" || kind === "paragraph" ? byNumber.get(base) : undefined;
      out.push({ kind, target, span: spanOf(doc.text, start, end), ...(resolved === undefined ? {} : { resolvedClause: resolved }) });
    }
  }
  return out;
}
