import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator';
import { startIdentityEmulator, type IdentityEmulator } from '../support/identityEmulator';
import { runCli, type CliRun } from '../support/runCli';

const clientId = '4a1f3c2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b';

describe('intune-mao CLI: two sign-ins at once share the token cache', function () {
  this.timeout(30_000);
  let graph: Emulator;
  let idps: IdentityEmulator[];
  let home: string;

  before(async () => {
    graph = await startEmulator();
    const options = { mintAccessToken: (claims: Record<string, unknown>) => graph.mintToken(claims), intervalSeconds: 0.05 };
    idps = await Promise.all([startIdentityEmulator(options), startIdentityEmulator(options)]);
    home = mkdtempSync(join(tmpdir(), 'mao-two-logins-'));
  });
  after(async () => {
    rmSync(home, { recursive: true, force: true });
    await Promise.all(idps.map((idp) => idp.close()));
    await graph.close();
  });

  const env = (idp: IdentityEmulator): Record<string, string> => ({
    XDG_CONFIG_HOME: home,
    NODE_EXTRA_CA_CERTS: idp.certificateFile,
    INTUNE_MAO_LOGIN_URL: idp.url,
  });
  const login = (idp: IdentityEmulator, upn: string): Promise<CliRun> => {
    let approved = false;
    return runCli(['login', '--client-id', clientId, '--json'], env(idp), {
      onStderr: (text) => {
        const code = /enter the code ([A-Z0-9]+) to authenticate/.exec(text)?.[1];
        if (code && !approved) {
          approved = true;
          idp.approve(code, { user: { upn } });
        }
      },
    });
  };

  it('keeps both accounts, each found again by whoami, with nothing left beside the cache', async () => {
    const users = ['first@contoso.example', 'second@contoso.example'];
    const runs = await Promise.all(idps.map((idp, i) => login(idp, users[i]!)));
    for (const [i, run] of runs.entries()) {
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.lines[0]!['account'], users[i]);
    }
    const cache = JSON.parse(readFileSync(join(home, 'intune-mao', 'msal-cache.json'), 'utf8')) as { Account: Record<string, { username: string }> };
    assert.deepEqual(
      Object.values(cache.Account)
        .map((a) => a.username)
        .sort(),
      users,
    );
    for (const [i, idp] of idps.entries()) {
      const whoami = await runCli(['whoami', '--client-id', clientId, '--json'], env(idp));
      assert.equal(whoami.code, 0, whoami.stderr);
      assert.equal(whoami.lines[0]!['account'], users[i]);
    }
    assert.deepEqual(readdirSync(join(home, 'intune-mao')), ['msal-cache.json']);
    const secrets = idps.flatMap((idp) => [...idp.issuedAccessTokens, ...idp.issuedRefreshTokens]);
    for (const run of runs) for (const secret of secrets) assert.ok(!(run.stdout + run.stderr).includes(secret));
  });
});
