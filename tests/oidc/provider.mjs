// A real OpenID Connect provider for the test suite (the oidc-provider package), on 127.0.0.1.
//
// Started by tests/oidc_server.py with, as JSON in the environment variable OIDC_TEST_CONFIG:
// {"clients": [{"client_id", "client_secret", "redirect_uris", "post_logout_redirect_uris"}]}.
// It listens on a free port and prints one line, "listening <issuer>", once it is ready.
// Anyone may sign in with any login name and any password (its development sign-in page):
// the login name is the account's email address, confirmed (email_verified) unless the name
// contains "unverified".
import http from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_TEST_CONFIG || '{}');

const server = http.createServer();
await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: (config.clients || []).map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...client,
  })),
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  // Put the claims in the ID token, as Microsoft Entra ID and Google do.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ['test-only cookie key, not a secret'] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: id,
          email_verified: !id.includes('unverified'),
          name: id.split('@')[0].replace(/[._+]/g, ' '),
        };
      },
    };
  },
  // Our one client is first-party: no consent page.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      return ctx.oidc.provider.Grant.find(grantId);
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

server.on('request', provider.callback());
process.stdout.write(`listening ${issuer}\n`);
process.on('SIGTERM', () => { server.close(); process.exit(0); });
