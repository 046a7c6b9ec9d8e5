import { describe, expect, it } from "@jest/globals";
import { PLUGIN_MANIFEST_FILE, parsePluginManifest, PluginManifestError } from "@bear/plugins";

describe("@bear/plugins public API", () => {
  it("validates a manifest through the package entry", () => {
    expect(PLUGIN_MANIFEST_FILE).toBe("bear-plugin.json");
    expect(() => parsePluginManifest({ name: "x" }, "/p/x")).toThrow(PluginManifestError);
  });
});
