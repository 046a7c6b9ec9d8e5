export { createServer, type BearServer, type ServerOptions, type ServerPrincipal } from "./server";
export { openServices, type BearServices, type ServicesOptions } from "./services/bear-services";
export { HttpError } from "./http/http-errors";
