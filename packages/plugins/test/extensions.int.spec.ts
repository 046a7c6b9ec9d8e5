import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import type { Embedder } from "@bear/core";
import { PluginHost } from "../src/host/plugin-host";
import { examplesDir, fixturesDir, manifestFor, sandboxOptions, stepEntry, writePlugin } from "./support/sandbox-runner";

describe("extension points through the typed host API", () => {
  let host: PluginHost;

  beforeAll(async () => {
    host = await PluginHost.open({ directories: [examplesDir, path.join(fixturesDir, "extensions")], ...(await sandboxOptions()) });
  }, 60_000);

  afterAll(async () => {
    await host.dispose();
  });

  it("loads the two example plugins and the all-points fixture", () => {
    expect(host.plugins().map((p) => [p.name, p.state])).toEqual([
      ["all-points", "running"],
      ["citation-format", "running"],
      ["us-case-numbers", "running"],
    ]);
  });

  describe("the us-case-numbers example (PII recognizer)", () => {
    const recognizer = () => {
      const found = host.piiRecognizers().find((r) => r.id === "us.case_number");
      if (!found) throw new Error("us.case_number is not loaded");
      return found;
    };

    it("declares its entity type and finds federal case numbers with exact offsets", async () => {
      expect(recognizer()).toMatchObject({ plugin: "us-case-numbers", point: "pii-recognizer", entityTypes: ["US_CASE_NUMBER"] });
      const text = "Filed in 1:23-cv-04567 (S.D.N.Y.) and related to 2:19-cr-00123-JAM-DB; see also page 11:30.";
      const spans = await recognizer().recognize(text);
      expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(["1:23-cv-04567", "2:19-cr-00123-JAM-DB"]);
      expect(spans[0]).toEqual({ type: "US_CASE_NUMBER", start: 9, end: 22, score: 0.95 });
    });

    it("finds every generated case number embedded in arbitrary prose, and nothing else", async () => {
      const caseNumber = fc
        .tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom("cv", "cr", "mc", "bk"), fc.integer({ min: 100, max: 999999 }), fc.constantFrom("", "-JAM", "-ABC-DEF"))
        .map(([office, year, type, n, judge]) => `${office}:${String(year).padStart(2, "0")}-${type}-${String(n).padStart(5, "0")}${judge}`);
      const prose = fc.stringMatching(/^[A-Za-z ,.;()]{0,40}$/);
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(prose, caseNumber), { maxLength: 4 }), prose, async (parts, tail) => {
          const text = parts.map(([p, c]) => `${p} ${c} `).join("") + tail;
          const spans = await recognizer().recognize(text);
          expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(parts.map(([, c]) => c));
        }),
        { numRuns: 60 },
      );
    });
  });

  describe("the citation-format example (workflow step type)", () => {
    const step = () => {
      const found = host.stepTypes().find((s) => s.id === "citation_format");
      if (!found) throw new Error("citation_format is not loaded");
      return found;
    };

    it("formats Supreme Court and circuit citations in Bluebook style", async () => {
      await expect(step().run({ caseName: "Brown v. Board of Education", volume: 347, reporter: "US", page: 483, pinpoint: 495, year: 1954 })).resolves.toEqual({
        citation: "Brown v. Bd. of Educ., 347 U.S. 483, 495 (1954)",
      });
      await expect(step().run({ caseName: "Doe vs Acme Corporation", volume: 12, reporter: "F4th", page: 7, court: "2d Cir", year: 2021 })).resolves.toEqual({
        citation: "Doe v. Acme Corp., 12 F.4th 7 (2d Cir. 2021)",
      });
    });

    it("reports bad step input as the plugin's error, naming the field", async () => {
      await expect(step().run({ caseName: "Roe v. Wade", volume: "410", reporter: "US", page: 113, year: 1973 })).rejects.toMatchObject({
        code: "PLUGIN_CALL_FAILED",
        message: expect.stringContaining('citation_format: volume must be a positive whole number (got "410")'),
      });
    });
  });

  it("invokes an agent / capability", async () => {
    const agent = host.agents().find((a) => a.id === "clause.classifier");
    expect(agent?.description).toBe("Labels a contract clause by keywords");
    await expect(agent?.invoke({ clause: "Either party may terminate this Agreement on 30 days' notice." })).resolves.toEqual({ label: "termination" });
  });

  it("calls a tool with JSON arguments; its JSON Schema comes across the channel for the host to check arguments with", async () => {
    const tool = host.tools().find((t) => t.id === "clause.count");
    expect(tool).toMatchObject({ plugin: "all-points", point: "tool", description: "Counts the numbered clauses of a text" });
    expect(tool?.inputSchema).toEqual({ type: "object", properties: { text: { type: "string" } }, required: ["text"], additionalProperties: false });
    await expect(tool!.call({ text: "1. Term.\n2. Fees.\nSigned." })).resolves.toEqual({ clauses: 2 });
    expect(() => tool!.call([] as never)).toThrow("tool arguments");
  });

  it("extracts text from a document's bytes", async () => {
    const extractor = host.extractors().find((e) => e.id === "rtf.plain");
    expect(extractor?.fileExtensions).toEqual([".rtf"]);
    const rtf = String.raw`{\rtf1\ansi{\fonttbl\f0\fswiss Helvetica;}\f0\pard This Agreement is made on 1 May 2024.\par Governing law: England.}`;
    const out = await extractor?.extract(new TextEncoder().encode(rtf), "nda.rtf");
    expect(out?.metadata).toEqual({ fileName: "nda.rtf", format: "rtf" });
    expect(out?.text).toContain("This Agreement is made on 1 May 2024.");
    expect(out?.text).toContain("Governing law: England.");
    expect(out?.text).not.toContain("\\");
  });

  it("offers a plugin embedder as core's Embedder contract, with normalised vectors", async () => {
    const embedder: Embedder | undefined = host.embedders().find((e) => e.id === "hash.embedder");
    expect(embedder?.dimensions).toBe(8);
    const vectors = (await embedder?.embed(["termination clause", "termination clauses", "governing law"])) ?? [];
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);
    expect(dot(vectors[0] as Float32Array, vectors[1] as Float32Array)).toBeGreaterThan(dot(vectors[0] as Float32Array, vectors[2] as Float32Array));
  });
});

describe("the host validates what plugins return", () => {
  let host: PluginHost;
  let root: string;

  beforeAll(async () => {
    const fs = await import("node:fs");
    const os = await import("node:os");
    root = fs.mkdtempSync(path.join(os.tmpdir(), "bear-plugins-liar-"));
    writePlugin(
      root,
      "liar",
      manifestFor("liar", {
        provides: [
          { point: "pii-recognizer", id: "liar.spans" },
          { point: "embedder", id: "liar.embedder" },
          { point: "step-type", id: "liar.missing" },
        ],
      }),
      {
        "index.mjs": `export default {
          "liar.spans": { recognize(text) { return [{ type: "X", start: 0, end: text.length + 5 }]; } },
          "liar.embedder": { dimensions: 4, embed(texts) { return texts.map(() => [1, 0, 0]); } },
        };\n`,
      },
    );
    writePlugin(root, "honest", manifestFor("honest"), { "index.mjs": stepEntry("honest") });
    host = await PluginHost.open({ directories: [root], ...(await sandboxOptions()) });
  }, 60_000);

  afterAll(async () => {
    await host.dispose();
    const fs = await import("node:fs");
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("refuses to load a plugin whose entry lacks a provided extension", () => {
    const liar = host.plugins().find((p) => p.name === "liar");
    expect(liar).toMatchObject({ state: "refused", error: { code: "PLUGIN_LOAD_FAILED" } });
    expect(liar?.error?.message).toContain("the entry does not export 'liar.missing' with a run() method (required for a step-type)");
    expect(host.plugins().find((p) => p.name === "honest")?.state).toBe("running");
  });

  it("rejects spans outside the text and vectors of the wrong size", async () => {
    const fs = await import("node:fs");
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "liar", "bear-plugin.json"), "utf8")) as { provides: unknown[] };
    fs.writeFileSync(path.join(root, "liar", "bear-plugin.json"), JSON.stringify({ ...manifest, provides: manifest.provides.slice(0, 2) }));
    await host.load("liar");
    await expect(host.piiRecognizers()[0]?.recognize("abc")).rejects.toMatchObject({ code: "PLUGIN_PROTOCOL", message: expect.stringContaining("span [0, 8) outside the text of length 3") });
    await expect(host.embedders()[0]?.embed(["a"])).rejects.toMatchObject({ code: "PLUGIN_PROTOCOL", plugin: "liar" });
  });
});

describe("host services for plugins (the 'embed' permission)", () => {
  let provider: PluginHost;
  let host: PluginHost;
  let root: string;

  beforeAll(async () => {
    const fs = await import("node:fs");
    const os = await import("node:os");
    // The host's Embedder is itself a real plugin embedder (all-points' hash.embedder).
    provider = await PluginHost.open({ directories: [path.join(fixturesDir, "extensions")], ...(await sandboxOptions()) });
    root = fs.mkdtempSync(path.join(os.tmpdir(), "bear-plugins-services-"));
    const entry = (id: string) => `export default {
      "${id}": { async run({ texts }, bear) { const vectors = await bear.embed(texts); return { count: vectors.length, dimensions: vectors[0].length, first: vectors[0] }; } },
    };\n`;
    writePlugin(root, "semantic", manifestFor("semantic", { permissions: ["embed"] }), { "index.mjs": entry("semantic.step") });
    writePlugin(root, "nosy", manifestFor("nosy"), { "index.mjs": entry("nosy.step") });
    host = await PluginHost.open(
      { directories: [root], allowedPermissions: ["fs.read.plugin", "embed"], ...(await sandboxOptions()) },
      { embedder: provider.embedders()[0] },
    );
  }, 60_000);

  afterAll(async () => {
    await host.dispose();
    await provider.dispose();
    const fs = await import("node:fs");
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("lets a plugin holding the permission embed texts with the host's embedder", async () => {
    const out = (await host.stepTypes().find((s) => s.id === "semantic.step")?.run({ texts: ["termination clause", "governing law"] })) as { count: number; dimensions: number; first: number[] };
    expect(out).toMatchObject({ count: 2, dimensions: 8 });
    const direct = await provider.embedders()[0]?.embed(["termination clause"]);
    expect(out.first).toEqual(Array.from(direct?.[0] ?? []));
  });

  it("refuses the service to a plugin without the permission", async () => {
    await expect(host.stepTypes().find((s) => s.id === "nosy.step")?.run({ texts: ["x"] })).rejects.toMatchObject({
      code: "PLUGIN_CALL_FAILED",
      remote: { code: "PLUGIN_PERMISSION_DENIED" },
    });
  });

  it("reports bad service input as the plugin's error, and the plugin keeps running", async () => {
    const step = host.stepTypes().find((s) => s.id === "semantic.step");
    await expect(step?.run({ texts: [1, 2] })).rejects.toMatchObject({ remote: { code: "INVALID_ARGUMENT" } });
    await expect(step?.run({ texts: ["ok"] })).resolves.toMatchObject({ count: 1 });
  });
});
