import type { EmuRequest, EmuResponse } from '../http-types.ts';
import { json } from '../http-types.ts';
import type { Org } from '../org.ts';
import { LATEST_VERSION } from '../rest/router.ts';
import { bearerToken } from '../auth.ts';
import { identityUrl } from './common.ts';

const badToken = (): EmuResponse => ({ status: 403, text: 'Bad_OAuth_Token', contentType: 'text/plain' });

function urls(org: Org, userId: string) {
  const data = `${org.url}/services/data/v{version}`;
  return {
    enterprise: `${org.url}/services/Soap/c/{version}/${org.id}`,
    metadata: `${org.url}/services/Soap/m/{version}/${org.id}`,
    partner: `${org.url}/services/Soap/u/{version}/${org.id}`,
    rest: `${data}/`,
    sobjects: `${data}/sobjects/`,
    search: `${data}/search/`,
    query: `${data}/query/`,
    recent: `${data}/recent/`,
    tooling_soap: `${org.url}/services/Soap/T/{version}/${org.id}`,
    tooling_rest: `${data}/tooling/`,
    profile: `${org.url}/${userId}`,
    feeds: `${data}/chatter/feeds`,
    groups: `${data}/chatter/groups`,
    users: `${data}/chatter/users`,
    feed_items: `${data}/chatter/feed-items`,
    feed_elements: `${data}/chatter/feed-elements`,
    custom_domain: org.url,
  };
}

function sessionUser(org: Org, req: EmuRequest) {
  const tokenValue = bearerToken(req) ?? req.query.get('oauth_token');
  const session = tokenValue ? org.sessions.use(tokenValue) : undefined;
  return session ? org.user(session.userId) : undefined;
}

/** `GET /id/{orgId}/{userId}`: the identity service a token's `id` URL points to. */
export function identity(org: Org, req: EmuRequest, orgId: string, userId: string): EmuResponse {
  const caller = sessionUser(org, req);
  const user = org.user(userId);
  if (!caller || !user || orgId !== org.id) return badToken();
  return json(200, {
    id: identityUrl(org, user.Id),
    asserted_user: caller.Id === user.Id,
    user_id: user.Id,
    organization_id: org.id,
    username: user.Username,
    nick_name: String(user.Alias ?? ''),
    display_name: user.Name,
    email: user.Email,
    email_verified: true,
    first_name: user.FirstName,
    last_name: user.LastName,
    timezone: user.TimeZoneSidKey,
    photos: { picture: `${org.url}/profilephoto/005/F`, thumbnail: `${org.url}/profilephoto/005/T` },
    mobile_phone: user.MobilePhone ?? null,
    mobile_phone_verified: false,
    status: { created_date: null, body: null },
    urls: urls(org, user.Id),
    active: user.IsActive !== false,
    user_type: 'STANDARD',
    language: user.LanguageLocaleKey,
    locale: 'en_US',
    utcOffset: 3600000,
    last_modified_date: user.LastModifiedDate,
    is_app_installed: true,
  });
}

/** `GET /services/oauth2/userinfo`: the OpenID Connect view of the token's user. */
export function userinfo(org: Org, req: EmuRequest): EmuResponse {
  const user = sessionUser(org, req);
  if (!user) return badToken();
  return json(200, {
    sub: identityUrl(org, user.Id),
    user_id: user.Id,
    organization_id: org.id,
    preferred_username: user.Username,
    nickname: user.Alias,
    name: user.Name,
    email: user.Email,
    email_verified: true,
    given_name: user.FirstName,
    family_name: user.LastName,
    zoneinfo: user.TimeZoneSidKey,
    urls: Object.fromEntries(Object.entries(urls(org, user.Id)).map(([k, v]) => [k, v.replace('{version}', LATEST_VERSION)])),
    active: user.IsActive !== false,
    user_type: 'STANDARD',
    language: user.LanguageLocaleKey,
    locale: 'en_US',
    utcOffset: 3600000,
    updated_at: user.LastModifiedDate,
  });
}
