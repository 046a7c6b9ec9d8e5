export { createServer, type BearServer, type ServerOptions, type ServerPrincipal } from "./server";
export type { BearServices } from "./services/server-services";
export { HttpError } from "./http/http-errors";
