import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';

/**
 * The ReportCall scenario of docs/3cx/switchboard.xml, and the request 3CX makes from it: the Url and each
 * PostValues value with its [placeholders] filled in. A variable the test does not give is left as its own
 * text (`[Agent]`), as 3CX leaves a variable it could not fill.
 */
export const TEMPLATE = join(__dirname, '..', '..', '..', 'docs', '3cx', 'switchboard.xml');

interface ReportCallScenario {
  '@_Id': string;
  Request: {
    '@_Url': string;
    '@_SkipIf': string;
    '@_RequestType': string;
    '@_RequestEncoding': string;
    '@_ResponseType': string;
    PostValues: { Value: Array<{ '@_Key': string; '@_Type': string; '#text': string }> };
  };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  isArray: (name) => ['Scenario', 'Value'].includes(name),
});

export function reportCallScenario(): ReportCallScenario {
  const crm = parser.parse(readFileSync(TEMPLATE, 'utf8')).Crm as { Scenarios: { Scenario: ReportCallScenario[] } };
  const found = crm.Scenarios.Scenario.find((s) => s['@_Id'] === 'ReportCall');
  if (!found) throw new Error('the template has no ReportCall scenario');
  return found;
}

const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\[(\w+)\]/g, (whole, name: string) => values[name] ?? whole);

/** The JSON body 3CX POSTs for a call with these variables. */
export function reportCallBody(variables: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    reportCallScenario().Request.PostValues.Value.map((v) => [v['@_Key'], fill(v['#text'], variables)]),
  );
}

/** The URL 3CX POSTs it to, with the template's parameters. */
export function reportCallUrl(parameters: Record<string, string>): string {
  return fill(reportCallScenario().Request['@_Url'], parameters);
}
