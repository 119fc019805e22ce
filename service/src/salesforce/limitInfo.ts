import type { DailyApiUsage } from './orgFigures';
import type { OrgConnection } from './session';

/**
 * The daily API usage the org's latest response reported (its `Sforce-Limit-Info` header, which jsforce
 * keeps as `limitInfo`): free to read, as fresh as the last call. undefined until a response has carried
 * it. GET /limits (orgFigures' dailyApiUsage) asks the org itself, at the cost of a request.
 */
export function observedApiUsage(conn: OrgConnection): DailyApiUsage | undefined {
  return conn.limitInfo?.apiUsage;
}
