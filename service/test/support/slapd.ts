/**
 * An OpenLDAP slapd of a test's own: a generated slapd.conf in a temporary directory (schemas core, cosine,
 * inetorgperson from Debian's /etc/ldap/schema, one mdb database, the sssvlv overlay for server-side sort and
 * VLV, equality/substring indexes on the attributes phones search), listening on a free loopback port, run in
 * the foreground as a child process and killed afterwards. ldapsearch (ldap-utils) is the real client tests
 * read it with.
 *
 *   const reason = slapdUnavailable();
 *   if (reason) console.log(`skipped: ${reason}`);
 *   const slapd = await startSlapd();
 *   await slapd.ldapsearch(['-b', slapd.suffix, '(cn=Mül*)']);
 *   await slapd.stop(); await slapd.wipe(); await slapd.start(); await slapd.destroy();
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const SLAPD = process.env.SLAPD_BIN ?? '/usr/sbin/slapd';
const SCHEMA_DIR = process.env.LDAP_SCHEMA_DIR ?? '/etc/ldap/schema';
const MODULE_DIR = process.env.LDAP_MODULE_DIR ?? '/usr/lib/ldap';

export interface Slapd {
  /** ldap://127.0.0.1:<port> */
  url: string;
  port: number;
  /** The database's suffix (dc=example,dc=com); the suffix entry itself is not created. */
  suffix: string;
  rootDn: string;
  rootPassword: string;
  readonly running: boolean;
  start(): Promise<void>;
  /** SIGTERM, then waits for the process to end. */
  stop(): Promise<void>;
  /** Deletes the database's files (call while stopped): the next start serves an empty database. */
  wipe(): void;
  destroy(): Promise<void>;
  /**
   * Runs ldapsearch bound as the root DN against this server with `args` appended (LDIF output, no line
   * wrapping); resolves with stdout. A non-zero exit rejects with stderr.
   */
  ldapsearch(args: string[], options?: { anonymous?: boolean }): Promise<string>;
  /**
   * ldapsearch with a VLV request (`-E vlv=…`, with `-E sss=…`): the first window's LDIF and its result
   * comments (`# sortResult`, `# vlvResultpos`). ldapsearch then asks on stdin for the next window and fails
   * on end of input, so its exit status is not the search's: the result comments are.
   */
  ldapsearchFirstWindow(args: string[]): Promise<string>;
}

function which(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, binary))) return join(dir, binary);
  }
  return undefined;
}

/** Why no private slapd can run here (Debian packages slapd and ldap-utils), or undefined when one can. */
export function slapdUnavailable(): string | undefined {
  if (!existsSync(SLAPD)) return `${SLAPD} is missing (apt-get install slapd, or set SLAPD_BIN)`;
  if (!which('ldapsearch')) return 'ldapsearch is missing (apt-get install ldap-utils)';
  for (const schema of ['core', 'cosine', 'inetorgperson']) {
    if (!existsSync(join(SCHEMA_DIR, `${schema}.schema`))) return `${SCHEMA_DIR}/${schema}.schema is missing`;
  }
  for (const module of ['back_mdb', 'sssvlv']) {
    if (!existsSync(join(MODULE_DIR, `${module}.so`))) return `${MODULE_DIR}/${module}.so is missing`;
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function configProblem(conf: string): Promise<string> {
  try {
    await run(SLAPD, ['-T', 'test', '-f', conf], { timeout: 20_000 });
    return 'slaptest finds the configuration fine (port taken?)';
  } catch (err) {
    return String((err as { stderr?: string }).stderr ?? err).trim();
  }
}

/**
 * Debian's core.schema with an ORDERING rule on sn and givenName. Stock OpenLDAP has none on any name
 * attribute, so Poly's ordering filters ((givenName>=Ryan)) match nothing and server-side sort on them
 * fails with "No ordering rule"; the README tells admins to make the same change. (cn is built into
 * slapd: sort on it names the rule in the sort key, as in `sss=cn:caseIgnoreOrderingMatch`.)
 */
export function coreSchemaWithOrdering(core: string): string {
  return core.replace(
    /(NAME \( '(?:sn|givenName)' [^\n]*\n(?:[^\n]*\n)*?)(\s+SUP name \))/g,
    (_m, head, sup) => `${head}\tORDERING caseIgnoreOrderingMatch\n${sup.replace(/^\n/, '')}`,
  );
}

function slapdConf(dir: string, suffix: string, rootDn: string, rootPassword: string): string {
  return [
    `include ${join(dir, 'core.schema')}`,
    ...['cosine', 'inetorgperson'].map((s) => `include ${join(SCHEMA_DIR, `${s}.schema`)}`),
    `pidfile ${join(dir, 'slapd.pid')}`,
    `modulepath ${MODULE_DIR}`,
    'moduleload back_mdb',
    'moduleload sssvlv',
    // Phones search without binding (Yealink, Snom and Gigaset default to anonymous): everyone reads.
    'access to * by * read',
    'database mdb',
    `suffix "${suffix}"`,
    `rootdn "${rootDn}"`,
    `rootpw ${rootPassword}`,
    `directory ${join(dir, 'data')}`,
    'maxsize 1073741824',
    'dbnosync',
    'index objectClass eq',
    'index uid eq',
    'index cn,sn,givenName,displayName eq,sub',
    'index telephoneNumber,mobile,homePhone eq,sub',
    // Server-side sort and VLV (Poly's corporate directory pages through a sorted list).
    'overlay sssvlv',
    // Each phone (and each test's ldapsearch) keeps a sort context open while it pages; the default allows few.
    'sssvlv-max 64',
    'sssvlv-maxperconn 16',
    '',
  ].join('\n');
}

export async function startSlapd(): Promise<Slapd> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-slapd-'));
  const port = await freePort();
  const suffix = 'dc=example,dc=com';
  const rootDn = `cn=admin,${suffix}`;
  const rootPassword = 'slapd-test-secret';
  const conf = join(dir, 'slapd.conf');
  writeFileSync(
    join(dir, 'core.schema'),
    coreSchemaWithOrdering(readFileSync(join(SCHEMA_DIR, 'core.schema'), 'utf8')),
  );
  writeFileSync(conf, slapdConf(dir, suffix, rootDn, rootPassword));
  const url = `ldap://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let output = '';

  const slapd: Slapd = {
    url,
    port,
    suffix,
    rootDn,
    rootPassword,
    get running() {
      return child !== undefined;
    },
    async start() {
      if (child) return;
      mkdirSync(join(dir, 'data'), { recursive: true });
      output = '';
      // -d 0: stay in the foreground (so killing the child ends the server) without debug output.
      const proc = spawn(SLAPD, ['-d', '0', '-h', `${url}/`, '-f', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
      proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      let exited = false;
      proc.once('exit', () => {
        exited = true;
        if (child === proc) child = undefined;
      });
      child = proc;
      const deadline = Date.now() + 20_000;
      while (!(await accepts(port))) {
        // -d 0 prints no configuration errors: slaptest (the same binary) says what is wrong.
        if (exited) throw new Error(`slapd exited at start: ${output.trim() || (await configProblem(conf))}`);
        if (Date.now() > deadline) {
          proc.kill('SIGKILL');
          throw new Error(`slapd did not listen on ${url} within 20 s: ${output.trim()}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      const proc = child;
      if (!proc) return;
      const ended = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await ended;
      clearTimeout(timer);
      child = undefined;
    },
    wipe() {
      if (child) throw new Error('wipe() needs a stopped slapd');
      rmSync(join(dir, 'data'), { recursive: true, force: true });
    },
    async destroy() {
      await slapd.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
    async ldapsearch(args, options = {}) {
      const bind = options.anonymous ? [] : ['-D', rootDn, '-w', rootPassword];
      const { stdout } = await run('ldapsearch', ['-x', '-LLL', '-o', 'ldif-wrap=no', '-H', url, ...bind, ...args], {
        timeout: 30_000,
        maxBuffer: 256 * 1024 * 1024,
      });
      return stdout;
    },
    async ldapsearchFirstWindow(args) {
      // stdin at end of input at once (a pipe left open would keep it waiting for the prompt's answer).
      const proc = spawn('ldapsearch', ['-x', '-LL', '-o', 'ldif-wrap=no', '-H', url, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 30_000,
      });
      let stdout = '';
      proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      await new Promise((resolve) => proc.once('close', resolve));
      const end = stdout.indexOf('Press [');
      return end < 0 ? stdout : stdout.slice(0, end);
    },
  };
  try {
    await slapd.start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return slapd;
}

/** One entry of ldapsearch's LDIF output: its DN and each attribute's values (base64 values decoded). */
export interface LdifEntry {
  dn: string;
  attributes: Record<string, string[]>;
}

/** Parses `ldapsearch -LLL -o ldif-wrap=no` output (attribute names as the server spells them). */
export function parseLdif(text: string): LdifEntry[] {
  const entries: LdifEntry[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    if (lines.length === 0) continue;
    let dn = '';
    const attributes: Record<string, string[]> = {};
    for (const line of lines) {
      const match = /^([^:]+)(::?) ?(.*)$/.exec(line);
      if (!match) continue;
      const [, name, sep, raw] = match;
      const value = sep === '::' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
      if (name === 'dn') dn = value;
      else (attributes[name] ??= []).push(value);
    }
    if (dn) entries.push({ dn, attributes }); // blocks without a DN: the `version: 1` header
  }
  return entries;
}
