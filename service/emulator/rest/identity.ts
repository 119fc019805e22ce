import type { EmulatedOrg } from '../org/org';
import type { SfRecord } from '../org/store';

/** The identity URL Salesforce hands out with every token: `<login url>/id/<org id>/<user id>`. */
export function identityUrl(baseUrl: string, org: EmulatedOrg, userId: string): string {
  return `${baseUrl}/id/${org.organizationId}/${userId}`;
}

function serviceUrls(baseUrl: string, org: EmulatedOrg, userId: string): Record<string, string> {
  const api = (path: string): string => `${baseUrl}/services/data/v{version}/${path}`;
  return {
    enterprise: `${baseUrl}/services/Soap/c/{version}/${org.organizationId.slice(0, 15)}`,
    metadata: `${baseUrl}/services/Soap/m/{version}/${org.organizationId.slice(0, 15)}`,
    partner: `${baseUrl}/services/Soap/u/{version}/${org.organizationId.slice(0, 15)}`,
    rest: `${baseUrl}/services/data/v{version}/`,
    sobjects: api('sobjects/'),
    search: api('search/'),
    query: api('query/'),
    recent: api('recent/'),
    tooling_soap: `${baseUrl}/services/Soap/T/{version}/${org.organizationId.slice(0, 15)}`,
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

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** OpenID Connect userinfo (`/services/oauth2/userinfo`). */
export function userInfoBody(baseUrl: string, org: EmulatedOrg, user: SfRecord): Record<string, unknown> {
  return {
    sub: identityUrl(baseUrl, org, user.Id),
    user_id: user.Id,
    organization_id: org.organizationId,
    preferred_username: user.Username,
    nickname: text(user.Username)?.split('@')[0] ?? null,
    name: user.Name,
    email: user.Email,
    email_verified: true,
    given_name: user.FirstName,
    family_name: user.LastName,
    zoneinfo: 'America/Los_Angeles',
    photos: { picture: `${baseUrl}/img/userprofile/default_profile_200_v2.png`, thumbnail: `${baseUrl}/img/userprofile/default_profile_45_v2.png` },
    profile: `${baseUrl}/${user.Id}`,
    picture: `${baseUrl}/img/userprofile/default_profile_200_v2.png`,
    address: {},
    is_salesforce_integration_user: org.integrationUserIds.has(user.Id),
    urls: serviceUrls(baseUrl, org, user.Id),
    active: user.IsActive === true,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
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
    nick_name: text(user.Username)?.split('@')[0] ?? null,
    display_name: user.Name,
    email: user.Email,
    email_verified: true,
    first_name: user.FirstName,
    last_name: user.LastName,
    timezone: 'America/Los_Angeles',
    mobile_phone: user.MobilePhone,
    mobile_phone_verified: false,
    status: { created_date: null, body: null },
    urls: serviceUrls(baseUrl, org, user.Id),
    active: user.IsActive === true,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
    last_modified_date: user.LastModifiedDate,
    is_app_installed: true,
  };
}
