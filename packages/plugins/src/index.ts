// @bear/plugins: discovery, validation, dependencies and sandboxed hot loading of local plugins.
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
export {
  discoverPlugins,
  inspectPluginFolder,
  type DiscoveredPlugin,
  type DiscoveryOptions,
  type PluginDiscovery,
  type PluginProblem,
} from "./discovery/discover-plugins";
export { assertSelfContained, copyPluginFolder } from "./discovery/plugin-files";
export { pluginContainment, type PluginContainment } from "./sandbox/containment";
export { resolveLoadOrder, type DependencyNode, type LoadOrder } from "./discovery/resolve-dependencies";
export { PluginHost, type PluginHostDeps, type PluginState, type PluginStatus, type PluginEvent, type LoadReport } from "./host/plugin-host";
export { pluginsModule, PluginHostToken } from "./plugins.module";
export { PluginsConfig, PLUGIN_API_VERSION, parsePluginsConfig, pluginsConfigSchema, type PluginsConfigInput } from "./plugins-config";
export { EXTENSION_METHODS, HOST_SERVICES, type HostService, type JsonValue, type ExtensionInfo } from "./sandbox/protocol";
export { sandboxExecArgv, type SandboxLimits } from "./sandbox/plugin-process";
export type {
  PluginExtension,
  PiiRecognizerExtension,
  RecognizedPii,
  StepTypeExtension,
  AgentExtension,
  ExtractorExtension,
  ExtractedDocument,
  EmbedderExtension,
  ToolExtension,
  AnyExtension,
} from "./extensions/extension-proxies";
export {
  PluginManifestError,
  PluginIncompatibleError,
  PluginPermissionError,
  PluginDependencyError,
  PluginDuplicateError,
  PluginNotFoundError,
  PluginLoadError,
  PluginCallError,
  PluginTimeoutError,
  PluginMemoryLimitError,
  PluginCrashedError,
  PluginUnavailableError,
  PluginInUseError,
  PluginProtocolError,
  PluginUnresponsiveError,
  PluginRunnerMissingError,
  type PluginErrorCode,
  type DependencyProblem,
  type RemoteError,
} from "./errors";
