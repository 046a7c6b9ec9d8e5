import { Container, type ContainerModule } from "inversify";

/**
 * The one way the apps compose packages: each package contributes a ContainerModule
 * (`ragModule(config)`, `securityModule(config)`…) and the apps load them all here.
 * Bindings default to singleton scope; native resources are released in `onDeactivation`,
 * which disposeContainer() triggers.
 */
export function createContainer(...modules: ContainerModule[]): Container {
  const container = new Container({ defaultScope: "Singleton" });
  container.load(...modules);
  return container;
}

/**
 * Unbinds everything, running each binding's onDeactivation (closing models, databases…). Only a handler set on
 * the binding (`bind(T)….inSingletonScope().onDeactivation(fn)`) is awaited: inversify 8 starts a module-level
 * `onDeactivation(T, fn)` without waiting for its promise, so an async close there (flushing an audit log, closing
 * an index) would still be running when this returns. Module-level handlers are for synchronous work only.
 */
export async function disposeContainer(container: Container): Promise<void> {
  await container.unbindAllAsync();
}
