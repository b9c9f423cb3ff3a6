// An identity token as a host's server signs it (docs/relay.md, "Identity"): a JWT, HS256, with
// `iat` now and `exp` in ten minutes unless the claims say otherwise.
import { createHmac } from 'node:crypto';

export function jwt(claims, secret) {
  const now = Math.floor(Date.now() / 1000);
  const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ iat: now, exp: now + 600, ...claims })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}
