/**
 * A real SIP call through a real Kamailio that asks Switchboard for the caller's name, with SIPp as the
 * caller and the callee, all on loopback (issue 14: caller ID proven with real clients).
 *
 *   const proxy = await startKamailio({ dir, lookupUrl: `${base}/callerid/`, key, calleePort });
 *   const call = await placeCall({ dir, proxyPort: proxy.port, calleePort, caller: '+4930123456' });
 *   call.fromHeader   // the From header the callee received
 *
 * Kamailio (Debian `kamailio` + `kamailio-utils-modules` for http_client) runs in the foreground (-DD -E) as
 * a child process on a config generated into a temp dir (kamailioConfig below; the README's Kamailio snippet
 * is the same route, trimmed). SIPp (Debian `sip-tester`) plays both ends with the scenarios in
 * service/test/callerId/sipp/; the callee writes every message it gets to a file (-trace_msg), which is
 * where the display name is read. `missingSipTools()` says why the tests must skip on a machine without them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SCENARIOS = join(__dirname, '..', 'callerId', 'sipp');
const MODULE_DIRS = [
  '/usr/lib/x86_64-linux-gnu/kamailio/modules',
  '/usr/lib/aarch64-linux-gnu/kamailio/modules',
  '/usr/lib/kamailio/modules',
  '/usr/lib64/kamailio/modules',
];

const onPath = (binary: string) => spawnSync('sh', ['-c', `command -v ${binary}`]).status === 0;

/** Where Kamailio's modules are, with http_client among them; undefined when it is not installed. */
export function kamailioModuleDir(): string | undefined {
  return MODULE_DIRS.find((dir) => existsSync(join(dir, 'http_client.so')));
}

/** Why the SIP tests cannot run here (the missing binaries and the Debian packages that bring them), or undefined. */
export function missingSipTools(): string | undefined {
  const missing: string[] = [];
  if (!onPath('kamailio')) missing.push('kamailio (apt-get install kamailio kamailio-utils-modules)');
  else if (!kamailioModuleDir()) missing.push("Kamailio's http_client module (apt-get install kamailio-utils-modules)");
  if (!onPath('sipp')) missing.push('sipp (apt-get install sip-tester)');
  return missing.length > 0 ? missing.join(', ') : undefined;
}

/** A UDP port nobody uses right now on loopback. */
export async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export interface KamailioOptions {
  /** Where the config and runtime files go. */
  dir: string;
  /** The caller-ID URL the number is appended to, e.g. `http://127.0.0.1:3000/callerid/`. */
  lookupUrl: string;
  /** The access key (scope callerid). */
  key: string;
  /** Where calls go: the callee's UDP port on loopback. */
  calleePort: number;
  /** http_client's timeout for the whole lookup, in whole seconds (the module takes no less). */
  timeoutSeconds?: number;
}

/**
 * The proxy's config: on a new INVITE, take the transaction (t_newtran, so the INVITE's retransmissions do
 * not ask again while the lookup runs), ask Switchboard with the From user, and put a non-empty answer into
 * the From display name (quoted: the service's names hold no `"` or `\`); then relay to the callee. An
 * unknown caller, a refused connection or a timeout leaves the From as it came.
 */
export function kamailioConfig(options: KamailioOptions & { port: number; moduleDir: string }): string {
  return `#!KAMAILIO
debug=2
log_stderror=yes
children=1
disable_tcp=yes
auto_aliases=no
listen=udp:127.0.0.1:${options.port}
mpath="${options.moduleDir}/"

loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "uac.so"
loadmodule "http_client.so"

# The whole lookup (connect and answer) may take this many seconds; then the call goes on without a name.
modparam("http_client", "connection_timeout", ${options.timeoutSeconds ?? 1})
modparam("uac", "restore_mode", "none")

request_route {
  if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
  if (has_totag()) {
    if (loose_route()) { t_relay(); exit; }
    if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }
    sl_send_reply("404", "Not here");
    exit;
  }
  if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }
  if (is_method("INVITE")) {
    t_newtran();
    $var(name) = "";
    $var(code) = http_client_query("${options.lookupUrl}$(fU{s.escape.param})?key=${options.key}", "$var(name)");
    xlog("L_INFO", "switchboard caller-ID lookup: $var(code)\\n");
    if ($var(code) == 200 && $var(name) != "") {
      uac_replace_from("\\"$var(name)\\"", "$fu");
    }
    record_route();
  }
  $du = "sip:127.0.0.1:${options.calleePort}";
  t_relay();
  exit;
}
`;
}

export interface RunningKamailio {
  port: number;
  /** Everything Kamailio wrote (its log goes to stderr with -E). */
  log(): string;
  stop(): Promise<void>;
}

/** Waits until `check` holds, polling; fails naming `what` after `timeoutMs`. */
async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function untilAsync(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Whether some process holds this UDP port on loopback (binding it fails with EADDRINUSE). */
function udpPortTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = dgram.createSocket('udp4');
    probe.once('error', () => resolve(true));
    probe.bind(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function startKamailio(options: KamailioOptions): Promise<RunningKamailio> {
  const moduleDir = kamailioModuleDir();
  if (!moduleDir) throw new Error("Kamailio's http_client module is not installed");
  const port = await freeUdpPort();
  const config = join(options.dir, 'kamailio.cfg');
  writeFileSync(config, kamailioConfig({ ...options, port, moduleDir }));
  // -Y: runtime files in the temp dir, not /run/kamailio (several proxies run side by side).
  const child = spawn('kamailio', ['-DD', '-E', '-f', config, '-Y', options.dir, '-w', options.dir], {
    cwd: options.dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    // The UDP socket is bound once the receive buffer is probed: datagrams sent from then on wait in it.
    await until(() => /SO_RCVBUF is finally/.test(output) || child.exitCode !== null, 'Kamailio to listen');
    if (child.exitCode !== null) throw new Error(`Kamailio exited (${child.exitCode}):\n${output.slice(-2000)}`);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { port, log: () => output, stop: () => stopChild(child) };
}

interface Finished {
  code: number | null;
  output: string;
}

function runSipp(args: string[], cwd: string): { done: Promise<Finished>; child: ChildProcess } {
  const child = spawn('sipp', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<Finished>((resolve) => child.once('exit', (code) => resolve({ code, output })));
  return { done, child };
}

export interface CallOptions {
  dir: string;
  proxyPort: number;
  calleePort: number;
  /** The calling number: the From user, and the From display name as the caller sends it. */
  caller: string;
  /** SIPp's own limit for the whole call (a stuck call fails the test instead of hanging it). */
  timeoutSeconds?: number;
}

export interface CallResult {
  /** The From header of the INVITE the callee received. */
  fromHeader: string;
  /** Its display name, without the quotes; '' when there is none. */
  displayName: string;
  /** From sending the INVITE to the end of the call (BYE answered), in ms. */
  elapsedMs: number;
}

/** One call: the callee answers, the caller hangs up; both SIPp runs must succeed. */
export async function placeCall(options: CallOptions): Promise<CallResult> {
  const trace = join(options.dir, `callee-${options.calleePort}-${Date.now()}.log`);
  const limit = `${options.timeoutSeconds ?? 20}s`;
  const calleeArgs = ['-sf', join(SCENARIOS, 'uas.xml'), '-i', '127.0.0.1', '-p', String(options.calleePort)];
  const callee = runSipp(
    [...calleeArgs, '-m', '1', '-nostdin', '-timeout', limit, '-trace_msg', '-message_file', trace],
    options.dir,
  );
  try {
    // The callee listens once its port can no longer be bound by anyone else.
    await untilAsync(
      async () => (await udpPortTaken(options.calleePort)) || callee.child.exitCode !== null,
      'the SIPp callee to listen',
    );
    if (callee.child.exitCode !== null)
      throw new Error(`the SIPp callee exited:\n${(await callee.done).output.slice(-3000)}`);
    const callerPort = await freeUdpPort();
    const started = performance.now();
    const caller = await runSipp(
      [
        '-sf',
        join(SCENARIOS, 'uac.xml'),
        '-i',
        '127.0.0.1',
        '-p',
        String(callerPort),
        '-key',
        'caller',
        options.caller,
        '-m',
        '1',
        '-nostdin',
        '-timeout',
        limit,
        `127.0.0.1:${options.proxyPort}`,
      ],
      options.dir,
    ).done;
    const elapsedMs = performance.now() - started;
    if (caller.code !== 0) throw new Error(`the SIPp caller failed (${caller.code}):\n${caller.output.slice(-3000)}`);
    const answered = await callee.done;
    if (answered.code !== 0)
      throw new Error(`the SIPp callee failed (${answered.code}):\n${answered.output.slice(-3000)}`);
    const messages = readFileSync(trace, 'utf8');
    const invite = messages.slice(messages.indexOf('INVITE sip:'));
    const fromHeader = /^From:\s*(.*)$/m.exec(invite)?.[1]?.trim() ?? '';
    const displayName = /^"((?:[^"\\]|\\.)*)"/.exec(fromHeader)?.[1] ?? /^([^<]*)</.exec(fromHeader)?.[1]?.trim() ?? '';
    return { fromHeader, displayName, elapsedMs };
  } finally {
    await stopChild(callee.child);
  }
}
