import express, { type Request, type RequestHandler, type Response } from 'express';
import type { CountryCode } from 'libphonenumber-js/max';
import type { Logger } from '../log';
import type { Queryable } from '../store/types';
import { callerDetailByEmail, callerDetailByNumbers, callerNameByNumbers } from '../directory/callerIdLookup';
import { callerNumberOf } from './callerNumber';
import { callerNameOf, nameOptionsOf, type CallerNameOptions } from './callerName';
import { callerView, emptyView, type CallerView } from './callerView';

/**
 * Caller-ID lookup for PBXs (issue 14 item 2): `GET /callerid/<number>`, `GET /callerid?number=<number>`,
 * and for 3CX's CRM template also `?email=<email>`.
 *
 * Contract with PBXs: 200 `text/plain; charset=utf-8` with the display name alone; an empty body means
 * unknown. NO error text in any body, whatever the status: FreeSWITCH's mod_cidlookup shows up to 1 KB of
 * any body as the caller's name. So a bad number, an unknown one, a database outage and a lookup slower
 * than `timeoutMs` all answer an empty 200 (fail open: the phone rings with the number alone rather than
 * late), and the failure is logged once until a lookup succeeds again. JSON (`Accept: application/json` or
 * `?format=json`) answers the shape in callerView.ts, also 200 with a `status`.
 *
 * Contract with deviceAccess/: `authenticate` runs first (requireAccessKey with scope 'callerid' and
 * failure 'empty', so its refusals have no body either) and leaves the key's options on
 * `res.locals.accessKey.options` (nameOrder, maxLength, transliterate), read here per request.
 *
 * The number is read from the raw URL, not from express's parsed query: a form decoder turns `+` into a
 * space, and Kamailio's http_client sends `?number=+49…` unescaped. Read raw, `+` stays `+`; a leading
 * space (`%20`, or a proxy that decoded the form) is read as a `+` too (callerNumber.ts).
 */
export interface CallerIdRouteOptions {
  db: Queryable;
  logger: Logger;
  /** The country of national numbers (the service's DEFAULT_PHONE_COUNTRY). */
  defaultCountry: CountryCode;
  authenticate: RequestHandler;
  /** Longest a lookup may take before it answers empty (default 1000 ms, under every PBX's 1–3 s timeout). */
  timeoutMs?: number;
}

export const DEFAULT_LOOKUP_TIMEOUT_MS = 1000;
const MAX_EMAIL_LENGTH = 254;

type Asked = { kind: 'number'; text: string } | { kind: 'email'; text: string };

/** `%xx` decoded, `+` kept as it is; null for a malformed escape. */
function decodeRaw(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** The query parameters of the raw URL, first value of each, decoded without turning `+` into a space. */
function rawQuery(url: string): Map<string, string | null> {
  const params = new Map<string, string | null>();
  const at = url.indexOf('?');
  if (at < 0) return params;
  for (const pair of url.slice(at + 1).split('&')) {
    const eq = pair.indexOf('=');
    const name = decodeRaw(eq < 0 ? pair : pair.slice(0, eq));
    if (name === null || params.has(name)) continue;
    params.set(name, eq < 0 ? '' : decodeRaw(pair.slice(eq + 1)));
  }
  return params;
}

/** What the request asks about: the number in the path or in `number=`, or an `email=`; null for nothing usable. */
function askedOf(req: Request, query: Map<string, string | null>): Asked | null {
  const rawPath = req.path.replace(/^\/+/, '');
  if (rawPath !== '') {
    const text = decodeRaw(rawPath);
    return text === null ? null : { kind: 'number', text };
  }
  const number = query.get('number');
  if (number !== undefined) return number === null ? null : { kind: 'number', text: number };
  const email = query.get('email');
  if (email !== undefined && email !== null) return { kind: 'email', text: email };
  return null;
}

const looksLikeEmail = (text: string) => text.length <= MAX_EMAIL_LENGTH && /^[^\s@]+@[^\s@]+$/.test(text.trim());

function wantsJson(req: Request, query: Map<string, string | null>): boolean {
  if (query.get('format') === 'json') return true;
  return req.accepts(['text/plain', 'application/json']) === 'application/json';
}

function answer(res: Response, json: boolean, view: CallerView): void {
  res.set('Cache-Control', 'no-store');
  if (json) res.status(200).json(view);
  else res.status(200).type('text/plain; charset=utf-8').send(view.name);
}

/** Logs a failing lookup once, and once more when lookups work again: a PBX asks on every call. */
class FailOpenLog {
  private failing = false;
  constructor(private readonly logger: Logger) {}
  failed(reason: string): void {
    if (this.failing) return;
    this.failing = true;
    this.logger.warn({ reason }, 'caller-ID lookups fail open (empty name) until the directory answers again');
  }
  succeeded(): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.info('caller-ID lookups answer again');
  }
}

const TIMED_OUT = Symbol('timed out');

/** `work`'s result, or TIMED_OUT after `ms` (the work goes on and its result is dropped). */
async function within<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The error's name and message only: a driver error's properties could carry the statement's parameters. */
const reasonOf = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

export function callerIdRouter(options: CallerIdRouteOptions): express.Router {
  const { db, defaultCountry } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS;
  const failures = new FailOpenLog(options.logger);

  /** The view for what was asked, or null when nobody matches. */
  async function lookUp(asked: Asked, json: boolean, nameOptions: CallerNameOptions): Promise<CallerView | null> {
    if (asked.kind === 'email') {
      const detail = await callerDetailByEmail(db, asked.text);
      return detail && callerView(asked.text, detail, callerNameOf(detail, nameOptions));
    }
    const number = callerNumberOf(asked.text, defaultCountry);
    if (!number) return emptyView(asked.text, 'invalid');
    if (json) {
      const detail = await callerDetailByNumbers(db, number.candidates, number.extension);
      return detail && callerView(asked.text, detail, callerNameOf(detail, nameOptions));
    }
    const match = await callerNameByNumbers(db, number.candidates, number.extension);
    if (!match) return null;
    // The plain-text answer needs the name only; the rest of the view is never sent.
    return {
      ...emptyView(asked.text, 'unknown'),
      status: 'found',
      number: match.e164,
      name: callerNameOf(match, nameOptions),
    };
  }

  const handle: RequestHandler = (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.set('Allow', 'GET, HEAD').status(405).end();
      return;
    }
    const query = rawQuery(req.url);
    const json = wantsJson(req, query);
    const asked = askedOf(req, query);
    if (!asked || (asked.kind === 'email' && !looksLikeEmail(asked.text))) {
      answer(res, json, emptyView(asked?.text ?? '', 'invalid'));
      return;
    }
    const accessKey = res.locals.accessKey as { options?: unknown } | undefined;
    const nameOptions = nameOptionsOf(accessKey?.options);
    within(lookUp(asked, json, nameOptions), timeoutMs).then(
      (view) => {
        if (view === TIMED_OUT) {
          failures.failed(`no answer within ${timeoutMs} ms`);
          answer(res, json, emptyView(asked.text, 'unavailable'));
          return;
        }
        failures.succeeded();
        answer(res, json, view ?? emptyView(asked.text, 'unknown'));
      },
      (err: unknown) => {
        failures.failed(reasonOf(err));
        answer(res, json, emptyView(asked.text, 'unavailable'));
      },
    );
  };

  const router = express.Router();
  router.use('/callerid', options.authenticate, handle);
  return router;
}
