import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { AUTH, useApiHarness } from '../support/api-harness';
import { createAccessKey } from '../../src/deviceAccess/accessKeys';
import { upsertOrg } from '../../src/store/state/orgs';
import { createLink } from '../../src/store/state/links';
import { TEMPLATE, reportCallBody, reportCallScenario, reportCallUrl } from '../support/threeCxReportCall';

/**
 * docs/3cx/switchboard.xml against the running service, read the way 3CX reads a CRM template: each
 * scenario's Url with its [placeholders] filled in, the JSON answer's Rules (Any: the path has a value;
 * Number: the path holds the number as searched) and Variables (dot paths, numeric parts index arrays); and
 * the ReportCall scenario (call journaling) as the POST 3CX makes after a call.
 */

interface Scenario {
  '@_Id': string;
  Request: { '@_Url': string; '@_ResponseType': string };
  Rules: { Rule: Array<{ '@_Type': string; '#text': string }> };
  Variables: { Variable: Array<{ '@_Name': string; '@_Path': string }> };
  Outputs: { Output: Array<{ '@_Type': string; '@_Value': string }> };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  isArray: (name) => ['Scenario', 'Rule', 'Variable', 'Output', 'Parameter'].includes(name),
});
const crm = parser.parse(readFileSync(TEMPLATE, 'utf8')).Crm as {
  Parameters: { Parameter: Array<{ '@_Name': string }> };
  Scenarios: { Scenario: Scenario[] };
};
const scenario = (id: string) => {
  const found = crm.Scenarios.Scenario.find((s) => s['@_Id'] === id);
  if (!found) throw new Error(`the template has no scenario "${id}"`);
  return found;
};

/** A 3CX variable path: `contact.phones.0.e164`. */
function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => {
    if (node === null || node === undefined) return undefined;
    return (node as Record<string, unknown>)[part];
  }, value);
}

describe('the 3CX CRM template (docs/3cx/switchboard.xml)', () => {
  const api = useApiHarness();
  let key = '';
  let contactId = '';

  beforeEach(async () => {
    key = (await createAccessKey(api.db, { name: '3cx', scopes: ['callerid', 'calls'] })).key;
    const contact = await api.seed({
      firstName: 'Anna',
      lastName: 'Müller',
      company: 'ACME',
      email: 'anna@example.com',
      phones: [{ kind: 'work', raw: '+49 30 123456', e164: '+4930123456', extension: null }],
    });
    contactId = contact.id;
    await upsertOrg(api.db, {
      id: 'emea',
      name: 'EMEA',
      loginUrl: 'https://login.example.com',
      instanceUrl: 'https://emea.my.salesforce.com',
    });
    await createLink(api.db, { orgId: 'emea', contactId, sobject: 'Contact', recordId: '003000000000001AAA' });
  });

  /** The scenario's request as 3CX sends it: placeholders replaced as given (3CX does not escape a +). */
  async function run(s: Scenario, values: Record<string, string>): Promise<unknown> {
    const url = s.Request['@_Url'].replace(/\[(\w+)\]/g, (_m, name: string) => values[name] ?? `[${name}]`);
    expect(url).not.toMatch(/\[\w+\]/);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    return response.json();
  }

  const settings = () => ({ ServerUrl: api.plainUrl, AccessKey: key });

  it('declares the parameters its URLs use and answers JSON', () => {
    expect(crm.Parameters.Parameter.map((p) => p['@_Name'])).toEqual(['ServerUrl', 'AccessKey', 'ReportCallEnabled']);
    for (const s of crm.Scenarios.Scenario) expect(s.Request['@_ResponseType']).toBe('Json');
  });

  it('looks a caller up by number: the Any and Number rules hold, the variables carry the contact and its record URL', async () => {
    const lookup = scenario('');
    for (const searched of ['+4930123456', '004930123456']) {
      const answer = await run(lookup, { ...settings(), Number: searched });
      for (const rule of lookup.Rules.Rule) {
        if (rule['@_Type'] === 'Any') expect(at(answer, rule['#text'])).toBeTruthy();
        if (rule['@_Type'] === 'Number') expect(at(answer, rule['#text'])).toBe(searched);
      }
      const variables = Object.fromEntries(
        lookup.Variables.Variable.map((v) => [v['@_Name'], at(answer, v['@_Path'])]),
      );
      expect(variables).toEqual({
        ContactID: contactId,
        FirstName: 'Anna',
        LastName: 'Müller',
        CompanyName: 'ACME',
        Email: 'anna@example.com',
        SearchedNumber: searched,
        RecordUrl: 'https://emea.my.salesforce.com/lightning/r/Contact/003000000000001AAA/view',
      });
    }
    // Every output names only variables the scenario defines.
    const names = new Set(lookup.Variables.Variable.map((v) => v['@_Name']));
    for (const output of lookup.Outputs.Output) {
      for (const [, name] of output['@_Value'].matchAll(/\[(\w+)\]/g)) expect(names).toContain(name);
    }
  });

  it('finds no match for an unknown number (the Any rule fails), without an error', async () => {
    const lookup = scenario('');
    const answer = await run(lookup, { ...settings(), Number: '+4930999999' });
    const any = lookup.Rules.Rule.find((r) => r['@_Type'] === 'Any');
    expect(at(answer, any?.['#text'] ?? '')).toBeFalsy();
  });

  it('looks a contact up by email', async () => {
    const byEmail = scenario('LookupByEmail');
    const answer = await run(byEmail, { ...settings(), Email: 'Anna@Example.com' });
    const variables = Object.fromEntries(byEmail.Variables.Variable.map((v) => [v['@_Name'], at(answer, v['@_Path'])]));
    expect(variables).toMatchObject({ ContactID: contactId, LastName: 'Müller', PhoneBusiness: '+4930123456' });
    expect(at(await run(byEmail, { ...settings(), Email: 'nobody@example.com' }), 'contact.id')).toBeUndefined();
  });

  it('journals a call (ReportCall): 202, listed with its contact, and a retry is the same call', async () => {
    const journal = reportCallScenario();
    expect(journal.Request).toMatchObject({
      '@_RequestType': 'Post',
      '@_RequestEncoding': 'Json',
      '@_SkipIf': '[ReportCallEnabled]!=True',
    });
    // Every variable the body names is one 3CX fills, by 3CX's own name.
    for (const value of journal.Request.PostValues.Value) expect(value['#text']).toBe(`[${value['@_Key']}]`);
    const start = Date.UTC(2026, 11, 7, 9, 0, 0);
    const body = reportCallBody({
      CallType: 'Inbound',
      Number: '+4930123456',
      Agent: '201',
      Duration: '00:01:00',
      CallStartTimeUTCMillis: String(start),
      CallEstablishedTimeUTCMillis: String(start + 5_000),
      CallEndTimeUTCMillis: String(start + 65_000),
      EntityId: contactId,
    });
    const send = () =>
      fetch(reportCallUrl(settings()), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const first = await send();
    expect(first.status).toBe(202);
    const receipt = (await first.json()) as { id: string; callId: string };
    expect(receipt.callId).toMatch(/^3cx-/);
    expect(((await (await send()).json()) as { id: string }).id).toBe(receipt.id);

    const listed = await fetch(`${api.plainUrl}/api/v1/calls`, { headers: AUTH });
    const { calls } = (await listed.json()) as { calls: Array<Record<string, unknown>> };
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      id: receipt.id,
      source: '3cx',
      direction: 'inbound',
      extension: '201',
      disposition: 'answered',
      durationSeconds: 60,
      contactId,
      records: [{ orgId: 'emea', sobject: 'Contact', recordId: '003000000000001AAA', ownerId: null }],
    });

    // A key without the calls scope may look callers up, not report calls.
    const lookupOnly = (await createAccessKey(api.db, { name: 'lookup', scopes: ['callerid'] })).key;
    const refused = await fetch(reportCallUrl({ ...settings(), AccessKey: lookupOnly }), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(refused.status).toBe(403);
  });
});
