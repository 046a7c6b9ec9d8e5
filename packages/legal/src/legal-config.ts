import { z } from "zod";

/** Settings of @bear/legal; the apps fill them from their config. */
export const legalConfigSchema = z.strictObject({
  /** Minimum clause label score (0–1); absent = 0.3 with the trained model (a probability), 0.5 with the rules. */
  threshold: z.number().min(0).max(1).optional(),
  /** Playbook YAML text; absent = the built-in playbook for the kind of agreement. */
  playbook: z.string().min(1).optional(),
  /** Checklist YAML texts or built-in names ("gdpr_art28"); "auto" runs GDPR Art. 28 when personal data is mentioned. */
  checklists: z.union([z.literal("auto"), z.array(z.string().min(1))]).default("auto"),
  /** Use the bound Llm (when there is one) for clause classification. */
  useLlm: z.boolean().default(true),
});
export type LegalConfig = z.infer<typeof legalConfigSchema>;
export type LegalConfigInput = z.input<typeof legalConfigSchema>;

/** DI token of the parsed config. */
export const LegalConfig = Symbol.for("@bear/legal:LegalConfig");
