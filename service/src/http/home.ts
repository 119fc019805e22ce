import type { RequestHandler } from 'express';
import { html } from './html';
import type { OrgStatus } from '../runtime/orgStatus';

export interface HomeInfo {
  demo: boolean;
  publicUrl: string;
  orgs(): OrgStatus[];
  contactCount(): Promise<number>;
}

const STATE_LABEL: Record<OrgStatus['subscriber'], string> = {
  idle: 'not started',
  connecting: 'connecting',
  subscribed: 'listening for changes',
  waiting: 'reconnecting',
  stopped: 'stopped',
};

/**
 * The first page a person sees. It says plainly whether this is the demo org and how to connect a real
 * one; it shows no contact data (that needs the API token).
 */
export function homePage(info: HomeInfo): RequestHandler {
  return async (_req, res) => {
    const count = await info.contactCount();
    const orgs = info.orgs();
    const banner = info.demo
      ? html`<section class="banner demo" role="status">
          <h2>Demo org</h2>
          <p>
            This Switchboard is connected to a <strong>demo Salesforce org</strong> running in the built-in emulator,
            seeded with sample Contacts, Leads and Person Accounts. Nothing here touches a real org.
          </p>
          <p>
            To connect a real org, stop the service, set <code>SF_LOGIN_URL</code>, <code>SF_CLIENT_ID</code> and
            <code>SF_CLIENT_SECRET</code> (or <code>SF_AUTH_FLOW=jwt</code> with <code>SF_USERNAME</code> and
            <code>SF_PRIVATE_KEY_FILE</code>) and <code>DATABASE_URL</code>, then start it again. The README lists every
            setting.
          </p>
        </section>`
      : html``;
    const rows = orgs.map(
      (o) =>
        html`<tr>
          <td>${o.name}</td>
          <td>${o.organizationId ?? '—'}</td>
          <td>${STATE_LABEL[o.subscriber]}</td>
          <td>${o.lastEventAt ?? 'none yet'}</td>
          <td>${o.health.inSync}</td>
          <td>${o.health.excluded}</td>
          <td>${o.health.failing}</td>
          <td>${o.health.ignored}</td>
          <td>${o.lastError ?? ''}</td>
        </tr>`,
    );
    const page = html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>Switchboard${info.demo ? ' (demo org)' : ''}</title>
          <style>
            body {
              font:
                15px/1.5 system-ui,
                sans-serif;
              margin: 2rem auto;
              max-width: 60rem;
              padding: 0 1rem;
              color: #181818;
            }
            .banner {
              border-left: 6px solid #fe9339;
              background: #fff4e8;
              padding: 0.5rem 1rem;
              margin: 1rem 0;
            }
            table {
              border-collapse: collapse;
              width: 100%;
            }
            th,
            td {
              text-align: left;
              padding: 0.35rem 0.5rem;
              border-bottom: 1px solid #ddd;
            }
            code {
              background: #f3f3f3;
              padding: 0 0.25rem;
            }
          </style>
        </head>
        <body>
          <header>
            <h1>Switchboard</h1>
            <p>Salesforce Contacts, Leads and Person Accounts and the phone directory, kept as one list.</p>
          </header>
          <main>
            ${banner}
            <section aria-labelledby="orgs-heading">
              <h2 id="orgs-heading">Salesforce orgs</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Org id</th>
                    <th scope="col">Change stream</th>
                    <th scope="col">Last change</th>
                    <th scope="col">In sync</th>
                    <th scope="col">Excluded</th>
                    <th scope="col">Failing</th>
                    <th scope="col">Ignored</th>
                    <th scope="col">Last error</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows}
                </tbody>
              </table>
              <p>
                Why a record is excluded or failing:
                <code>GET ${info.publicUrl}/api/v1/orgs/&lt;org id&gt;/health?state=excluded</code> (or
                <code>failing</code>), and per contact
                <code>GET ${info.publicUrl}/api/v1/contacts/&lt;id&gt;/health</code>.
              </p>
            </section>
            <section aria-labelledby="dir-heading">
              <h2 id="dir-heading">Directory</h2>
              <p>
                ${count} contacts. Phone clients read and edit them through the REST API at
                <code>${info.publicUrl}/api/v1/contacts</code> with
                <code>Authorization: Bearer &lt;API token&gt;</code>.
              </p>
            </section>
          </main>
        </body>
      </html>`;
    res.type('html').send(page.value);
  };
}
