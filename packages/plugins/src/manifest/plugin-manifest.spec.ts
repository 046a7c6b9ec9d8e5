import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { PluginIncompatibleError, PluginManifestError } from "../errors";
import { assertApiCompatible, deniedPermissions, parsePluginManifest } from "./plugin-manifest";

const valid = {
  name: "bar-numbers",
  version: "1.0.0",
  entry: "dist/index.js",
  bearApi: "^0.1.0",
  provides: [{ point: "pii-recognizer", id: "us.bar_number" }],
  permissions: ["fs.read.plugin"],
  dependencies: { "legal-ids": "^2.0.0" },
};

function errorOf(data: unknown): PluginManifestError {
  try {
    parsePluginManifest(data, "/plugins/some-folder");
  } catch (error) {
    if (error instanceof PluginManifestError) return error;
    throw error;
  }
  throw new Error("expected a PluginManifestError");
}

describe("parsePluginManifest", () => {
  it("accepts a complete manifest and fills defaults", () => {
    expect(parsePluginManifest(valid, "/p")).toEqual(valid);
    const { permissions: _p, dependencies: _d, ...minimal } = valid;
    expect(parsePluginManifest(minimal, "/p")).toMatchObject({ permissions: [], dependencies: {} });
  });

  it.each([
    [{ ...valid, version: "one" }, "plugin 'bar-numbers': version must be a semantic version"],
    [{ ...valid, entry: "../../etc/passwd" }, "plugin 'bar-numbers': entry must be a relative path inside the plugin folder"],
    [{ ...valid, entry: "/abs/index.js" }, "entry must be a relative path"],
    [{ ...valid, provides: [{ point: "telemetry", id: "x" }] }, 'plugin \'bar-numbers\': provides[0].point must be one of "step-type"'],
    [{ ...valid, provides: [] }, "provides must list at least one extension point"],
    [{ ...valid, permissions: ["net.connect"] }, "permissions[0] must be one of"],
    [{ ...valid, dependencies: { other: "not a range!" } }, "dependencies.other must be a semver range"],
    [{ ...valid, bearApi: ">>1" }, "bearApi must be a semver range"],
    [{ ...valid, name: "Bad Name" }, "plugin 'some-folder': name must be 2-64 lowercase"],
    [{ ...valid, extra: 1 }, "has unknown field(s) extra"],
  ])("names the plugin and the field: %#", (data, message) => {
    expect(errorOf(data).message).toContain(message);
  });

  it("never throws anything but a PluginManifestError on arbitrary JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (data) => {
        try {
          parsePluginManifest(data, "/plugins/x");
        } catch (error) {
          expect(error).toBeInstanceOf(PluginManifestError);
        }
      }),
    );
  });
});

describe("compatibility and permissions", () => {
  it("refuses a plugin built for another BEAR API", () => {
    const manifest = parsePluginManifest(valid, "/p");
    expect(() => assertApiCompatible(manifest, "0.1.5")).not.toThrow();
    expect(() => assertApiCompatible(manifest, "1.0.0")).toThrow(PluginIncompatibleError);
  });

  it("lists the permissions the host does not allow", () => {
    const manifest = parsePluginManifest({ ...valid, permissions: ["fs.read.plugin", "fs.write.workspace"] }, "/p");
    expect(deniedPermissions(manifest, ["fs.read.plugin"])).toEqual(["fs.write.workspace"]);
  });
});
