import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Where the package lives, and the file walking every package check shares. Paths are absolute so
 * the checks do not depend on the directory jest or a script was started from.
 */
/** The nearest folder above this file with sfdx-project.json: the repository, run from source or from dist/. */
function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'sfdx-project.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start, '..', '..');
  }
}

export const REPO_ROOT = findRepoRoot(__dirname);
export const FORCE_APP = path.join(REPO_ROOT, 'force-app');
export const DEFAULT_DIR = path.join(FORCE_APP, 'main', 'default');
export const OBJECTS_DIR = path.join(DEFAULT_DIR, 'objects');

export const APEX_EXTENSIONS = ['.cls', '.trigger'] as const;

/** Every file under `dir`, recursively, sorted; none when `dir` does not exist (yet). */
export function walkFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walkFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort();
}

export function isApexSource(file: string): boolean {
  return (APEX_EXTENSIONS as readonly string[]).includes(path.extname(file));
}

/** The package's Apex classes and triggers (not their -meta.xml files). */
export function apexSourceFiles(root: string = FORCE_APP): string[] {
  return walkFiles(root).filter(isApexSource);
}

/** A path as the report shows it: relative to the repository when inside it. */
export function displayPath(file: string): string {
  const rel = path.relative(REPO_ROOT, file);
  return rel.startsWith('..') ? file : rel;
}

/** The package's sourceApiVersion (sfdx-project.json), which every Apex meta file must match. */
export function sourceApiVersion(): string {
  const project = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'sfdx-project.json'), 'utf8')) as {
    sourceApiVersion?: unknown;
  };
  if (typeof project.sourceApiVersion !== 'string') throw new Error('sfdx-project.json: sourceApiVersion is missing');
  return project.sourceApiVersion;
}
