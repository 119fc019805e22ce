import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kamailioConfig } from '../support/sipCall';

/**
 * The README's Kamailio snippet is the route kamailio.test.ts proves with a real call, trimmed: the lines that
 * do the lookup must be the same, with the README's placeholder host and key.
 */
const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
const section = readme.slice(
  readme.indexOf('## Caller ID'),
  readme.indexOf('\n## ', readme.indexOf('## Caller ID') + 1),
);

describe('README: Caller ID snippets', () => {
  it('has the Kamailio lookup lines the real-call test runs', () => {
    const tested = kamailioConfig({
      dir: '/tmp',
      lookupUrl: 'https://switchboard.example.com/callerid/',
      key: 'sbk_…',
      calleePort: 5070,
      port: 5060,
      moduleDir: '/usr/lib/kamailio/modules',
    })
      .split('\n')
      .map((line) => line.trim())
      .filter((line) =>
        /http_client_query|uac_replace_from|t_newtran|connection_timeout|restore_mode|record_route/.test(line),
      );
    expect(tested).toHaveLength(6);
    const documented = section.split('\n').map((line) => line.replace(/#.*$/, '').trim());
    for (const line of tested) expect(documented).toContain(line.replace(/#.*$/, '').trim());
  });

  it('names every PBX the issue asks snippets for, and the 3CX template file that exists', () => {
    for (const name of ['**Asterisk**', '**FreeSWITCH**', '**FreePBX CID Superfecta**', '**Kamailio**', '**3CX**']) {
      expect(section).toContain(name);
    }
    expect(section).toContain('Regular_Expressions_1');
    expect(section).toContain('CURLOPT(conntimeout)');
    expect(section).toContain('(docs/3cx/switchboard.xml)');
    expect(() => readFileSync(join(__dirname, '..', '..', '..', 'docs', '3cx', 'switchboard.xml'))).not.toThrow();
  });
});
