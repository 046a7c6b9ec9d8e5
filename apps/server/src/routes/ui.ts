import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import fastifyStatic from "@fastify/static";

/** `public/` next to `src/` (tests, tsx) or next to `dist/` (the build). */
export function uiRoot(): string | undefined {
  const here = import.meta.dirname;
  return [path.resolve(here, "../public"), path.resolve(here, "../../public")].find((dir) => fs.existsSync(path.join(dir, "index.html")));
}

/** The web UI: static HTML/JS/CSS from this package, no CDN, no external fonts. */
export async function registerUiRoutes(app: FastifyInstance): Promise<void> {
  const root = uiRoot();
  if (!root) return;
  await app.register(fastifyStatic, { root, prefix: "/", index: ["index.html"], wildcard: false, schemaHide: true, cacheControl: true, maxAge: 0, dotfiles: "deny" });
}
