import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { ConfigError } from "../errors/core-errors";
import { bearEnvironmentVariables, envNameOf, loadBearConfig } from "./load-config";
import { checkRedisUrl, redactRedisUrl } from "./redis-url";

let home: string;
let cwd: string;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "bear-home-"));
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), "bear-cwd-"));
});
afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(cwd, { recursive: true, force: true });
});

function writeUserConfig(yaml: string) {
  fs.mkdirSync(path.join(home, ".bear"), { recursive: true });
  fs.writeFileSync(path.join(home, ".bear", "config.yaml"), yaml);
}

function loadError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadBearConfig precedence", () => {
  it("uses safe defaults with nothing configured: ~/.bear, loopback server, offline on", () => {
    const { config, files, sources } = loadBearConfig({ home, cwd, env: {} });
    expect(config.dataDir).toBe(path.join(home, ".bear"));
    expect(config.server.host).toBe("127.0.0.1");
    expect(config.offline.enforce).toBe(true);
    expect(files).toEqual([]);
    expect(sources["server.port"]).toBe("default");
  });

  it("layers defaults < user file < workspace file < BEAR_* env < overrides, key by key", () => {
    writeUserConfig("server:\n  port: 5000\nlog:\n  level: debug\nrag:\n  chunkSize: 900\n");
    fs.writeFileSync(path.join(cwd, "bear.config.yaml"), "server:\n  port: 6000\nrag:\n  chunkOverlap: 100\n");
    const { config, sources, files } = loadBearConfig({
      home,
      cwd,
      env: { BEAR_SERVER_PORT: "7000", BEAR_RAG_CHUNK_OVERLAP: "120", BEAR_WORKFLOWS_PARALLELISM: "3" },
      overrides: { workflows: { parallelism: 4 } },
    });
    expect(config.log.level).toBe("debug"); // user file only
    expect(config.rag.chunkSize).toBe(900); // user file, untouched by the workspace file's sibling key
    expect(config.server.port).toBe(7000); // env beats both files
    expect(config.rag.chunkOverlap).toBe(120); // env beats workspace file
    expect(config.workflows.parallelism).toBe(4); // override beats env
    expect(config.security.encryptAtRest).toBe(false); // default
    expect(files).toEqual([path.join(home, ".bear", "config.yaml"), path.join(cwd, "bear.config.yaml")]);
    expect(sources["log.level"]).toBe(path.join(home, ".bear", "config.yaml"));
    expect(sources["server.port"]).toBe("env BEAR_SERVER_PORT");
    expect(sources["workflows.parallelism"]).toBe("override");
  });

  it("takes the OCR limits whose refusals name them (ocr.maxPages, ocr.pageTimeoutMs)", () => {
    fs.writeFileSync(path.join(cwd, "bear.config.yaml"), "ocr:\n  enabled: true\n  engine: auto\n  languages: [eng]\n  maxPages: 5000\n  pageTimeoutMs: 60000\n");
    expect(loadBearConfig({ home, cwd, env: {} }).config.ocr).toMatchObject({ maxPages: 5000, pageTimeoutMs: 60000 });
  });

  it("reads a JSON workspace file as well as YAML", () => {
    fs.writeFileSync(path.join(cwd, "bear.config.json"), JSON.stringify({ rag: { searchMode: "lexical" } }));
    expect(loadBearConfig({ home, cwd, env: {} }).config.rag.searchMode).toBe("lexical");
  });

  it("never lets a folder's file move the data, lift the offline guard, add plugins or model folders, or loosen security", () => {
    writeUserConfig(`dataDir: ${path.join(home, "mine")}\nsecurity:\n  encryptAtRest: true\n  scrubOnIngest: true\n`);
    const folderFile = path.join(cwd, "bear.config.yaml");
    fs.writeFileSync(
      folderFile,
      [
        "dataDir: ./.ws",
        "offline:\n  enforce: false",
        "plugins:\n  dirs: [./.p]\n  allowedPermissions: [fs.read.workspace, llm.generate]",
        "models:\n  dirs: [./.m]\n  threads: 2",
        "cache:\n  redisUrl: redis://:pw@127.0.0.1:6390\n  memoryMb: 8",
        "security:\n  scrubOnIngest: false",
        "workflows:\n  retentionDays: 1\n  parallelism: 3",
        "rag:\n  chunkSize: 800",
      ].join("\n"),
    );
    const { config, sources, warnings, ignoredFolderSettings } = loadBearConfig({ home, cwd, env: {} });
    expect(config.dataDir).toBe(path.join(home, "mine"));
    expect(config.offline.enforce).toBe(true);
    expect(config.plugins).toEqual({ dirs: [], allowedPermissions: [] });
    expect(config.models.dirs).toEqual([]);
    expect(config.cache.redisUrl).toBeUndefined();
    expect(config.security).toEqual({ encryptAtRest: true, scrubOnIngest: true });
    // what a folder may set still applies
    expect(config.models.threads).toBe(2);
    expect(config.cache.memoryMb).toBe(8);
    expect(config.rag.chunkSize).toBe(800);
    expect(config.workflows).toEqual({ parallelism: 3, retentionDays: 30 });
    expect(sources["rag.chunkSize"]).toBe(folderFile);
    expect(ignoredFolderSettings).toEqual([{ file: folderFile, settings: ["dataDir", "offline", "plugins", "models.dirs", "cache.redisUrl", "workflows.retentionDays", "security.scrubOnIngest"] }]);
    expect(warnings).toEqual([expect.stringContaining(`${folderFile} may not set dataDir, offline, plugins, models.dirs, cache.redisUrl, workflows.retentionDays, security.scrubOnIngest (ignored)`)]);
    // the user's own file, BEAR_* variables and flags still set them
    expect(loadBearConfig({ home, cwd, env: { BEAR_OFFLINE_ENFORCE: "false" }, overrides: { dataDir: "./flag" } }).config).toMatchObject({ dataDir: path.join(cwd, "flag"), offline: { enforce: false } });
  });

  it("lets a folder's file make security stricter", () => {
    fs.writeFileSync(path.join(cwd, "bear.config.yaml"), "security:\n  scrubOnIngest: true\n");
    const { config, ignoredFolderSettings } = loadBearConfig({ home, cwd, env: {} });
    expect(config.security.scrubOnIngest).toBe(true);
    expect(ignoredFolderSettings).toEqual([]);
  });

  it("parses typed env values: numbers, booleans, lists, and BEAR_HOME for the data dir", () => {
    const { config } = loadBearConfig({
      home,
      cwd,
      env: { BEAR_HOME: "~/bear-data", BEAR_SECURITY_ENCRYPT_AT_REST: "yes", BEAR_MODELS_DIRS: "/m1,/m2", BEAR_MODELS_THREADS: "2" },
    });
    expect(config.dataDir).toBe(path.join(home, "bear-data"));
    expect(config.security.encryptAtRest).toBe(true);
    expect(config.models.dirs).toEqual(["/m1", "/m2"]);
    expect(config.models.threads).toBe(2);
  });

  it("resolves a relative data dir against the working directory", () => {
    expect(loadBearConfig({ home, cwd, env: {}, overrides: { dataDir: "./ws" } }).config.dataDir).toBe(path.join(cwd, "ws"));
  });

  it("warns about BEAR_* variables that name no setting instead of failing", () => {
    const { warnings } = loadBearConfig({ home, cwd, env: { BEAR_SERVR_PORT: "1", PATH: "/bin" } });
    expect(warnings).toEqual(["environment variable BEAR_SERVR_PORT names no BEAR setting and was ignored"]);
  });

  it("derives one env name per setting, all distinct", () => {
    const vars = bearEnvironmentVariables();
    expect(new Set(vars.map((v) => v.name)).size).toBe(vars.length);
    expect(vars).toContainEqual({ name: "BEAR_RAG_CHUNK_SIZE", path: "rag.chunkSize" });
    expect(envNameOf(["server", "bodyLimitMb"])).toBe("BEAR_SERVER_BODY_LIMIT_MB");
  });
});

describe("loadBearConfig validation errors", () => {
  it("names the key, the value, its source and what is allowed for a bad env value", () => {
    const error = loadError(() => loadBearConfig({ home, cwd, env: { BEAR_SERVER_PORT: "eighty" } }));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain('server.port = "eighty" (from env BEAR_SERVER_PORT)');
    expect(error.message).toMatch(/expected number/i);
    expect(error.hint).toBeDefined();
  });

  it("lists the allowed values of an enum", () => {
    writeUserConfig("log:\n  level: loud\n");
    const error = loadError(() => loadBearConfig({ home, cwd, env: {} }));
    expect(error.message).toContain(`log.level = "loud" (from ${path.join(home, ".bear", "config.yaml")})`);
    expect(error.message).toContain('allowed: "fatal", "error", "warn", "info", "debug", "trace", "silent"');
  });

  it("rejects a port out of range with the bound", () => {
    const error = loadError(() => loadBearConfig({ home, cwd, env: {}, overrides: { server: { port: 70000 } } }));
    expect(error.message).toContain("server.port = 70000 (from override)");
    expect(error.message).toMatch(/65535/);
  });

  it("refuses a non-loopback server host: BEAR never listens on the network", () => {
    const error = loadError(() => loadBearConfig({ home, cwd, env: { BEAR_SERVER_HOST: "0.0.0.0" } }));
    expect(error.message).toContain('server.host = "0.0.0.0"');
    expect(error.message).toContain("loopback");
  });

  it("checks cache.redisUrl at load as the cache would: a password is required, the password never shown", () => {
    const noPassword = loadError(() => loadBearConfig({ home, cwd, env: {}, overrides: { cache: { redisUrl: "redis://127.0.0.1:6379" } } }));
    expect(noPassword.code).toBe("CONFIG_INVALID");
    expect(noPassword.message).toContain("cache.redisUrl = (hidden) (from override): cache.redisUrl 'redis://127.0.0.1:6379' has no password");
    expect(noPassword.message).toContain("requirepass");
    const publicHost = loadError(() => loadBearConfig({ home, cwd, env: { BEAR_CACHE_REDIS_URL: "redis://:hunter22@8.8.8.8:6379" } }));
    expect(publicHost.message).toContain("neither loopback nor a private address");
    expect(publicHost.message).not.toContain("hunter22");
    expect(loadBearConfig({ home, cwd, env: {}, overrides: { cache: { redisUrl: "redis://:pw@[::1]:6379/2" } } }).config.cache.redisUrl).toBe("redis://:pw@[::1]:6379/2");
  });

  it("never shows a Redis password, whatever it holds (/ @ : % ? #), in a message, hint, display or error JSON", () => {
    const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
    const unit = fc.oneof(fc.constantFrom("/", "@", ":", "%", "?", "#"), fc.constantFrom(...printable));
    const templates = [
      "redis://:PW@127.0.0.1:6379",
      "redis://bear:PW@10.0.0.5/2",
      "redis://:PW@8.8.8.8",
      "redis://:PW@127.0.0.1:6379?db=3",
      "rediss://:PW@[::1]:6380/99",
      "http://:PW@127.0.0.1",
      // a password written as a user-only credential, and scheme-mangled forms
      "redis://PW@127.0.0.1:6379",
      "rediss://PW@10.0.0.5/1",
      "redis://PW@8.8.8.8",
      "redis:/:PW@127.0.0.1:6379",
      "redis:PW@127.0.0.1:6379",
      "redis:/PW@127.0.0.1",
      "PW@127.0.0.1:6379",
      ":PW@127.0.0.1:6379",
      "redis//:PW@127.0.0.1:6379",
    ];
    fc.assert(
      fc.property(fc.string({ unit, minLength: 1, maxLength: 24 }), fc.constantFrom(...templates), (middle, template) => {
        // a marker around the random part: the fixed text of a message cannot contain the whole password by chance
        const password = `Zq7${middle}kX`;
        const url = template.replace("PW", password);
        const leaks = (text: string) => text.includes(password) || text.includes(encodeURIComponent(password));
        expect(leaks(redactRedisUrl(url))).toBe(false);
        const checked = checkRedisUrl(url, "cache.redisUrl");
        if ("problem" in checked) expect(leaks(`${checked.problem.message} ${checked.problem.hint} ${JSON.stringify(checked.problem)}`)).toBe(false);
        else expect(leaks(checked.endpoint.display)).toBe(false);
        try {
          loadBearConfig({ home, cwd, env: {}, overrides: { cache: { redisUrl: url } } });
        } catch (error) {
          expect(leaks(`${(error as Error).message} ${(error as ConfigError).hint ?? ""} ${JSON.stringify(error)} ${JSON.stringify((error as ConfigError).details ?? {})}`)).toBe(false);
          expect((error as Error).cause).toBeUndefined();
        }
      }),
      { numRuns: 300 },
    );
    // an '@' in the password: the parser takes the last one, the whole password is hidden
    expect(redactRedisUrl("redis://:p@ss@10.0.0.5")).toBe("redis://***@10.0.0.5");
    // no piece of the user part is shown: a password is often written where the user goes
    expect(redactRedisUrl("redis://s3cret@127.0.0.1:6379")).toBe("redis://***@127.0.0.1:6379");
    expect(redactRedisUrl("redis://bear:pw@10.0.0.5/2")).toBe("redis://***@10.0.0.5/2");
    expect(redactRedisUrl("redis://127.0.0.1:6379")).toBe("redis://127.0.0.1:6379");
    expect(checkRedisUrl("redis://s3cret@127.0.0.1:6379", "cache.redisUrl")).toEqual({ problem: expect.objectContaining({ code: "REDIS_URL_INSECURE", message: expect.stringMatching(/^cache\.redisUrl 'redis:\/\/\*\*\*@127\.0\.0\.1:6379' has no password \(what stands before '@' without a ':' is read as a user name\)/) }) });
    for (const mangled of ["redis:/:s3cret@127.0.0.1:6379", "redis:s3cret@127.0.0.1:6379", "s3cret@127.0.0.1:6379"]) {
      const error = loadError(() => loadBearConfig({ home, cwd, env: {}, overrides: { cache: { redisUrl: mangled } } }));
      expect(error.message).toContain("cache.redisUrl = (hidden)");
      expect(error.message).not.toContain("s3cret");
    }
    // a '/' in the password cuts the authority short: nothing of the URL can be shown
    expect(checkRedisUrl("redis://:ab/cd@127.0.0.1:6379", "cache.redisUrl")).toEqual({ problem: expect.objectContaining({ code: "REDIS_URL_INVALID", message: "cache.redisUrl '(unparsable URL)' is not a Redis URL", hint: expect.stringContaining("%2F") }) });
    expect(checkRedisUrl("redis://u:12/x@10.0.0.5", "cache.redisUrl")).toEqual({ problem: expect.objectContaining({ message: "cache.redisUrl '(unparsable URL)' is not a Redis URL" }) });
  });

  it("rejects unknown keys in files so typos do not pass silently", () => {
    fs.writeFileSync(path.join(cwd, "bear.config.yaml"), "server:\n  prot: 1\n");
    const error = loadError(() => loadBearConfig({ home, cwd, env: {} }));
    expect(error.message).toContain("server: unknown setting 'prot'");
  });

  it("checks cross-field rules: overlap must be smaller than chunk size", () => {
    const error = loadError(() => loadBearConfig({ home, cwd, env: {}, overrides: { rag: { chunkSize: 200, chunkOverlap: 300 } } }));
    expect(error.message).toContain("rag.chunkOverlap = 300 (from override): must be smaller than rag.chunkSize");
  });

  it("reports a YAML syntax error with the file name", () => {
    fs.writeFileSync(path.join(cwd, "bear.config.yaml"), "server: [unclosed\n");
    const error = loadError(() => loadBearConfig({ home, cwd, env: {} }));
    expect(error.code).toBe("CONFIG_FILE_UNREADABLE");
    expect(error.message).toContain(path.join(cwd, "bear.config.yaml"));
  });

  it("refuses a config file that is not a mapping", () => {
    fs.writeFileSync(path.join(cwd, "bear.config.yaml"), "- a\n- b\n");
    expect(loadError(() => loadBearConfig({ home, cwd, env: {} })).message).toContain("must hold a mapping");
  });

  it("refuses two competing workspace files rather than guessing", () => {
    fs.writeFileSync(path.join(cwd, "bear.config.yaml"), "{}\n");
    fs.writeFileSync(path.join(cwd, "bear.config.json"), "{}");
    expect(loadError(() => loadBearConfig({ home, cwd, env: {} })).message).toContain("more than one workspace config file");
  });
});
