// What the training scripts check of their options and caches before they spend minutes on them.
import { LegalError } from "../src/errors";

/** A training script's option or cache cannot be used: the message says what is wrong, the hint what to do. */
export class TrainingError extends LegalError {
  constructor(message: string, hint: string, details?: Record<string, unknown>) {
    super("INPUT_INVALID", message, { hint, ...(details === undefined ? {} : { details }) });
  }
}

/** `--seeds=N`: how many fits a head averages; a whole number, at least 1 (absent: `fallback`). */
export function seedsOption(argv: readonly string[], fallback: number): number {
  const raw = argv.find((a) => a.startsWith("--seeds="))?.slice("--seeds=".length);
  const n = raw === undefined ? fallback : Number(raw);
  if (raw === "" || !Number.isInteger(n) || n < 1) throw new TrainingError(`--seeds must be a whole number of at least 1, not '${raw ?? fallback}'`, "Pass --seeds=5 (the shipped fit) or --seeds=1 (one fit).");
  return n;
}

/** `--seed=N`: the first seed of a trainer's fits (the next ones count up from it); a whole number ≥ 0 (absent: `fallback`). */
export function seedOption(argv: readonly string[], fallback: number): number {
  const raw = argv.find((a) => a.startsWith("--seed="))?.slice("--seed=".length);
  const n = raw === undefined ? fallback : Number(raw);
  if (raw === "" || !Number.isSafeInteger(n) || n < 0) throw new TrainingError(`--seed must be a whole number of at least 0, not '${raw ?? fallback}'`, `Pass --seed=${fallback} (the shipped fit) or another whole number to measure how much a figure moves with the seed alone.`);
  return n;
}

/** A share of units silenced at each training step: in [0, 1) (1 would silence every unit and scale by infinity). */
export function checkDropout(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0 && value < 1)) throw new TrainingError(`${name} must be a share in [0, 1), not ${value}`, `Pass a share such as 0.25, or 0 for none.`, { [name]: value });
  return value;
}
