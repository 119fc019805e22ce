/**
 * The seeded bad-input corpus (issue 12, item 7): requests to every REST route that takes input, each bad
 * by construction (one to three mutations of a valid request), so each must be refused with a 4xx. Used by
 * test/http/api-fuzz.test.ts and by the chaos trials (service/bench/chaos), which send it while syncing.
 */
export type Rand = () => number;
const pick = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() * list.length)];

const LIMITS: Record<string, number> = { firstName: 40, lastName: 80, company: 255, title: 128, email: 80 };
const TEXT_FIELDS = Object.keys(LIMITS);

/** A string that no field may hold: NUL, lone surrogates, or longer than the limit in UTF-16 units. */
function badText(r: Rand, limit = 40): string {
  const word = pick(r, ['Ada', 'Grace', 'x', 'Müller', '李', '']);
  switch (Math.floor(r() * 5)) {
    case 0:
      return `${word}\u0000${word}`;
    case 1:
      return `${word}${pick(r, ['\uD800', '\uDBFF', '\uD83D'])}`;
    case 2:
      return `${pick(r, ['\uDC00', '\uDFFF', '\uDE00'])}${word}`;
    case 3:
      // Emoji: within the limit in code points, over it in UTF-16 units.
      return '\u{1F600}'.repeat(Math.floor(limit / 2) + 1 + Math.floor(r() * 3));
    default:
      return `${word}${'y'.repeat(limit + 1 + Math.floor(r() * 50))}`;
  }
}

function badPhone(r: Rand): string {
  const base = pick(r, ['+1 415 555 0100', '(415) 555-2671', '415.555.2671', '+44 20 7946 0958']);
  const junk = pick(r, [
    '; DROP TABLE x',
    '<script>alert(1)</script>',
    ' \u{1F4DE}',
    ` x${'9'.repeat(11 + Math.floor(r() * 10))}`,
    ` ext. ${'1'.repeat(11 + Math.floor(r() * 10))}`,
    '\u0000',
    '\uD800',
    ' call me',
    "' OR 1=1 --",
    '%00',
  ]);
  return r() < 0.2 ? pick(r, ['', '   ', '12', 'abc', junk.trim() || 'x']) : `${base}${junk}`;
}

const WRONG_TYPES: unknown[] = [42, true, [], ['a'], { a: 1 }, -1, 1.5];

export interface Case {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
  /** The contact the route is about; a refusal must name it. */
  record?: string;
  /** The strings submitted: none may appear in the log. */
  values: string[];
}

function mutateContactBody(r: Rand, patch: boolean): { body: unknown; values: string[] } {
  const body: Record<string, unknown> = { lastName: 'Fuzz', phones: [{ kind: 'work', number: '(415) 555-2671' }] };
  const values: string[] = [];
  const mutations = 1 + Math.floor(r() * 3);
  for (let i = 0; i < mutations; i++) {
    const kind = Math.floor(r() * 8);
    if (kind <= 2) {
      const field = pick(r, TEXT_FIELDS);
      const v = badText(r, LIMITS[field]);
      body[field] = v;
      values.push(v);
    } else if (kind === 3) {
      const v = badPhone(r);
      body.phones = [{ kind: pick(r, ['work', 'mobile', 'home']), number: v }];
      values.push(v);
    } else if (kind === 4) {
      const field = pick(r, [...TEXT_FIELDS, 'phones', 'version']);
      const wrong = pick(r, WRONG_TYPES);
      // An empty list is a valid phones value (no numbers): it would make the case a good request.
      body[field] = field === 'phones' && Array.isArray(wrong) && wrong.length === 0 ? 'not a list' : wrong;
    } else if (kind === 5) {
      body[pick(r, ['nickname', 'id', '__proto__x', 'Phone', 'createdAt'])] = 'unknown';
    } else if (kind === 6) {
      body.phones = pick(r, [
        [{ kind: 'fax', number: '(415) 555-2671' }],
        [{ kind: 'work' }],
        [{ kind: 'work', number: '(415) 555-2671', ext: '1' }],
        [
          { kind: 'work', number: '(415) 555-2671' },
          { kind: 'work', number: '(415) 555-2672' },
        ],
        'not a list',
      ]);
    } else {
      // The whole body is wrong: empty (a PATCH with nothing to change), or not an object.
      return { body: pick(r, patch ? [{}, [], 'text', 7, null] : [{}, [], 'text', 7]), values };
    }
  }
  if (patch && r() < 0.3) body.version = pick(r, [0, -3, 'one', 1.5]);
  return { body, values };
}

/**
 * A call report with one to three fields made invalid (issue 15's intake). Unknown fields are not among the
 * mutations: PBX tools send more than the contract names, and the intake ignores what it does not know.
 */
function mutateCallReport(r: Rand): { path: string; body: unknown; values: string[] } {
  const path = pick(r, [
    '/api/v1/calls',
    '/api/v1/calls',
    '/api/v1/calls',
    '/api/v1/calls/freeswitch',
    '/api/v1/calls/kamailio',
    '/api/v1/calls/asterisk',
    '/api/v1/calls/3cx',
  ]);
  if (path !== '/api/v1/calls') {
    // The PBX formats: bodies that hold none of what a call needs, or not an object at all.
    return {
      path,
      body: pick(r, [
        {},
        { variables: { uuid: 'x' } },
        { method: 'INVITE' },
        { Event: 'Cdr' },
        { CallType: 'Inbound', Number: '+14155552671', Agent: '[Agent]' },
        [],
        'cdr',
        7,
      ]),
      values: [],
    };
  }
  const body: Record<string, unknown> = {
    callId: 'fuzz-call',
    direction: 'inbound',
    from: '+1 415 555 2671',
    to: '201',
    startedAt: '2026-12-07T09:00:00Z',
    answeredAt: '2026-12-07T09:00:05Z',
    endedAt: '2026-12-07T09:01:05Z',
    disposition: 'answered',
  };
  const values: string[] = [];
  const mutations = 1 + Math.floor(r() * 3);
  for (let i = 0; i < mutations; i++) {
    const kind = Math.floor(r() * 9);
    if (kind === 0) body.callId = pick(r, ['', 'c'.repeat(256), 'a\u0000b', '\uD800call', 42]);
    else if (kind === 1) body.direction = pick(r, ['sideways', 'INBOUND', '', 7, null]);
    else if (kind === 2 || kind === 3) {
      const field = kind === 2 ? 'from' : 'to';
      const v = pick(r, ['<script>alert(1)</script>', "' OR 1=1 --", 'a\u0000b', '', 'x'.repeat(81)]);
      body[field] = v;
      if (v.length >= 6) values.push(v);
    } else if (kind === 4)
      body.startedAt = pick(r, ['yesterday', '2026-12-07 09:00', '2026-12-07T09:00:00', 1796634000, null]);
    else if (kind === 5) body.answeredAt = pick(r, ['2026-12-07T08:00:00Z', 'soon', 5]);
    else if (kind === 6) body.disposition = pick(r, ['ANSWERED', 'hung up', '', null]);
    else if (kind === 7) body.recordingUrl = pick(r, ['javascript:alert(1)', 'ftp://pbx/rec.wav', 'not a url', 9]);
    else return { path, body: pick(r, [[], 'text', 7, null, [body]]), values };
  }
  return { path, body, values };
}

export function makeCase(r: Rand, contactId: string, orgId: string): Case {
  const route = Math.floor(r() * 10);
  if (route === 9) return { method: 'post', ...mutateCallReport(r) };
  const junkId = pick(r, ['nope', '00000000-0000-4000-8000-00000000000Z', `${contactId}\u0000`, "1' OR '1'='1", '%F0']);
  if (route <= 1) {
    const { body, values } = mutateContactBody(r, false);
    return { method: 'post', path: '/api/v1/contacts', body, values };
  }
  if (route <= 3) {
    const { body, values } = mutateContactBody(r, true);
    return { method: 'patch', path: `/api/v1/contacts/${contactId}`, body, record: contactId, values };
  }
  if (route === 4) {
    const bad = pick(r, ['search', 'limit', 'after', 'unknown']);
    const value =
      bad === 'search'
        ? // A URL carries UTF-8, which has no lone surrogates (Node decodes their bytes to U+FFFD): not sent here.
          pick(r, [`${pick(r, ['Ada', '415', ''])}\u0000`, 'z'.repeat(101), '\u{1F600}'.repeat(51), ['a', 'b']])
        : bad === 'limit'
          ? pick(r, ['0', '501', 'abc', '-1', '1.5'])
          : bad === 'after'
            ? pick(r, ['nope', '\u0000', contactId.slice(1)])
            : 'x';
    return {
      method: 'get',
      path: '/api/v1/contacts',
      query: { [bad]: value },
      values: typeof value === 'string' && bad === 'search' ? [value] : [],
    };
  }
  if (route === 5) {
    const method = pick(r, ['get', 'get', 'delete'] as const);
    const suffix = method === 'get' ? pick(r, ['', '/health']) : '';
    return {
      method,
      path: `/api/v1/contacts/${encodeURIComponent(junkId)}${suffix}`,
      values: [],
    };
  }
  if (route === 6) {
    return {
      method: 'get',
      path: `/api/v1/orgs/${orgId}/health`,
      query: pick(r, [{ state: 'broken' }, { limit: '0' }, { limit: 'x' }, { colour: 'red' }, { state: '\u0000' }]),
      values: [],
    };
  }
  if (route === 8) {
    // The audit log's filters (GET /api/v1/audit).
    const query = pick(r, [
      { contactId: 'nope' },
      { contactId: `${contactId}\u0000` },
      { orgId: '\u0000' },
      { orgId: 'x'.repeat(65) },
      { origin: 'martian' },
      { action: '\u0000' },
      { action: 'x'.repeat(101) },
      { from: 'yesterday' },
      { to: '2024-13-45T00:00:00Z' },
      { limit: pick(r, ['0', '501', 'abc', '-1', '1.5']) },
      { cursor: pick(r, ['garbage', '\u0000', 'x'.repeat(201)]) },
      { colour: 'red' },
      { orgId: ['a', 'b'] },
    ]);
    return { method: 'get', path: '/api/v1/audit', query, values: [] };
  }
  const body = pick(r, [
    {},
    { command: 'reboot' },
    { command: '\u0000' },
    { command: 'syncRecords' },
    { command: 'syncRecords', recordIds: ['003\u0000'] },
    { command: 'syncRecords', recordIds: ['\uD800'.repeat(18)] },
    { command: 'pause', force: true },
    { command: 42 },
    [],
  ]);
  return { method: 'post', path: `/api/v1/orgs/${orgId}/commands`, body, values: [] };
}
