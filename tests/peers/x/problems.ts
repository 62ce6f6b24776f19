/**
 * X's error bodies (RFC 7807 problem JSON, `type` under `https://api.x.com/2/problems/`)
 * and the faults a test can script with them.
 */
import type { Fault } from './state.js';

const PROBLEMS = 'https://api.x.com/2/problems';

export interface ProblemAnswer {
  status: number;
  body: Record<string, unknown>;
}

export const problems = {
  unauthorized: (): ProblemAnswer => ({ status: 401, body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' } }),
  clientForbidden: (): ProblemAnswer => ({
    status: 403,
    body: {
      client_id: '29384756',
      detail:
        'When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project. You can create a project via the developer portal.',
      registration_url: 'https://developer.x.com/en/docs/projects/overview',
      title: 'Client Forbidden',
      required_enrollment: 'Appropriate Level of API Access',
      reason: 'client-not-enrolled',
      type: `${PROBLEMS}/client-forbidden`,
    },
  }),
  unsupportedAuthentication: (): ProblemAnswer => ({
    status: 403,
    body: {
      title: 'Unsupported Authentication',
      detail: 'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].',
      type: `${PROBLEMS}/unsupported-authentication`,
      status: 403,
    },
  }),
  replyNotAllowed: (): ProblemAnswer => ({
    status: 403,
    body: {
      title: 'Forbidden',
      detail: 'Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to.',
      type: `${PROBLEMS}/not-authorized-for-resource`,
      status: 403,
    },
  }),
  rateLimited: (): ProblemAnswer => ({ status: 429, body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: `${PROBLEMS}/rate-limit-exceeded`, status: 429 } }),
  usageCapped: (): ProblemAnswer => ({
    status: 429,
    body: { title: 'UsageCapExceeded', detail: 'Usage cap exceeded: Monthly product cap', period: 'Monthly', scope: 'Product', type: `${PROBLEMS}/usage-capped` },
  }),
  creditsDepleted: (): ProblemAnswer => ({
    status: 402,
    body: { title: 'CreditsDepleted', detail: 'Your enrolled account does not have any credits to fulfill this request.', type: `${PROBLEMS}/credits-depleted` },
  }),
  tooManyConnections: (): ProblemAnswer => ({
    status: 429,
    body: {
      title: 'ConnectionException',
      detail: 'This stream is currently at the maximum allowed connection limit.',
      connection_issue: 'TooManyConnections',
      type: `${PROBLEMS}/streaming-connection`,
    },
  }),
  serverError: (): ProblemAnswer => ({ status: 503, body: { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 } }),
  /** 400 with X's per-parameter errors. */
  invalidRequest: (errors: Array<{ parameters: Record<string, string[]>; message: string }>): ProblemAnswer => ({
    status: 400,
    body: { errors, title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: `${PROBLEMS}/invalid-request` },
  }),
  invalidParam: (name: string, value: string, message: string): ProblemAnswer => problems.invalidRequest([{ parameters: { [name]: [value] }, message }]),
  notFoundUser: (parameter: string, value: string): Record<string, unknown> => ({
    value,
    detail: `Could not find user with ${parameter}: [${value}].`,
    title: 'Not Found Error',
    resource_type: 'user',
    parameter,
    resource_id: value,
    type: `${PROBLEMS}/resource-not-found`,
  }),
};

/** A fault a test scripts by name, or any status and body. */
export type FaultKind = 'rate-limited' | 'usage-capped' | 'credits-depleted' | 'unauthorized' | 'forbidden' | 'server-error' | ProblemAnswer;

/** The fault for `kind`; a rate limit says it resets at `resetAt` (Unix seconds). */
export function faultOf(kind: FaultKind, times: number, resetAt: number): Fault {
  const answer =
    typeof kind === 'object'
      ? kind
      : {
          'rate-limited': problems.rateLimited,
          'usage-capped': problems.usageCapped,
          'credits-depleted': problems.creditsDepleted,
          unauthorized: problems.unauthorized,
          forbidden: problems.clientForbidden,
          'server-error': problems.serverError,
        }[kind]();
  const headers: Record<string, string> = {};
  if (kind === 'rate-limited') Object.assign(headers, { 'x-rate-limit-limit': '450', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(resetAt) });
  return { status: answer.status, body: answer.body, headers, times };
}
