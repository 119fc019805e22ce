/**
 * A real SIP call through a real Kamailio that talks to Switchboard, with SIPp as the caller and the callee,
 * all on loopback: Kamailio asks for the caller's name (issue 14: caller ID proven with real clients) and/or
 * reports the call with acc_json (issue 15: a real call becomes a Task).
 *
 *   const proxy = await startKamailio({ dir, lookupUrl: `${base}/callerid/`, key, calleePort });
 *   const call = await placeCall({ dir, proxyPort: proxy.port, calleePort, caller: '+4930123456' });
 *   call.fromHeader   // the From header the callee received
 *
 * Kamailio (Debian `kamailio` + `kamailio-utils-modules` for http_client, `kamailio-extra-modules` for
 * acc_json) runs in the foreground (-DD -E) as a child process on a config generated into a temp dir
 * (kamailioConfig below; the README's Kamailio snippets are the same routes, trimmed). SIPp (Debian
 * `sip-tester`) plays both ends with the scenarios in service/test/callerId/sipp/; the callee writes every
 * message it gets to a file (-trace_msg), which is where the display name and the Call-ID are read.
 * `missingSipTools()` says why the tests must skip on a machine without them.
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

/** What the call reporting loads besides the proxy's own modules: acc_json is Debian's kamailio-extra-modules. */
const ACCOUNTING_MODULES = ['acc', 'acc_json', 'mqueue', 'rtimer'];

const onPath = (binary: string) => spawnSync('sh', ['-c', `command -v ${binary}`]).status === 0;

/** Where Kamailio's modules are, with http_client among them; undefined when it is not installed. */
export function kamailioModuleDir(): string | undefined {
  return MODULE_DIRS.find((dir) => existsSync(join(dir, 'http_client.so')));
}

/**
 * Why the SIP tests cannot run here (the missing binaries and the Debian packages that bring them), or undefined.
 * `accounting`: the call-reporting tests also need acc_json (mqueue, rtimer and acc come with kamailio).
 */
export function missingSipTools(needs: { accounting?: boolean } = {}): string | undefined {
  const missing: string[] = [];
  const moduleDir = kamailioModuleDir();
  if (!onPath('kamailio')) missing.push('kamailio (apt-get install kamailio kamailio-utils-modules)');
  else if (!moduleDir) missing.push("Kamailio's http_client module (apt-get install kamailio-utils-modules)");
  else if (needs.accounting && !ACCOUNTING_MODULES.every((module) => existsSync(join(moduleDir, `${module}.so`))))
    missing.push("Kamailio's acc_json module (apt-get install kamailio-extra-modules)");
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
  /** Caller ID: the URL the number is appended to, e.g. `http://127.0.0.1:3000/callerid/`; none, no lookup. */
  lookupUrl?: string;
  /** The lookup's access key (scope callerid). */
  key?: string;
  /** Where calls go: the callee's UDP port on loopback. */
  calleePort: number;
  /** http_client's timeout for the whole lookup or report, in whole seconds (the module takes no less). */
  timeoutSeconds?: number;
  /** Call reporting: where acc_json's records are POSTed, key included (`…/api/v1/calls/kamailio?key=…`). */
  reportUrl?: string;
}

/**
 * The proxy's config: it relays every call to the callee, and, each switched on by its option (the template's
 * `#!ifdef` blocks; those of features not asked for are left out, so the file holds only what runs):
 *
 * - caller ID (`lookupUrl`): on a new INVITE, takes the transaction (t_newtran, so the INVITE's
 *   retransmissions do not ask again while the lookup runs), asks Switchboard with the From user, and puts a
 *   non-empty answer into the From display name (quoted: the service's names hold no `"` or `\`). An unknown
 *   caller, a refused connection or a timeout leaves the From as it came.
 * - call reporting (`reportUrl`): acc_json accounts the INVITE (its 2xx; a failure through the missed-call
 *   flag) and the BYE, one JSON record each with the parties from `acc_extra`, into an mqueue; a timer process
 *   of its own POSTs them in order, so no SIP message waits on HTTP. A record the service did not take (not
 *   running, a 5xx, a wrong key) is sent again in the next round before any later one (an INVITE's record
 *   must come before its BYE's); one it refused (400) it keeps for an admin (GET /api/v1/call-rejects), so
 *   it is not sent again.
 */
export function kamailioConfig(options: KamailioOptions & { port: number; moduleDir: string }): string {
  if (options.lookupUrl !== undefined && !options.key) throw new Error('the caller-ID lookup needs its access key');
  const features = new Set<string>();
  if (options.lookupUrl !== undefined) features.add('WITH_CALLER_ID');
  if (options.reportUrl !== undefined) features.add('WITH_CALL_REPORTS');
  const template = `#!KAMAILIO
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
loadmodule "http_client.so"

# A lookup or a report may take this many seconds (connect and answer); then the call goes on without a name.
modparam("http_client", "connection_timeout", ${options.timeoutSeconds ?? 1})

#!ifdef WITH_CALLER_ID
loadmodule "uac.so"
modparam("uac", "restore_mode", "none")
#!endif

#!ifdef WITH_CALL_REPORTS
${ACCOUNTING_MODULES.map((module) => `loadmodule "${module}.so"`).join('\n')}
modparam("mqueue", "mqueue", "name=acc_records")
modparam("pv", "shvset", "acc_unsent=s:")   # the record being sent, until the service takes it
modparam("acc_json", "acc_output_mqueue", "acc_records")
modparam("acc_json", "acc_flag", 1)
modparam("acc_json", "acc_missed_flag", 2)
modparam("acc_json", "acc_extra", "src_user=$fU;dst_user=$rU")
modparam("acc_json", "acc_time_mode", 2)   # "time" in seconds with a fraction: talk time to the millisecond
modparam("rtimer", "timer", "name=acc_post;interval=1;mode=1")   # mode 1: a process of its own
modparam("rtimer", "exec", "timer=acc_post;route=POST_ACC")
#!endif

request_route {
  if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
  if (has_totag()) {
    if (loose_route()) {
#!ifdef WITH_CALL_REPORTS
      if (is_method("BYE")) { setflag(1); }   # the end of the call
#!endif
      t_relay();
      exit;
    }
    if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }
    sl_send_reply("404", "Not here");
    exit;
  }
  if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }
  if (is_method("INVITE")) {
#!ifdef WITH_CALLER_ID
    t_newtran();
    $var(name) = "";
    $var(code) = http_client_query("${options.lookupUrl ?? ''}$(fU{s.escape.param})?key=${options.key ?? ''}", "$var(name)");
    xlog("L_INFO", "switchboard caller-ID lookup: $var(code)\\n");
    if ($var(code) == 200 && $var(name) != "") {
      uac_replace_from("\\"$var(name)\\"", "$fu");
    }
#!endif
#!ifdef WITH_CALL_REPORTS
    setflag(1); setflag(2);   # account the answer, or a failure as a missed call
#!endif
    record_route();
  }
  $du = "sip:127.0.0.1:${options.calleePort}";
  t_relay();
  exit;
}

#!ifdef WITH_CALL_REPORTS
route[POST_ACC] {
  while ($shv(acc_unsent) != "" || mq_fetch("acc_records")) {
    if ($shv(acc_unsent) == "") { $shv(acc_unsent) = $mqv(acc_records); }
    $var(code) = http_client_query("${options.reportUrl ?? ''}", "$shv(acc_unsent)", "Content-Type: application/json", "$var(answer)");
    xlog("L_INFO", "switchboard call report: $var(code)\\n");
    if ($var(code) != 400 && ($var(code) < 200 || $var(code) > 299)) { return; }   # not taken: again next round
    $shv(acc_unsent) = "";
  }
}
#!endif
`;
  return template.replace(/^#!ifdef (\w+)\n([\s\S]*?)^#!endif\n/gm, (_block, name: string, body: string) =>
    features.has(name) ? body : '',
  );
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
  /** The called user: the request URI's and the To header's (default `callee`). */
  callee?: string;
  /** How long the caller stays on an answered call before it hangs up, in ms (default 0). */
  holdMs?: number;
  /** The callee is busy: it answers 486 instead of 200. */
  busy?: boolean;
  /** SIPp's own limit for the whole call (a stuck call fails the test instead of hanging it). */
  timeoutSeconds?: number;
}

export interface CallResult {
  /** The From header of the INVITE the callee received. */
  fromHeader: string;
  /** Its display name, without the quotes; '' when there is none. */
  displayName: string;
  /** Its Call-ID. */
  callId: string;
  /** From sending the INVITE to the end of the call (BYE answered), in ms. */
  elapsedMs: number;
}

/** One call: the callee answers, the caller hangs up (or the callee is busy); both SIPp runs must succeed. */
export async function placeCall(options: CallOptions): Promise<CallResult> {
  const trace = join(options.dir, `callee-${options.calleePort}-${Date.now()}.log`);
  const limit = `${options.timeoutSeconds ?? 20}s`;
  const scenario = join(SCENARIOS, options.busy ? 'uas-busy.xml' : 'uas.xml');
  const calleeArgs = ['-sf', scenario, '-i', '127.0.0.1', '-p', String(options.calleePort)];
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
        '-key',
        'callee',
        options.callee ?? 'callee',
        '-d',
        String(options.holdMs ?? 0),
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
    const callId = /^Call-ID:\s*(.*)$/im.exec(invite)?.[1]?.trim() ?? '';
    return { fromHeader, displayName, callId, elapsedMs };
  } finally {
    await stopChild(callee.child);
  }
}
