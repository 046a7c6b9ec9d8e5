import { ContainerModule } from "inversify";
import { AuditSink, bearToken, Embedder, Logger } from "@bear/core";
import { PluginHost } from "./host/plugin-host";
import { PluginsConfig, parsePluginsConfig, type PluginsConfigInput } from "./plugins-config";

export const PluginHostToken = bearToken("plugins", "PluginHost");

/**
 * Binds the PluginsConfig and a singleton PluginHost (Logger, AuditSink and Embedder are used when bound;
 * the Embedder is served to plugins holding the "embed" permission).
 * The host starts empty: call `await host.loadAll()` once the container is built. Its plugin
 * processes are stopped when the container is disposed.
 */
export function pluginsModule(config: PluginsConfigInput): ContainerModule {
  const parsed = parsePluginsConfig(config);
  return new ContainerModule(({ bind }) => {
    bind(PluginsConfig).toConstantValue(parsed);
    bind<PluginHost>(PluginHostToken)
      .toDynamicValue((ctx) => {
        const logger = ctx.get<Logger>(Logger, { optional: true });
        const audit = ctx.get<AuditSink>(AuditSink, { optional: true });
        const embedder = ctx.get<Embedder>(Embedder, { optional: true });
        return new PluginHost(parsed, logger, audit, embedder);
      })
      .inSingletonScope()
      .onDeactivation((host: PluginHost) => host.dispose());
  });
}
