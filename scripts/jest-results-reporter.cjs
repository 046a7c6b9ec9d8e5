// Writes one small JSON file of pass/fail counts per Jest project, which scripts/run-tests.mjs
// adds up into the single closing line CI reads ("N passed, N failed").
const fs = require("node:fs");
const path = require("node:path");

class JestResultsReporter {
  constructor(_globalConfig, options) {
    this.options = options;
  }
  onRunComplete(_contexts, results) {
    const { outputDirectory, name } = this.options;
    fs.mkdirSync(outputDirectory, { recursive: true });
    const summary = {
      project: name,
      passed: results.numPassedTests,
      failed: results.numFailedTests,
      skipped: results.numPendingTests + results.numTodoTests,
      suitesFailed: results.numFailedTestSuites,
      runtimeErrorSuites: results.numRuntimeErrorTestSuites,
    };
    fs.writeFileSync(path.join(outputDirectory, `${name}.json`), JSON.stringify(summary));
  }
}
module.exports = JestResultsReporter;
