import type { Request, RequestHandler, Response } from 'express';
import { sendSfError } from '../http/context';
import type { EmulatedOrg, HttpFaultKind } from '../org/org';
import { sendRequestLimitExceeded } from './errors';

const DEFERRED_LOCK = 'deferredLockFault';

/** sObject Collections writes report a lock per record instead of failing the whole request. */
const isCollectionWrite = (req: Request): boolean =>
  req.method !== 'GET' && /^\/composite\/sobjects\/?$/.test(req.path);

/**
 * Fails API requests as the org's fault settings say: first the next `failNextRequests` requests
 * (taking `errorKinds` in turn, so a test knows which comes), then a random `errorRate` share.
 * UNABLE_TO_LOCK_ROW on a collection write is left to the route, which fails every record.
 */
export function injectFaults(org: EmulatedOrg, random: () => number = Math.random): RequestHandler {
  // The turn restarts whenever a test sets new settings, so the first failure is always errorKinds[0].
  let turn = 0;
  let left: { failNextRequests: number; errorKinds: HttpFaultKind[] } | undefined;
  const pick = (): HttpFaultKind | undefined => {
    const { faults } = org;
    if (faults.errorKinds.length === 0) return undefined;
    if (faults.failNextRequests > 0) {
      if (left?.failNextRequests !== faults.failNextRequests || left.errorKinds !== faults.errorKinds) turn = 0;
      faults.failNextRequests--;
      left = { failNextRequests: faults.failNextRequests, errorKinds: faults.errorKinds };
      return faults.errorKinds[turn++ % faults.errorKinds.length];
    }
    if (faults.errorRate > 0 && random() < faults.errorRate) {
      return faults.errorKinds[Math.floor(random() * faults.errorKinds.length) % faults.errorKinds.length];
    }
    return undefined;
  };
  return (req, res, next) => {
    const fault = pick();
    switch (fault) {
      case undefined:
        next();
        return;
      case '503':
        sendSfError(
          res,
          503,
          'SERVER_UNAVAILABLE',
          'Server temporarily unavailable (fault injected by the org emulator)',
        );
        return;
      case 'REQUEST_LIMIT_EXCEEDED':
        sendRequestLimitExceeded(res);
        return;
      case 'timeout':
        loseTheAnswer(req, res);
        next();
        return;
      case 'UNABLE_TO_LOCK_ROW':
        if (isCollectionWrite(req)) {
          res.locals[DEFERRED_LOCK] = true;
          next();
          return;
        }
        sendSfError(res, 400, 'UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record');
        return;
    }
  };
}

/** How long a request whose answer is lost keeps its connection before the cut. */
const TIMEOUT_CUT_MS = 1_000;

/**
 * The route runs (a write commits), but nothing of its answer is sent: after a pause the connection is
 * destroyed, so the client sees a reset and cannot tell whether the write happened — the case that makes
 * a retried create a duplicate unless the client looks first.
 */
function loseTheAnswer(req: Request, res: Response): void {
  res.write = (() => true) as Response['write'];
  res.end = (() => {
    setTimeout(() => req.socket.destroy(), TIMEOUT_CUT_MS);
    return res;
  }) as Response['end'];
}

/** True once when this request carries an injected lock fault for the route to report per record. */
export function takeDeferredLockFault(res: Response): boolean {
  const deferred = res.locals[DEFERRED_LOCK] === true;
  res.locals[DEFERRED_LOCK] = false;
  return deferred;
}
