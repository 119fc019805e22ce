import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { CountryCode } from 'libphonenumber-js/max';
import type { Logger } from 'pino';
import { directoryVersion } from '../directory/changes';
import { countPhoneBook } from '../directory/phoneBookReads';
import { isDatabaseUnavailable } from '../store/availability';
import { findPhoneBookByName } from '../store/phoneBooks';
import type { Queryable } from '../store/types';
import { unstorableTextReason } from '../model/text';
import { FORMAT_NAMES, FeedRequestError, type FeedRequest, type PhoneBookFormat } from './formats/format';
import { formatNamed as knownFormat } from './formats';
import { feedEtag, LastModifiedClock, noneMatchHits, notModifiedSince } from './conditional';
import { bookQueryOf, DEFAULT_FEED, e164With, feedEntries, feedOf, type FeedDefinition } from './feed';
import { UNREPLACED_SEARCH } from './searchText';

/**
 * `GET /phonebook/<format>` (and `/phonebook/grandstream[/<feed>]/phonebook.xml`: Grandstream appends `phonebook.xml`
 * to the path it is given): a phone book for desk phones, streamed from the database.
 *
 * Contract with deviceAccess/: `authenticate` (requireAccessKey, scope 'phonebook') runs after the format is known
 * and before anything is read; it takes the key from `?key=` or the HTTP Basic password and removes `key` from the
 * URL. The key given in the query is noted first, so the links a format writes (Cisco's soft keys) carry it back.
 *
 * Contract with formats/: see format.ts. The route parses nothing of a format's own parameters; it only treats a
 * search left as the literal `#SEARCH` as no search and ignores every parameter nobody reads (Cisco appends
 * `locale` and `name`).
 *
 * `?feed=<name>` picks a named feed (its selection and name options). The path must name the feed's format: a feed
 * is configured for one kind of phone, and a phone sent another format by mistake would show nothing useful, so a
 * mismatch is a 404 saying which URL serves it. Errors are short plain text (a phone shows or logs them as they are).
 */
export interface PhoneBookRouterOptions {
  /** Reads contacts, feeds and the directory's version; no transaction is held across pages. */
  db: Queryable;
  logger: Logger;
  authenticate: RequestHandler;
  /** The address phones reach the service at (PUBLIC_URL): the base of the links formats write. */
  publicUrl: string;
  defaultCountry: CountryCode;
  /** The formats served (default: formats/index.ts). */
  formatNamed?: (name: string) => PhoneBookFormat | undefined;
  /** Contacts per database query (default 500). */
  pageSize?: number;
}

/** Phones refresh on their own timer: keep a copy, but ask every time (an unchanged book then costs a 304). */
const CACHE_CONTROL = 'private, no-cache';
/** Body chunks are gathered up to this size before a write: one write per entry would be 100,000 writes. */
const WRITE_CHUNK = 16 * 1024;
const MAX_SEARCH_LENGTH = 100;

type Query = Record<string, string | undefined>;

/** The first value of each parameter (a repeated one is read as its first, as phones never repeat them). */
function flatQuery(query: unknown): Query {
  const flat: Query = {};
  for (const [name, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') flat[name] = first;
  }
  return flat;
}

function plain(res: Response, status: number, message: string): void {
  res.status(status).set('Cache-Control', 'no-store').type('text/plain; charset=utf-8').send(`${message}\n`);
}

class FeedHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The search typed, checked: a NUL or an overlong term is the phone's mistake, not a 500. */
function checkedSearch(request: FeedRequest): FeedRequest {
  const search = request.search?.trim() ?? null;
  if (search === null || search === '' || search.toUpperCase() === UNREPLACED_SEARCH) {
    return { ...request, search: null };
  }
  for (const [field, value] of [
    ['search', search],
    ['number', request.number],
  ] as const) {
    if (value === null) continue;
    const reason = unstorableTextReason(value);
    if (reason) throw new FeedRequestError(field, `${field}: ${reason}`);
    if (value.length > MAX_SEARCH_LENGTH) {
      throw new FeedRequestError(field, `${field}: must be at most ${MAX_SEARCH_LENGTH} characters`);
    }
  }
  return { ...request, search };
}

/** Strings gathered into chunks of about `size` characters, so the socket sees few large writes. */
async function* gathered(chunks: AsyncIterable<string>, size: number): AsyncGenerator<string> {
  let buffer = '';
  for await (const chunk of chunks) {
    buffer += chunk;
    if (buffer.length >= size) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer !== '') yield buffer;
}

export function phoneBookRouter(options: PhoneBookRouterOptions): express.Router {
  const { db, logger } = options;
  const formatNamed = options.formatNamed ?? knownFormat;
  const e164Of = e164With(options.defaultCountry);
  const clock = new LastModifiedClock();
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const router = express.Router();

  const resolveFormat: RequestHandler = (req, res, next) => {
    const name = req.params.format ?? 'grandstream';
    const format = typeof name === 'string' ? formatNamed(name) : undefined;
    if (!format) {
      plain(res, 404, `no phone-book format "${String(name).slice(0, 40)}"; formats: ${FORMAT_NAMES.join(', ')}`);
      return;
    }
    res.locals.phoneBookFormat = format;
    // Noted before authenticate takes `key` out of the URL: the links the format writes must carry it back.
    const key = flatQuery(req.query).key;
    if (key !== undefined && key !== '') res.locals.phoneBookKeyParam = key;
    next();
  };

  const serve = async (req: Request, res: Response): Promise<void> => {
    const format = res.locals.phoneBookFormat as PhoneBookFormat;
    const query = flatQuery(req.query);
    let feed: FeedDefinition = DEFAULT_FEED;
    // Grandstream appends `phonebook.xml` to its configured path, so a query cannot carry the feed: it is in the path.
    const pathFeed = typeof req.params.feed === 'string' ? req.params.feed : undefined;
    const feedName = (pathFeed ?? query.feed)?.trim();
    if (feedName) {
      const config = await findPhoneBookByName(db, feedName);
      if (!config) throw new FeedHttpError(404, `no phone book named "${feedName.slice(0, 80)}"`);
      feed = feedOf(config);
      if (feed.format !== format.name) {
        throw new FeedHttpError(
          404,
          `phone book "${config.name}" is served as ${feed.format}: /phonebook/${feed.format}?feed=${encodeURIComponent(config.name)}`,
        );
      }
    }
    const request = checkedSearch(format.parseRequest(query));
    const version = query.version?.trim();
    if (version !== undefined && version !== '' && version !== '3.0' && version !== '4.0') {
      throw new FeedRequestError('version', 'version: must be 3.0 or 4.0');
    }
    const vcardVersion = version === '3.0' || version === '4.0' ? version : feed.vcardVersion;
    const path =
      req.params.format !== undefined
        ? `/phonebook/${format.name}`
        : pathFeed !== undefined
          ? `/phonebook/grandstream/${encodeURIComponent(pathFeed)}/phonebook.xml`
          : '/phonebook/grandstream/phonebook.xml';
    const linkParams = new URLSearchParams();
    if (feedName && pathFeed === undefined) linkParams.set('feed', feedName);
    const keyParam = res.locals.phoneBookKeyParam as string | undefined;
    if (keyParam !== undefined) linkParams.set('key', keyParam);
    const baseUrl = `${publicUrl}${path}${linkParams.size > 0 ? `?${linkParams.toString()}` : ''}`;

    const slot = JSON.stringify([feed.id, feed.version, format.name, request, vcardVersion, baseUrl]);
    const etag = feedEtag([await directoryVersion(db), slot]);
    const lastModified = clock.lastModified(slot, etag);
    res.set({
      ETag: etag,
      'Last-Modified': new Date(lastModified).toUTCString(),
      'Cache-Control': CACHE_CONTROL,
      Vary: 'Authorization',
    });
    const noneMatch = req.get('if-none-match');
    const fresh =
      noneMatch !== undefined
        ? noneMatchHits(noneMatch, etag)
        : notModifiedSince(req.get('if-modified-since'), lastModified);
    if (fresh) {
      res.status(304).end();
      return;
    }
    res.type(format.contentType);
    if (req.method === 'HEAD') {
      res.status(200).end();
      return;
    }

    const bookQuery = bookQueryOf(feed, request, e164Of);
    const total = format.needsTotal ? await countPhoneBook(db, bookQuery) : null;
    const entries = feedEntries(db, feed, bookQuery, request, options.pageSize);
    const body = gathered(
      format.render(entries, { title: feed.title, request, total, baseUrl, vcardVersion }),
      WRITE_CHUNK,
    )[Symbol.asyncIterator]();
    // The first chunk is read before the status goes out: a database that fails on the first page is still a 503.
    const first = await body.next();
    res.status(200);
    const rest = async function* () {
      if (!first.done) yield first.value;
      for (;;) {
        const next = await body.next();
        if (next.done) return;
        yield next.value;
      }
    };
    try {
      // Readable.from + pipeline: the next page is read only as fast as the phone takes the bytes.
      await pipeline(Readable.from(rest(), { objectMode: false }), res);
    } catch (error) {
      // The status and part of the body are out: all that is left is to cut the connection (pipeline did).
      if (!res.writableFinished && !isPrematureClose(error)) {
        logger.warn({ format: format.name, err: summary(error) }, 'phone book stream failed');
      }
    }
  };

  const handle: RequestHandler = (req, res) => {
    serve(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof FeedHttpError) plain(res, error.status, error.message);
      else if (error instanceof FeedRequestError) plain(res, 400, error.message);
      else if (isDatabaseUnavailable(error)) {
        res.set('Retry-After', '5');
        plain(res, 503, 'the phone book is unavailable for a moment; try again shortly');
      } else {
        logger.error({ err: summary(error), path: req.path }, 'phone book failed');
        plain(res, 500, 'the phone book failed; see the service log');
      }
    });
  };

  router.get('/phonebook/grandstream/phonebook.xml', resolveFormat, options.authenticate, handle);
  router.get('/phonebook/grandstream/:feed/phonebook.xml', resolveFormat, options.authenticate, handle);
  router.get('/phonebook/:format', resolveFormat, options.authenticate, handle);
  return router;
}

function isPrematureClose(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'ERR_STREAM_PREMATURE_CLOSE';
}

/** The name and message only: a driver error's properties could hold the statement and its parameters. */
function summary(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}
