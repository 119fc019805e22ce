import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CodeAnalyzer, CodeAnalyzerConfig, EventType, LogLevel, type LogEvent } from '@salesforce/code-analyzer-core';
import { createEnginePlugin } from '@salesforce/code-analyzer-pmd-engine';
import { displayPath } from './paths';

/**
 * PMD 7's Apex rules through Salesforce Code Analyzer (core + PMD engine, jars inside the npm
 * package), as `sf code-analyzer run --rule-selector pmd:Recommended` would run them. Needs Java 11+.
 */

/** Code Analyzer's selector for PMD's rules tagged Recommended (an intersection: engine `pmd`, tag `Recommended`). */
export const RECOMMENDED_PMD_SELECTOR = 'pmd:Recommended';
const MIN_JAVA = 11;

export type JavaCheck = { ok: true; version: string } | { ok: false; reason: string };

/** Whether `java` (the command the PMD engine runs) is there and new enough. */
export function checkJava(): JavaCheck {
  const run = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (run.error) return { ok: false, reason: `java is not installed or not on PATH (${run.error.message})` };
  const version = /version "([^"]+)"/.exec(`${run.stderr}${run.stdout}`)?.[1];
  if (!version) return { ok: false, reason: `could not read the version from \`java -version\`: ${run.stderr.trim()}` };
  // "1.8.0_292" is Java 8; "17.0.15" is Java 17.
  const major = Number(version.startsWith('1.') ? version.split('.')[1] : version.split('.')[0]);
  if (!(major >= MIN_JAVA)) return { ok: false, reason: `PMD 7 needs Java ${MIN_JAVA}+, found ${version}` };
  return { ok: true, version };
}

export interface PmdViolation {
  rule: string;
  severity: number;
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface PmdRun {
  rules: string[];
  violations: PmdViolation[];
  targetedFiles: string[];
  engineVersion: string;
  millis: number;
  /** Error-level messages Code Analyzer logged (an engine that failed to start says why here). */
  errors: string[];
}

export const formatViolation = (v: PmdViolation): string =>
  `${displayPath(v.file)}:${v.line}:${v.column} ${v.rule}: ${v.message}`;

/** Runs the selected PMD rules over the given files and folders once. */
export async function runPmd(targets: readonly string[], selector: string = RECOMMENDED_PMD_SELECTOR): Promise<PmdRun> {
  const started = Date.now();
  const logFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-pmd-logs-'));
  try {
    const config = CodeAnalyzerConfig.fromObject({
      log_folder: logFolder,
      // Copy/paste detection is a separate engine in the same plugin; only PMD's rules are wanted.
      engines: { cpd: { disable_engine: true } },
    });
    const analyzer = new CodeAnalyzer(config);
    const errors: string[] = [];
    analyzer.onEvent(EventType.LogEvent, (event: LogEvent) => {
      if (event.logLevel <= LogLevel.Error) errors.push(event.message);
    });
    await analyzer.addEnginePlugin(createEnginePlugin());
    const workspace = await analyzer.createWorkspace([...targets]);
    const selection = await analyzer.selectRules([selector], { workspace });
    const rules = selection.getEngineNames().includes('pmd')
      ? selection.getRulesFor('pmd').map((rule) => rule.getName())
      : [];
    const results = await analyzer.run(selection, { workspace });
    const violations = results.getViolations().map((violation): PmdViolation => {
      const location = violation.getPrimaryLocation();
      return {
        rule: violation.getRule().getName(),
        severity: violation.getRule().getSeverityLevel(),
        file: location.getFile() ?? '(no file)',
        line: location.getStartLine() ?? 0,
        column: location.getStartColumn() ?? 0,
        message: violation.getMessage(),
      };
    });
    const engineVersion = results.getEngineNames().includes('pmd')
      ? results.getEngineRunResults('pmd').getEngineVersion()
      : '(pmd did not run)';
    return {
      rules,
      violations,
      targetedFiles: await workspace.getTargetedFiles(),
      engineVersion,
      millis: Date.now() - started,
      errors,
    };
  } finally {
    fs.rmSync(logFolder, { recursive: true, force: true });
  }
}
