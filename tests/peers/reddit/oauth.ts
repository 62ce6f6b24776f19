/**
 * The peer's OAuth half, as www.reddit.com does it for a script app: `POST
 * /api/v1/access_token` with HTTP Basic client credentials, the `password` and
 * `client_credentials` grants, refused grants answered 200 `{"error": …}`, and the bearer
 * tokens it issued checked on the API host.
 */
import { randomBytes } from 'node:crypto';

export interface App {
  clientId: string;
  clientSecret: string;
}

export interface Account {
  username: string;
  password: string;
}

export interface IssuedToken {
  token: string;
  clientId: string;
  /** The account the token acts as (password grant); undefined for client_credentials. */
  username?: string;
  expiresAt: number;
  revoked: boolean;
}

export interface OAuthAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface OAuthState {
  apps: App[];
  accounts: Account[];
  tokens: Map<string, IssuedToken>;
  tokenLifetimeSeconds: number;
}

const unauthorized: OAuthAnswer = { status: 401, body: { message: 'Unauthorized', error: 401 } };

/** Answers `POST /api/v1/access_token`. */
export function issueToken(state: OAuthState, authorization: string | undefined, form: URLSearchParams): OAuthAnswer {
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!basic) return unauthorized;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const split = decoded.indexOf(':');
  const [clientId, clientSecret] = split < 0 ? [decoded, ''] : [decoded.slice(0, split), decoded.slice(split + 1)];
  const app = state.apps.find((a) => a.clientId === clientId && a.clientSecret === clientSecret);
  if (!app) return unauthorized;
  const grant = form.get('grant_type');
  let username: string | undefined;
  if (grant === 'password') {
    const account = state.accounts.find((a) => a.username.toLowerCase() === (form.get('username') ?? '').toLowerCase() && a.password === form.get('password'));
    if (!account) return { status: 200, body: { error: 'invalid_grant' } };
    username = account.username;
  } else if (grant !== 'client_credentials') {
    return { status: 200, body: { error: 'unsupported_grant_type' } };
  }
  const token = `${randomBytes(4).toString('hex')}-${randomBytes(12).toString('base64url')}`;
  state.tokens.set(token, { token, clientId, username, expiresAt: Date.now() + state.tokenLifetimeSeconds * 1000, revoked: false });
  return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: state.tokenLifetimeSeconds, scope: '*' } };
}

/** The token a bearer `Authorization` header carries, or the 401 Reddit answers. */
export function checkBearer(state: OAuthState, authorization: string | undefined): IssuedToken | OAuthAnswer {
  const bearer = /^bearer\s+(\S+)$/i.exec(authorization ?? '');
  const issued = bearer ? state.tokens.get(bearer[1]!) : undefined;
  if (!issued || issued.revoked || issued.expiresAt <= Date.now()) {
    return { ...unauthorized, headers: { 'www-authenticate': 'Bearer realm="reddit", error="invalid_token"' } };
  }
  return issued;
}
