import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { defaultBearConfig, disableOfflineGuard, enforceOffline } from "@bear/core";
import type { FastifyInstance } from "fastify";
import { buildServer, startServer } from "../src/index";

describe("server shell", () => {
  let app: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    enforceOffline();
    const config = defaultBearConfig("/tmp/bear-server-test");
    app = buildServer({ config: { ...config, server: { ...config.server, port: 0 } } });
    url = await startServer(app, { ...config, server: { ...config.server, port: 0 } });
  });
  afterAll(async () => {
    await app.close();
    disableOfflineGuard();
  });

  it("listens on loopback only", () => {
    expect(new URL(url).hostname).toBe("127.0.0.1");
  });

  it("answers /api/v1/health over a real socket, with the offline guard on", async () => {
    const response = await fetch(`${url}/api/v1/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; offline: boolean };
    expect(body).toMatchObject({ status: "ok", offline: true });
  });

  it("returns 404 as JSON for unknown routes", async () => {
    // Real sockets rather than app.inject(): light-my-request needs require(esm), which Jest lacks.
    const response = await fetch(`${url}/api/v1/nope`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("application/json");
  });
});
