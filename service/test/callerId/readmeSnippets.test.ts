import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kamailioConfig } from '../support/sipCall';

/**
 * The README's Kamailio snippets are the routes the real-call tests prove, trimmed: the lines that do the
 * lookup (callerId/kamailio.test.ts) and the call reporting (calls/kamailioAcc.test.ts) must be the same, with
 * the README's placeholder host and key.
 */
const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
const sectionOf = (title: string) =>
  readme.slice(readme.indexOf(title), readme.indexOf('\n## ', readme.indexOf(title) + 1));
const section = sectionOf('## Caller ID');
const withoutComment = (line: string) => line.replace(/#.*$/, '').trim();

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
    const documented = section.split('\n').map(withoutComment);
    for (const line of tested) expect(documented).toContain(withoutComment(line));
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

describe('README: Calls snippets', () => {
  it('has the Kamailio call-reporting lines the real-call test runs', () => {
    const tested = kamailioConfig({
      dir: '/tmp',
      reportUrl: 'https://switchboard.example.com/api/v1/calls/kamailio?key=sbk_…',
      calleePort: 5070,
      port: 5060,
      moduleDir: '/usr/lib/kamailio/modules',
    })
      .split('\n')
      .map(withoutComment)
      .filter((line) => /acc|mq_|rtimer|setflag|shv|http_client_query|!= 400|record_route/.test(line));
    expect(tested.length).toBeGreaterThanOrEqual(20);
    const documented = sectionOf('## Calls').split('\n').map(withoutComment);
    for (const line of tested) expect(documented).toContain(line);
  });
});
