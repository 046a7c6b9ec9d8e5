import { Command, CommanderError } from "commander";
import { registerAskCommand } from "./commands/ask";
import { registerAuditCommand } from "./commands/audit";
import { registerCacheCommand } from "./commands/cache";
import { registerConfigCommand } from "./commands/config";
import { registerDemoCommand } from "./commands/demo";
import { registerDoctorCommand } from "./commands/doctor";
import { registerDocumentsCommand } from "./commands/documents";
import { registerIngestCommand } from "./commands/ingest";
import { registerInitCommand } from "./commands/init";
import { registerModelsCommand } from "./commands/models";
import { registerPluginsCommand } from "./commands/plugins";
import { registerRedactCommand } from "./commands/redact";
import { registerRestoreCommand } from "./commands/restore";
import { registerReviewCommand } from "./commands/review";
import { registerSearchCommand } from "./commands/search";
import { registerServeCommand } from "./commands/serve";
import { registerUsersCommand } from "./commands/users";
import { registerWorkflowCommand } from "./commands/workflow";
import { registerWorkerCommand } from "./commands/worker";

export interface ProgramOptions {
  /** Where commander's own error text goes (usage errors); stderr by default. */
  readonly writeErr?: (text: string) => void;
}

/** Every command is registered here, one file each under commands/. Handlers import packages lazily. */
export function buildProgram(version: string, options: ProgramOptions = {}): Command {
  const program = new Command("bear")
    .configureOutput({ writeErr: options.writeErr ?? ((text) => process.stderr.write(text)) })
    .description("BEAR AI Legal: an offline, privacy-first AI workbench for legal work")
    .version(version)
    .option("--json", "machine-readable output on stdout (errors as JSON on stderr)")
    .option("--data-dir <dir>", "the BEAR workspace (default ~/.bear, or BEAR_DATA_DIR)")
    .option("--log-level <level>", "fatal, error, warn, info, debug, trace or silent (logs go to stderr)")
    .showHelpAfterError("(run `bear --help` for usage)")
    .exitOverride()
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  bear demo                                  # the whole product in a throw-away workspace",
        "  bear init && bear ingest ./contracts",
        '  bear ask "What is the notice period for termination?"',
        "",
        "Exit codes: 0 ok, 1 usage, 2 input error, 3 partial failure, 4 internal, 5 not available, 6 audit tampered, 130 cancelled.",
      ].join("\n"),
    );
  registerDemoCommand(program);
  registerInitCommand(program);
  registerIngestCommand(program);
  registerSearchCommand(program);
  registerAskCommand(program);
  registerReviewCommand(program);
  registerRedactCommand(program);
  registerRestoreCommand(program);
  registerDocumentsCommand(program);
  registerModelsCommand(program);
  registerWorkflowCommand(program);
  registerPluginsCommand(program);
  registerAuditCommand(program);
  registerCacheCommand(program);
  registerDoctorCommand(program);
  registerServeCommand(program);
  registerUsersCommand(program);
  registerWorkerCommand(program);
  registerConfigCommand(program);
  return program;
}

export { CommanderError };
