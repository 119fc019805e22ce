import type { RequestHandler } from 'express';
import { html } from './html';

export interface HomeInfo {
  demo: boolean;
  publicUrl: string;
  /** Whether the database answers; the page says so when it does not. */
  databaseUp(): Promise<boolean>;
}

/**
 * The first page a person sees, without signing in. It says plainly whether this is the demo org and how to
 * connect a real one, and where the API and the status are. It shows nothing about the orgs (ids, stream
 * state, counts, errors, which can carry internal addresses) and no contact data: those need the API token
 * (GET /api/v1/status), since anyone who can reach the port can read this page.
 */
export function homePage(info: HomeInfo): RequestHandler {
  return async (_req, res) => {
    // Without its database the page still answers, and says so: it is where a person looks first.
    const databaseUp = await info.databaseUp();
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
            ${
              !databaseUp
                ? html`<section class="banner" role="alert">
                  <h2>The database is unavailable</h2>
                  <p>
                    Switchboard cannot reach its database. Requests answer 503 and changes wait; syncing resumes and
                    catches up by itself when the database is back.
                  </p>
                </section>`
                : html``
            }
            <section aria-labelledby="api-heading">
              <h2 id="api-heading">API</h2>
              <p>
                Phone clients read and edit the directory through the REST API at
                <code>${info.publicUrl}/api/v1/contacts</code> with
                <code>Authorization: Bearer &lt;API token&gt;</code>.
              </p>
              <p>
                Each Salesforce org's change stream, last event and errors:
                <code>GET ${info.publicUrl}/api/v1/status</code>; why a record is excluded or failing:
                <code>GET ${info.publicUrl}/api/v1/orgs/&lt;org id&gt;/health</code> (both with the token).
              </p>
            </section>
          </main>
        </body>
      </html>`;
    res.type('html').send(page.value);
  };
}
