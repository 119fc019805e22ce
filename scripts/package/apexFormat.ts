import * as fs from 'node:fs';
import * as prettier from 'prettier';

/**
 * Apex formatting through prettier's API with prettier-plugin-apex, honouring any prettier config
 * file the way `npx prettier --plugin=prettier-plugin-apex` would. prettier 3 loads plugins with a
 * dynamic import(), which jest's CommonJS sandbox refuses: run this in a plain node/tsx process
 * (format-apex.ts), never inside a jest test.
 */

// The plugin's exports map has no `require` condition but resolves by path; an absolute path spares
// prettier from resolving the name relative to whatever the working directory is.
const APEX_PLUGIN = require.resolve('prettier-plugin-apex');

async function optionsFor(file: string): Promise<prettier.Options> {
  const config = (await prettier.resolveConfig(file)) ?? {};
  return { ...config, filepath: file, plugins: [APEX_PLUGIN] };
}

/** prettier's parse errors do not say which file they are about. */
function namingFile(file: string): (err: unknown) => never {
  return (err) => {
    throw new Error(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  };
}

/** The files whose content differs from what prettier-plugin-apex would write. */
export async function unformattedApexFiles(files: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const file of files) {
    const source = fs.readFileSync(file, 'utf8');
    if (!(await prettier.check(source, await optionsFor(file)).catch(namingFile(file)))) out.push(file);
  }
  return out;
}

/** Rewrites the files prettier-plugin-apex would change; returns those it changed. */
export async function formatApexFiles(files: readonly string[]): Promise<string[]> {
  const changed: string[] = [];
  for (const file of files) {
    const source = fs.readFileSync(file, 'utf8');
    const formatted = await prettier.format(source, await optionsFor(file)).catch(namingFile(file));
    if (formatted !== source) {
      fs.writeFileSync(file, formatted);
      changed.push(file);
    }
  }
  return changed;
}
