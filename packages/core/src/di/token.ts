/**
 * DI token convention: an interface and its token share a name, and tokens are
 * `Symbol.for("@bear/<package>:<Name>")` so a second copy of a package still matches.
 *
 *   export const ChunkStore = bearToken<ChunkStore>("rag", "ChunkStore");
 *   export interface ChunkStore { ... }
 */
export function bearToken(packageName: string, name: string): symbol {
  if (!/^[a-z][a-z0-9-]*$/.test(packageName) || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    throw new TypeError(`bad DI token name '@bear/${packageName}:${name}' (want kebab-case package, PascalCase name)`);
  }
  return Symbol.for(`@bear/${packageName}:${name}`);
}
