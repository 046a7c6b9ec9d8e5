import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { PLUGIN_MANIFEST_FILE, parsePluginManifest, PluginHost, PluginManifestError } from "@bear/plugins";
import { sandboxOptions } from "./support/sandbox-runner";

describe("@bear/plugins public API", () => {
  it("validates a manifest through the package entry", () => {
    expect(PLUGIN_MANIFEST_FILE).toBe("bear-plugin.json");
    expect(() => parsePluginManifest({ name: "x" }, "/p/x")).toThrow(PluginManifestError);
  });

  it("opens a host on the example plugins and redacts a case number through the sandboxed recognizer", async () => {
    const host = await PluginHost.open({ directories: [path.resolve(import.meta.dirname, "../examples")], ...(await sandboxOptions()) });
    try {
      const [recognizer] = host.piiRecognizers();
      const text = "Plaintiff's counsel in 3:21-cv-00789-WHO filed a motion.";
      const spans = (await recognizer?.recognize(text)) ?? [];
      const redacted = spans.reduceRight((t, s) => `${t.slice(0, s.start)}<${s.type}>${t.slice(s.end)}`, text);
      expect(redacted).toBe("Plaintiff's counsel in <US_CASE_NUMBER> filed a motion.");
    } finally {
      await host.dispose();
    }
  });
});
