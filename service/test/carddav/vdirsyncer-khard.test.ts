/**
 * CardDAV with real clients (issue 14 item 4): Debian's vdirsyncer discovers the address book from the server's root
 * (PROPFIND, /.well-known/carddav, current-user-principal, addressbook-home-set) and syncs it into a folder; khard
 * reads that folder (python vobject) and lists the contacts with their numbers; a card rewritten in the folder and
 * synced back reaches the directory and, through write-back, the emulated org. Every command runs with HOME and the
 * XDG folders in a temp dir, so nothing touches the machine's own configuration.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, linkedContactId, startStack, uiCreate, type Stack } from '../support/harness';
import { getContact } from '../../src/directory/contacts';

const VDIRSYNCER = '/usr/bin/vdirsyncer';
const KHARD = '/usr/bin/khard';
const missing = [VDIRSYNCER, KHARD].filter((bin) => !existsSync(bin));
if (missing.length > 0) {
  console.warn(
    `SKIPPING the vdirsyncer/khard CardDAV tests: ${missing.join(', ')} missing (apt-get install vdirsyncer khard).`,
  );
}
const describeWithClients = missing.length === 0 ? describe : describe.skip;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let stack: Stack;
let dir = '';
let env: NodeJS.ProcessEnv = {};

/** A client command with the test's private HOME/XDG folders; `input` answers its questions. */
function run(command: string, args: string[], input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function vdirsyncer(...args: string[]): Promise<Run> {
  const result = await run(VDIRSYNCER, ['-c', join(dir, 'vdirsyncer.conf'), ...args], 'y\n'.repeat(20));
  if (result.code !== 0)
    throw new Error(`vdirsyncer ${args.join(' ')} failed (${result.code}):\n${result.stderr}${result.stdout}`);
  return result;
}

async function khard(...args: string[]): Promise<string> {
  const result = await run(KHARD, ['-c', join(dir, 'khard.conf'), ...args]);
  if (result.code !== 0)
    throw new Error(`khard ${args.join(' ')} failed (${result.code}):\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

const folder = () => join(dir, 'contacts', 'directory');

describeWithClients('vdirsyncer and khard against the service (Debian clients, org emulator)', () => {
  let veraRecord = '';
  let veraContact = '';

  beforeAll(async () => {
    stack = await startStack();
    dir = mkdtempSync(join(tmpdir(), 'switchboard-carddav-'));
    for (const sub of ['home', 'config', 'data', 'cache', 'status', 'contacts']) mkdirSync(join(dir, sub));
    env = {
      PATH: process.env.PATH,
      HOME: join(dir, 'home'),
      XDG_CONFIG_HOME: join(dir, 'config'),
      XDG_DATA_HOME: join(dir, 'data'),
      XDG_CACHE_HOME: join(dir, 'cache'),
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      EDITOR: '/bin/true',
    };
    veraRecord = uiCreate(stack, 'Contact', {
      FirstName: 'Vera',
      LastName: 'Müller',
      Title: 'Buyer',
      Email: 'vera@example.com',
      Phone: '(415) 555-0170',
      MobilePhone: '+1 212 555 0171',
    });
    veraContact = await linkedContactId(stack, veraRecord);
    const created = await stack.api('POST', '/access-keys', { name: 'vdirsyncer', scope: ['carddav'] });
    expect(created.status).toBe(201);
    writeFileSync(
      join(dir, 'vdirsyncer.conf'),
      [
        '[general]',
        `status_path = "${join(dir, 'status')}/"`,
        '',
        '[pair switchboard]',
        'a = "switchboard_remote"',
        'b = "switchboard_local"',
        'collections = ["from a"]',
        '',
        '[storage switchboard_remote]',
        'type = "carddav"',
        // The server's root: vdirsyncer must discover the book itself (.well-known, principal, home set).
        `url = "${stack.service.url}/"`,
        'username = "khard"',
        `password = "${created.body.key as string}"`,
        '',
        '[storage switchboard_local]',
        'type = "filesystem"',
        `path = "${join(dir, 'contacts')}/"`,
        'fileext = ".vcf"',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'khard.conf'),
      [
        '[addressbooks]',
        '[[directory]]',
        `path = ${folder()}/`,
        '',
        '[general]',
        'debug = no',
        'default_action = list',
        'editor = /bin/true',
        'merge_editor = /bin/true',
        '',
        '[contact table]',
        'display = first_name',
        'group_by_addressbook = no',
        'reverse = no',
        'show_nicknames = no',
        'show_uids = yes',
        'sort = last_name',
        'localize_dates = yes',
        'preferred_phone_number_type = pref, cell, home',
        'preferred_email_address_type = pref, work, home',
        '',
        '[vcard]',
        'private_objects = ,',
        'preferred_version = 3.0',
        'search_in_source_files = no',
        'skip_unparsable = no',
        '',
      ].join('\n'),
    );
  }, 300_000);

  afterAll(async () => {
    await stack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('discovers the address book from the server root and syncs every contact into the folder', async () => {
    const discovered = await vdirsyncer('discover', 'switchboard');
    expect(discovered.stdout + discovered.stderr).toMatch(/directory/);
    await vdirsyncer('sync');
    const files = readdirSync(folder()).filter((f) => f.endsWith('.vcf'));
    const contacts = Number((await stack.api('GET', '/contacts?limit=1')).body.total);
    expect(files).toHaveLength(contacts);
    expect(files).toContain(`${veraContact}.vcf`);
  }, 300_000);

  it('khard lists the synced contacts with their numbers', async () => {
    const list = await khard('list');
    expect(list).toContain('Vera');
    expect(list).toContain('Müller');
    const phones = (await khard('phone', '--parsable'))
      .split('\n')
      .filter((line) => line.includes('Vera'))
      .map((line) => line.split('\t'));
    expect(phones.map(([number, , type]) => [number, type?.toLowerCase()]).sort()).toEqual(
      [
        ['+12125550171', 'cell'],
        ['+14155550170', 'work, voice'],
      ].sort(),
    );
  }, 300_000);

  it('an edit made in the synced folder and synced back reaches the directory and the emulated org', async () => {
    const file = join(folder(), `${veraContact}.vcf`);
    const edited = readFileSync(file, 'utf8')
      .replace(/^TITLE:.*$/m, 'TITLE:Head of purchasing')
      .replace(/^TEL;TYPE=CELL:.*$/m, 'TEL;TYPE=CELL:+1 212 555 0199');
    expect(edited).toContain('TITLE:Head of purchasing');
    writeFileSync(file, edited);
    await vdirsyncer('sync');

    const contact = await eventually(
      async () => {
        const c = await getContact(stack.db, veraContact);
        return c?.title === 'Head of purchasing' ? c : undefined;
      },
      'the edit in the directory',
      60_000,
    );
    expect(contact.phones.find((p) => p.kind === 'mobile')?.e164).toBe('+12125550199');
    expect(contact.phones.find((p) => p.kind === 'work')?.raw).toBe('(415) 555-0170');

    const record = await eventually(
      () => {
        const r = stack.emulator.org.store.get('Contact', veraRecord);
        return r?.Title === 'Head of purchasing' && String(r?.MobilePhone).replace(/\D/g, '').endsWith('2125550199')
          ? r
          : undefined;
      },
      'the write-back to the emulated org',
      90_000,
    );
    // The work number did not change: the org keeps it as it was typed there.
    expect(record.Phone).toBe('(415) 555-0170');

    // The next sync brings the card as the directory now serves it; khard shows the new number.
    await vdirsyncer('sync');
    const phones = await khard('phone', '--parsable');
    expect(phones).toContain('+12125550199');
  }, 300_000);

  it('a card made in the folder is created in the directory and the org, and stays one card at its name', async () => {
    const file = join(folder(), 'made-in-khard.vcf');
    writeFileSync(
      file,
      [
        'BEGIN:VCARD',
        'VERSION:3.0',
        'UID:made-in-khard-1',
        'FN:Nora Neumann',
        'N:Neumann;Nora;;;',
        'ORG:Neumann AG',
        'TEL;TYPE=WORK,VOICE:+49 30 1234567',
        'END:VCARD',
        '',
      ].join('\r\n'),
    );
    await vdirsyncer('sync');
    const { contacts } = (await stack.api('GET', '/contacts?search=Neumann')).body as {
      contacts: Array<{ id: string }>;
    };
    expect(contacts).toHaveLength(1);
    const nora = await getContact(stack.db, contacts[0]?.id ?? '');
    expect(nora?.phones.map((p) => [p.kind, p.e164])).toEqual([['work', '+49301234567']]);
    const record = await eventually(
      () => [...stack.emulator.org.store.scan('Contact')].find((r) => r.LastName === 'Neumann'),
      'the create in the emulated org',
      90_000,
    );
    expect(record.FirstName).toBe('Nora');

    // Synced again (twice: the second proves it settled), the card stays where the client put it, with its UID.
    await vdirsyncer('sync');
    await vdirsyncer('sync');
    const files = readdirSync(folder()).filter(
      (f) => f.includes('made-in-khard') || readFileSync(join(folder(), f), 'utf8').includes('Neumann'),
    );
    expect(files).toEqual(['made-in-khard.vcf']);
    expect(readFileSync(file, 'utf8')).toContain('UID:made-in-khard-1');
    expect((await stack.api('GET', '/contacts?search=Neumann')).body.contacts).toHaveLength(1);
    expect(await khard('list')).toContain('Neumann');
  }, 300_000);
});
