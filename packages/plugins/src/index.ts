// @bear/plugins: discovery, validation, dependencies and sandboxed loading of local plugins.
// This release validates manifests; discovery, dependency resolution and the sandbox follow (issue 9).
export {
  parsePluginManifest,
  assertApiCompatible,
  deniedPermissions,
  PLUGIN_MANIFEST_FILE,
  EXTENSION_POINTS,
  PLUGIN_PERMISSIONS,
  type PluginManifest,
  type ExtensionPoint,
  type PluginPermission,
} from "./manifest/plugin-manifest";
export { PluginManifestError, PluginIncompatibleError, type PluginErrorCode } from "./errors";
