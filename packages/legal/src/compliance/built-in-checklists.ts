import type { DocumentType } from "../document-type/detect-document-type";
import { loadChecklist, type Checklist, type ChecklistRequirement } from "./checklist";
import { GDPR_ART28_CHECKLIST_YAML } from "./gdpr-art28-checklist";
import { NDA_CHECKLIST_YAML } from "./nda-checklist";

let gdpr: Checklist | undefined;
let nda: Checklist | undefined;

/** The built-in GDPR Art. 28 checklist, parsed. */
export function gdprArt28Checklist(): Checklist {
  gdpr ??= loadChecklist(GDPR_ART28_CHECKLIST_YAML, "GDPR Art. 28 checklist");
  return gdpr;
}

/** The built-in NDA checklist (one requirement per ContractNLI hypothesis), parsed. */
export function ndaChecklist(): Checklist {
  nda ??= loadChecklist(NDA_CHECKLIST_YAML, "NDA checklist");
  return nda;
}

/** Built-in checklists by name, for configuration files and workflow inputs. */
export const BUILT_IN_CHECKLISTS: Readonly<Record<string, () => Checklist>> = { gdpr_art28: gdprArt28Checklist, nda: ndaChecklist };

/** The built-in checklist holding requirement `id` ("nda-5", "art28-3-a") and that requirement; undefined when none has it. */
export function builtInRequirement(id: string): { readonly checklist: Checklist; readonly requirement: ChecklistRequirement } | undefined {
  for (const checklist of Object.values(BUILT_IN_CHECKLISTS).map((load) => load())) {
    const requirement = checklist.requirements.find((r) => r.id === id);
    if (requirement) return { checklist, requirement };
  }
  return undefined;
}

const PERSONAL_DATA = /personal\s+data|data\s+protection|\bGDPR\b|data\s+processing\s+agreement|\bprocessor\b/i;

/**
 * The checklists to run: "auto" picks the NDA checklist for an NDA and GDPR Art. 28 when the
 * contract mentions personal data; a list is taken as given (each entry a Checklist, a built-in name
 * or checklist YAML; [] = none).
 */
export function resolveChecklists(text: string, spec: readonly (Checklist | string)[] | "auto" | undefined, type?: DocumentType): Checklist[] {
  if (spec === undefined || spec === "auto") return [...(type === "nda" ? [ndaChecklist()] : []), ...(PERSONAL_DATA.test(text) ? [gdprArt28Checklist()] : [])];
  return spec.map((c, i) => (typeof c === "string" ? (BUILT_IN_CHECKLISTS[c.trim()]?.() ?? loadChecklist(c, `checklists[${i}]`)) : c));
}
