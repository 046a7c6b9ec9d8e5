import { enforceOffline } from "@bear/core";
import { ExitCode } from "./exit-codes";
import { reportError } from "./output";
import { buildProgram, CommanderError } from "./program";

declare const __BEAR_VERSION__: string | undefined;

async function main(argv: string[]): Promise<number> {
  // The CLI never talks to the network; `bear models pull` opens it explicitly and alone.
  enforceOffline();
  const program = buildProgram(typeof __BEAR_VERSION__ === "string" ? __BEAR_VERSION__ : "0.1.0");
  const json = argv.includes("--json");
  try {
    await program.parseAsync(argv);
    return ExitCode.Ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit through here with code 0; real usage errors were already printed.
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    return reportError({ json }, error);
  }
}

process.exitCode = await main(process.argv);
