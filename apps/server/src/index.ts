export { buildServer, startServer, type ServerOptions } from "./server";
