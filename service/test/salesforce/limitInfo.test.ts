import { Connection } from 'jsforce';
import { observedApiUsage } from '../../src/salesforce/limitInfo';

describe('observedApiUsage', () => {
  it('is undefined until a response has reported the usage, then what the latest one said', () => {
    const conn = new Connection({ instanceUrl: 'https://example.my.salesforce.com', accessToken: 'token' });
    expect(observedApiUsage(conn)).toBeUndefined();
    conn.limitInfo = { apiUsage: { used: 120, limit: 15000 } };
    expect(observedApiUsage(conn)).toEqual({ used: 120, limit: 15000 });
  });
});
