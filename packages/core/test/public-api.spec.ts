// Uses @bear/core only through its public entry, as an embedding developer would.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import {
  BearConfig,
  BearError,
  coreModule,
  createContainer,
  disposeContainer,
  ensureWorkspace,
  EventBus,
  loadBearConfig,
  Logger,
  confinePath,
  isLoopbackHost,
} from "@bear/core";

describe("@bear/core public API", () => {
  it("loads config, prepares the workspace and composes a container from it", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "bear-api-"));
    try {
      const { config } = loadBearConfig({ home, cwd: home, env: { BEAR_LOG_LEVEL: "warn" } });
      const layout = ensureWorkspace(config.dataDir);
      expect(layout.root).toBe(path.join(home, ".bear"));
      const container = createContainer(coreModule({ config }));
      expect(container.get<BearConfig>(BearConfig).log.level).toBe("warn");
      expect(container.get<Logger>(Logger)).toBeDefined();
      expect(container.get<EventBus>(EventBus).events).toBeDefined();
      expect(confinePath(layout.root, "indexes")).toBe(layout.indexes);
      await disposeContainer(container);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it("exposes typed errors and the address policy", () => {
    expect(BearError.isInstance(new BearError("X", "y"))).toBe(true);
    expect(isLoopbackHost("::1")).toBe(true);
  });
});
