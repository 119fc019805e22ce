import * as path from 'node:path';
import { checkJava, formatViolation, runPmd, type PmdRun } from '../../../scripts/package/pmd';
import { apexSourceFiles, FORCE_APP } from '../../../scripts/package/paths';
import { tempDir } from './tmpFiles';

/**
 * PMD's Recommended Apex rules (Code Analyzer selector `pmd:Recommended`) over force-app: zero
 * violations, or each suppressed in the code with @SuppressWarnings('PMD.Rule') and a reason.
 * One PMD run (one JVM start) covers the package and a deliberately bad sample class together.
 */

const java = checkJava();
if (!java.ok) {
  console.warn(
    `PMD checks SKIPPED: ${java.reason}. Install Java 11+ (17 recommended) to run the Code Analyzer PMD rules.`,
  );
}
const describeWithJava = java.ok ? describe : describe.skip;
const title = java.ok
  ? 'PMD Recommended rules (Code Analyzer PMD engine)'
  : `PMD Recommended rules SKIPPED: ${java.reason}`;

describeWithJava(title, () => {
  const scratch = tempDir('pmd-sample');
  const sampleDir = path.join(scratch.dir, 'classes');
  let run: PmdRun;
  const inSample = (file: string): boolean => file.startsWith(sampleDir);

  beforeAll(async () => {
    // No sharing keyword while it queries: ApexSharingViolations; the query also lacks user mode.
    scratch.write(
      'classes/NoSharing.cls',
      [
        '/**',
        ' * Sample with known violations.',
        ' */',
        'public class NoSharing {',
        '  /**',
        '   * @return contacts',
        '   */',
        '  public static List<Contact> all() {',
        '    return [SELECT Id FROM Contact LIMIT 10];',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    run = await runPmd([FORCE_APP, sampleDir]);
    console.info(
      `PMD run: ${run.rules.length} Recommended rules, ${run.targetedFiles.filter((f) => /\.(cls|trigger)$/.test(f)).length} Apex files, ${run.millis} ms (engine ${run.engineVersion}, Java ${java.ok ? java.version : '?'})`,
    );
    // One JVM run over the whole package: ~50 s alone on 2 cores, much longer beside the rest of the suite.
  }, 300_000);
  afterAll(() => scratch.cleanup());

  test('selects the Recommended Apex rules and runs without engine errors', () => {
    expect(run.errors).toEqual([]);
    expect(run.rules).toEqual(
      expect.arrayContaining(['ApexSharingViolations', 'ApexCRUDViolation', 'ApexDoc', 'OperationWithLimitsInLoop']),
    );
  });

  test('scans every class and trigger of the package', () => {
    const scanned = new Set(run.targetedFiles);
    expect(apexSourceFiles(FORCE_APP).filter((file) => !scanned.has(file))).toEqual([]);
  });

  test('the package has no violations (suppress deliberate ones in code, with a reason)', () => {
    expect(run.violations.filter((v) => !inSample(v.file)).map(formatViolation)).toEqual([]);
  });

  test('a class without a sharing keyword is reported (the checker sees violations)', () => {
    const sample = run.violations.filter((v) => inSample(v.file));
    expect(sample).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: 'ApexSharingViolations',
          file: path.join(sampleDir, 'NoSharing.cls'),
          line: 4,
        }),
      ]),
    );
    expect(sample.map((v) => v.rule)).toContain('ApexCRUDViolation');
  });
});
