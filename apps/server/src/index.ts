export { createServer, type BearServer, type ServerOptions, type ServerPrincipal } from "./server";
export { HttpError, type BearServices } from "@bear/workspace";
