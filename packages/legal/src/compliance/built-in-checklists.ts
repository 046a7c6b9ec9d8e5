import { loadChecklist, type Checklist } from "./checklist";
import { GDPR_ART28_CHECKLIST_YAML } from "./gdpr-art28-checklist";

let gdpr: Checklist | undefined;

/** The built-in GDPR Art. 28 checklist, parsed. */
export function gdprArt28Checklist(): Checklist {
  gdpr ??= loadChecklist(GDPR_ART28_CHECKLIST_YAML, "GDPR Art. 28 checklist");
  return gdpr;
}

/** Built-in checklists by name, for configuration files and workflow inputs. */
export const BUILT_IN_CHECKLISTS: Readonly<Record<string, () => Checklist>> = { gdpr_art28: gdprArt28Checklist };

const PERSONAL_DATA = /personal\s+data|data\s+protection|\bGDPR\b|data\s+processing\s+agreement|\bprocessor\b/i;

/**
 * The checklists to run: "auto" picks GDPR Art. 28 when the contract mentions personal data; a
 * list is taken as given (each entry a Checklist, a built-in name or checklist YAML; [] = none).
 */
export function resolveChecklists(text: string, spec: readonly (Checklist | string)[] | "auto" | undefined): Checklist[] {
  if (spec === undefined || spec === "auto") return PERSONAL_DATA.test(text) ? [gdprArt28Checklist()] : [];
  return spec.map((c, i) => (typeof c === "string" ? (BUILT_IN_CHECKLISTS[c.trim()]?.() ?? loadChecklist(c, `checklists[${i}]`)) : c));
}
