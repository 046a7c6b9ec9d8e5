import { InvalidArgumentError } from "@bear/core";

/** One sample: label values by name, and the number. */
export interface PrometheusSample {
  readonly labels?: Readonly<Record<string, string>>;
  readonly value: number;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Label values are escaped as the exposition format says: backslash, double quote and newline. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

/**
 * Prometheus text exposition format (version 0.0.4): `# HELP`, `# TYPE`, then one line per sample.
 * Each family is written once; names and label names are checked, label values escaped.
 */
export class PrometheusText {
  static readonly contentType = "text/plain; version=0.0.4; charset=utf-8";
  readonly #lines: string[] = [];
  readonly #families = new Set<string>();

  gauge(name: string, help: string, samples: readonly PrometheusSample[]): this {
    return this.#family(name, "gauge", help, samples);
  }

  counter(name: string, help: string, samples: readonly PrometheusSample[]): this {
    if (!name.endsWith("_total")) throw new InvalidArgumentError("counter name", name, "a name ending in _total");
    return this.#family(name, "counter", help, samples);
  }

  toString(): string {
    return this.#lines.length ? `${this.#lines.join("\n")}\n` : "";
  }

  #family(name: string, type: "gauge" | "counter", help: string, samples: readonly PrometheusSample[]): this {
    if (!METRIC_NAME.test(name)) throw new InvalidArgumentError("metric name", name, "[a-zA-Z_:][a-zA-Z0-9_:]*");
    if (this.#families.has(name)) throw new InvalidArgumentError("metric family", name, "a family written once");
    this.#families.add(name);
    this.#lines.push(`# HELP ${name} ${help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`, `# TYPE ${name} ${type}`);
    for (const sample of samples) {
      const labels = Object.entries(sample.labels ?? {});
      for (const [label] of labels) if (!LABEL_NAME.test(label)) throw new InvalidArgumentError("label name", label, "[a-zA-Z_][a-zA-Z0-9_]*");
      const rendered = labels.length ? `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}` : "";
      this.#lines.push(`${name}${rendered} ${formatValue(sample.value)}`);
    }
    return this;
  }
}
