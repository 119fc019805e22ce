import type { EmulatedOrg } from '../org/org';
import type { SfRecord } from '../org/store';

/** The identity URL Salesforce hands out with every token: `<login url>/id/<org id>/<user id>`. */
export function identityUrl(baseUrl: string, org: EmulatedOrg, userId: string): string {
  return `${baseUrl}/id/${org.organizationId}/${userId}`;
}

function serviceUrls(baseUrl: string, org: EmulatedOrg, userId: string): Record<string, string> {
  const api = (path: string): string => `${baseUrl}/services/data/v{version}/${path}`;
  // SOAP endpoints end in the 15-character org id.
  const soap = (kind: string): string =>
    `${baseUrl}/services/Soap/${kind}/{version}/${org.organizationId.slice(0, 15)}`;
  return {
    enterprise: soap('c'),
    metadata: soap('m'),
    partner: soap('u'),
    rest: api(''),
    sobjects: api('sobjects/'),
    search: api('search/'),
    query: api('query/'),
    recent: api('recent/'),
    tooling_soap: soap('T'),
    tooling_rest: api('tooling/'),
    profile: `${baseUrl}/${userId}`,
    feeds: api('chatter/feeds'),
    groups: api('chatter/groups'),
    users: api('chatter/users'),
    feed_items: api('chatter/feed-items'),
    feed_elements: api('chatter/feed-elements'),
    custom_domain: baseUrl,
  };
}

/** The part of the username before the @, which both endpoints offer as a nickname. */
function nicknameOf(user: SfRecord): string | null {
  return typeof user.Username === 'string' ? user.Username.split('@')[0] : null;
}

const TIME_ZONE = 'America/Los_Angeles';
const PICTURE_PATH = '/img/userprofile/default_profile_200_v2.png';

/** The user's service URLs, status and locale, alike in userinfo and the identity service. */
function accountFields(baseUrl: string, org: EmulatedOrg, user: SfRecord): Record<string, unknown> {
  return {
    urls: serviceUrls(baseUrl, org, user.Id),
    active: user.IsActive === true,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
  };
}

/** OpenID Connect userinfo (`/services/oauth2/userinfo`). */
export function userInfoBody(baseUrl: string, org: EmulatedOrg, user: SfRecord): Record<string, unknown> {
  return {
    sub: identityUrl(baseUrl, org, user.Id),
    user_id: user.Id,
    organization_id: org.organizationId,
    preferred_username: user.Username,
    nickname: nicknameOf(user),
    name: user.Name,
    email: user.Email,
    email_verified: true,
    given_name: user.FirstName,
    family_name: user.LastName,
    zoneinfo: TIME_ZONE,
    photos: { picture: `${baseUrl}${PICTURE_PATH}`, thumbnail: `${baseUrl}/img/userprofile/default_profile_45_v2.png` },
    profile: `${baseUrl}/${user.Id}`,
    picture: `${baseUrl}${PICTURE_PATH}`,
    address: {},
    is_salesforce_integration_user: org.integrationUserIds.has(user.Id),
    ...accountFields(baseUrl, org, user),
    updated_at: user.LastModifiedDate,
    is_app_installed: true,
  };
}

/** The identity service (`/id/<org id>/<user id>`), which jsforce's `conn.identity()` reads. */
export function identityBody(baseUrl: string, org: EmulatedOrg, user: SfRecord): Record<string, unknown> {
  return {
    id: identityUrl(baseUrl, org, user.Id),
    asserted_user: true,
    user_id: user.Id,
    organization_id: org.organizationId,
    username: user.Username,
    nick_name: nicknameOf(user),
    display_name: user.Name,
    email: user.Email,
    email_verified: true,
    first_name: user.FirstName,
    last_name: user.LastName,
    timezone: TIME_ZONE,
    mobile_phone: user.MobilePhone,
    mobile_phone_verified: false,
    status: { created_date: null, body: null },
    ...accountFields(baseUrl, org, user),
    last_modified_date: user.LastModifiedDate,
    is_app_installed: true,
  };
}
