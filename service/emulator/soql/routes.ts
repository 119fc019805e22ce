import express, { type Request, type Response } from 'express';
import { apiVersionOf, sendSfError } from '../http/context';
import type { EmulatedOrg } from '../org/org';
import { compileSoql } from './compile';
import { QueryCursors, type QueryCursor } from './cursors';
import { restRecordShaper, type RestRecord } from './rest-records';
import { QueryResults } from './results';
import { sendQueryError } from './send-error';

/** REST query batches: 2,000 by default; Sforce-Query-Options batchSize may ask for 200..2,000. */
export const DEFAULT_BATCH_SIZE = 2000;
const MIN_BATCH_SIZE = 200;

interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: RestRecord[];
}

/**
 * `GET query?q=`, `GET queryAll?q=` (deleted records too) and `GET query/<locator>-<position>`
 * (the `nextRecordsUrl` continuation). Mount on the authenticated `/services/data/vXX.X/` router.
 */
export function queryRouter(org: EmulatedOrg): express.Router {
  const router = express.Router();
  const cursors = new QueryCursors(org.orgNumber);

  const start = (includeDeleted: boolean) => (req: Request, res: Response) => {
    try {
      const q = typeof req.query.q === 'string' ? req.query.q : '';
      if (q.trim() === '') {
        sendSfError(res, 400, 'MALFORMED_QUERY', 'A query string must be provided in the q parameter');
        return;
      }
      const query = compileSoql(q, { personAccounts: org.store.personAccounts });
      const results = new QueryResults(org.store, query, includeDeleted);
      if (query.count) {
        res.json({ totalSize: results.total(), done: true, records: [] } satisfies QueryPage);
        return;
      }
      const cursor = cursors.add({
        results,
        totalSize: 0,
        batchSize: batchSizeOf(req),
        shape: restRecordShaper(org.store, query, apiVersionOf(req)),
      });
      const records = takeBatch(cursor);
      // Counting needs a second walk only when the first batch did not already reach the end.
      cursor.totalSize = results.hasMore() ? results.total() : results.position;
      res.json(pageOf(req, cursor, records, includeDeleted ? 'queryAll' : 'query', cursors));
    } catch (err) {
      sendQueryError(res, err);
    }
  };

  const more = (endpoint: 'query' | 'queryAll') => (req: Request, res: Response) => {
    try {
      const locator = String(req.params.locator);
      const dash = locator.lastIndexOf('-');
      const cursor = dash > 0 ? cursors.get(locator.slice(0, dash)) : undefined;
      const position = Number(locator.slice(dash + 1));
      if (!cursor || !Number.isInteger(position) || position < 0) {
        sendSfError(res, 400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
        return;
      }
      cursor.results.seek(position);
      res.json(pageOf(req, cursor, takeBatch(cursor), endpoint, cursors));
    } catch (err) {
      sendQueryError(res, err);
    }
  };

  router.get('/query', start(false));
  router.get('/queryAll', start(true));
  router.get('/query/:locator', more('query'));
  router.get('/queryAll/:locator', more('queryAll'));
  return router;
}

function takeBatch(cursor: QueryCursor): RestRecord[] {
  const { results } = cursor;
  const records: RestRecord[] = [];
  while (records.length < cursor.batchSize) {
    const record = results.next();
    if (!record) break;
    records.push(cursor.shape(record, results.parents));
  }
  return records;
}

function pageOf(
  req: Request,
  cursor: QueryCursor,
  records: RestRecord[],
  endpoint: 'query' | 'queryAll',
  cursors: QueryCursors,
): QueryPage {
  if (!cursor.results.hasMore()) {
    cursors.close(cursor.id);
    return { totalSize: cursor.totalSize, done: true, records };
  }
  const nextRecordsUrl = `/services/data/v${apiVersionOf(req)}/${endpoint}/${cursor.id}-${cursor.results.position}`;
  return { totalSize: cursor.totalSize, done: false, nextRecordsUrl, records };
}

function batchSizeOf(req: Request): number {
  const match = /batchSize\s*=\s*(\d+)/i.exec(req.get('Sforce-Query-Options') ?? '');
  if (!match) return DEFAULT_BATCH_SIZE;
  // The platform treats the size as a hint; out-of-range values are brought into range.
  return Math.min(DEFAULT_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Number(match[1])));
}
