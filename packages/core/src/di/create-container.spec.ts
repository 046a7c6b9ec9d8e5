import { describe, expect, it } from "@jest/globals";
import { ContainerModule, inject, injectable } from "inversify";
import { BearConfig, defaultBearConfig } from "../config/bear-config";
import { EventBus } from "../events/event-bus";
import { Logger } from "../logging/logger";
import { WorkspaceLayout } from "../workspace/workspace-layout";
import { coreModule } from "./core-module";
import { createContainer, disposeContainer } from "./create-container";
import { bearToken } from "./token";

const Greeter = bearToken("test", "Greeter");
interface Greeter {
  greet(): string;
}

@injectable()
class ConfiguredGreeter implements Greeter {
  disposed = false;
  constructor(
    @inject(BearConfig) private readonly config: BearConfig,
    @inject(EventBus) private readonly events: EventBus,
  ) {}
  greet(): string {
    this.events.publish({ type: "test:greeted", source: "test" });
    return `port ${this.config.server.port}`;
  }
}

describe("createContainer + coreModule", () => {
  it("composes package modules: core bindings are injectable into another module's classes", () => {
    const config = defaultBearConfig("/tmp/bear-di");
    const testModule = new ContainerModule(({ bind }) => {
      bind<Greeter>(Greeter).to(ConfiguredGreeter);
    });
    const container = createContainer(coreModule({ config }), testModule);
    expect(container.get<Greeter>(Greeter).greet()).toBe("port 4141");
    expect(container.get<Greeter>(Greeter)).toBe(container.get<Greeter>(Greeter)); // singleton by default
    expect(container.get<WorkspaceLayout>(WorkspaceLayout).audit).toBe("/tmp/bear-di/audit");
    expect(container.get<Logger>(Logger).level).toBe("silent");
  });

  it("runs onDeactivation hooks when the container is disposed", async () => {
    const disposed: string[] = [];
    const module = new ContainerModule(({ bind, onDeactivation }) => {
      bind<Greeter>(Greeter).toConstantValue({ greet: () => "hi" });
      onDeactivation<Greeter>(Greeter, () => {
        disposed.push("greeter");
      });
    });
    const container = createContainer(coreModule({ config: defaultBearConfig("/tmp/x") }), module);
    container.get<Greeter>(Greeter);
    await disposeContainer(container);
    expect(disposed).toEqual(["greeter"]);
  });

  it("names tokens by convention and refuses malformed names", () => {
    expect(bearToken("rag", "ChunkStore")).toBe(Symbol.for("@bear/rag:ChunkStore"));
    expect(() => bearToken("Rag", "chunkStore")).toThrow(/kebab-case/);
  });
});
