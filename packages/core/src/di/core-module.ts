import { ContainerModule } from "inversify";
import { BearConfig } from "../config/bear-config";
import { EventBus, RxEventBus } from "../events/event-bus";
import { Logger, silentLogger } from "../logging/logger";
import { WorkspaceLayout, workspaceLayout } from "../workspace/workspace-layout";

export interface CoreModuleOptions {
  readonly config: BearConfig;
  /** Default: the silent logger. The apps pass a pino logger. */
  readonly logger?: Logger;
  /** Default: a fresh in-process RxEventBus. */
  readonly events?: EventBus;
}

/** Binds BearConfig, Logger, EventBus and WorkspaceLayout: what every other module injects. */
export function coreModule(options: CoreModuleOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<BearConfig>(BearConfig).toConstantValue(options.config);
    bind<Logger>(Logger).toConstantValue(options.logger ?? silentLogger);
    bind<WorkspaceLayout>(WorkspaceLayout).toConstantValue(workspaceLayout(options.config.dataDir));
    if (options.events) {
      bind<EventBus>(EventBus).toConstantValue(options.events);
    } else {
      bind<EventBus>(EventBus)
        .toDynamicValue(() => new RxEventBus())
        .inSingletonScope()
        .onDeactivation((bus) => (bus as RxEventBus).dispose());
    }
  });
}
