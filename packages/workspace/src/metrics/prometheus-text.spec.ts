import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { PrometheusText } from "./prometheus-text";

/** Reads a label value back as Prometheus does. */
function unescape(value: string): string {
  return value.replace(/\\(["\\n])/g, (_, c: string) => (c === "n" ? "\n" : c));
}

describe("PrometheusText", () => {
  it("writes HELP, TYPE and one line per sample", () => {
    const text = new PrometheusText()
      .gauge("bear_agent_healthy", "1 when healthy", [{ labels: { agent: "a", type: "executor" }, value: 0 }])
      .counter("bear_tasks_total", "tasks", [{ value: 3 }])
      .toString();
    expect(text).toBe('# HELP bear_agent_healthy 1 when healthy\n# TYPE bear_agent_healthy gauge\nbear_agent_healthy{agent="a",type="executor"} 0\n# HELP bear_tasks_total tasks\n# TYPE bear_tasks_total counter\nbear_tasks_total 3\n');
  });

  it("escapes any label value so that each sample stays one parsable line", () => {
    fc.assert(
      fc.property(fc.string(), fc.double(), (value, n) => {
        const text = new PrometheusText().gauge("m", "h", [{ labels: { l: value }, value: n }]).toString();
        const lines = text.trimEnd().split("\n");
        expect(lines).toHaveLength(3);
        const match = /^m\{l="((?:[^"\\\n]|\\["\\n])*)"\} (\S+)$/.exec(lines[2]!);
        expect(match).not.toBeNull();
        expect(unescape(match![1]!)).toBe(value);
        const back = Number(match![2]!.replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
        expect(Number.isNaN(n) ? Number.isNaN(back) : back === n).toBe(true); // -0 is written as 0
      }),
    );
  });

  it("refuses bad names, a counter without _total and a family written twice", () => {
    expect(() => new PrometheusText().gauge("bad-name", "h", [])).toThrow("metric name");
    expect(() => new PrometheusText().gauge("m", "h", [{ labels: { "bad-label": "x" }, value: 1 }])).toThrow("label name");
    expect(() => new PrometheusText().counter("tasks", "h", [])).toThrow("_total");
    expect(() => new PrometheusText().gauge("m", "h", []).gauge("m", "h", [])).toThrow("written once");
  });
});
