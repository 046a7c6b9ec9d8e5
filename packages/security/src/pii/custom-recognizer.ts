import { RecognizerConfigError } from "../errors";
import { ibanValid, luhnValid, ssnValid } from "./checksums";
import { PatternRecognizer } from "./pattern-recognizer";

/** Named validators usable from a JSON/YAML configuration. */
export const NAMED_VALIDATORS: Readonly<Record<string, (value: string) => boolean>> = {
  luhn: (v) => luhnValid(v.replace(/\D/g, "")),
  iban: ibanValid,
  ssn: ssnValid,
};

/** A custom recognizer as configured: regex + optional validator + context words + score. */
export interface CustomRecognizerConfig {
  readonly name: string;
  /** Entity type reported, e.g. "CLIENT_NUMBER". */
  readonly type: string;
  /** A regular expression (source text or RegExp). */
  readonly pattern: string | RegExp;
  /** Flags when `pattern` is a string (default "g"). */
  readonly flags?: string;
  readonly score: number;
  readonly contextWords?: readonly string[];
  readonly requireContext?: boolean;
  /** A function, or the name of a built-in validator: "luhn", "iban", "ssn". */
  readonly validator?: ((value: string) => boolean) | keyof typeof NAMED_VALIDATORS;
}

/** Builds and checks a recognizer from configuration; every problem is a RecognizerConfigError. */
export function customRecognizer(config: CustomRecognizerConfig): PatternRecognizer {
  const name = typeof config?.name === "string" && config.name.length > 0 ? config.name : "(unnamed)";
  if (name === "(unnamed)") throw new RecognizerConfigError(name, "a name is required");
  if (typeof config.type !== "string" || !/^[A-Z][A-Z0-9_]*$/.test(config.type))
    throw new RecognizerConfigError(name, `entity type ${JSON.stringify(config.type)} must be UPPER_SNAKE_CASE`);
  if (typeof config.score !== "number" || !(config.score >= 0 && config.score <= 1))
    throw new RecognizerConfigError(name, `score ${String(config.score)} is not between 0 and 1`);
  let regex: RegExp;
  try {
    regex = config.pattern instanceof RegExp ? config.pattern : new RegExp(config.pattern, config.flags ?? "g");
  } catch (cause) {
    throw new RecognizerConfigError(name, `pattern ${JSON.stringify(String(config.pattern))} does not compile`, { cause });
  }
  if (regex.test("")) throw new RecognizerConfigError(name, "pattern matches the empty string");
  let validate: ((value: string) => boolean) | undefined;
  if (typeof config.validator === "string") {
    validate = NAMED_VALIDATORS[config.validator];
    if (!validate) throw new RecognizerConfigError(name, `unknown validator '${config.validator}' (known: ${Object.keys(NAMED_VALIDATORS).join(", ")})`);
  } else if (typeof config.validator === "function") {
    validate = config.validator;
  }
  return new PatternRecognizer({
    name,
    type: config.type,
    patterns: [{ regex, score: config.score }],
    ...(validate ? { validate } : {}),
    ...(config.contextWords ? { contextWords: config.contextWords } : {}),
    ...(config.requireContext ? { requireContext: true } : {}),
  });
}
