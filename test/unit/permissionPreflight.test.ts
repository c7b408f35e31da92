import assert from 'node:assert/strict';
import { sampleIds } from '../../src/emulator';
import { checkTokenPermission, type PermissionCheck } from '../../src/core/permissionPreflight';
import { readTokenClaims, summarizeToken } from '../../src/core/tokenClaims';
import { mintToken } from '../../src/emulator/tokens';

const tenant = sampleIds.tenantId;
const appId = sampleIds.clientAppId;
/** A delegated token as Entra issues it (v1.0 claims), with only the scopes given. */
const delegated = (scp: string): string => mintToken({ scp, tid: tenant, upn: 'admin@contoso.example', appid: appId });
/** An app-only token (client credentials): roles, no scp, no user. */
const appOnly = (roles: string[], extra: Record<string, unknown> = {}): string =>
  mintToken({ scp: undefined, upn: undefined, name: undefined, roles, idtyp: 'app', appid: appId, ...extra });

function verdict(check: PermissionCheck): string {
  return check.verdict === 'granted' ? `granted ${check.permission}` : check.verdict;
}

describe('permission pre-flight', () => {
  describe('delegated tokens (scp)', () => {
    it('grants a write with DeviceManagementApps.ReadWrite.All on both versions', () => {
      const token = delegated('User.Read DeviceManagementApps.ReadWrite.All');
      assert.equal(verdict(checkTokenPermission(token, 'write', 'beta')), 'granted DeviceManagementApps.ReadWrite.All');
      assert.equal(verdict(checkTokenPermission(token, 'write', 'v1.0')), 'granted DeviceManagementApps.ReadWrite.All');
    });

    it('refuses a write with only the read scope, saying what the token holds', () => {
      const check = checkTokenPermission(delegated('DeviceManagementApps.Read.All User.Read'), 'write', 'v1.0');
      assert.equal(check.verdict, 'missing');
      if (check.verdict !== 'missing') return;
      assert.deepEqual(check.accepted, ['DeviceManagementApps.ReadWrite.All']);
      assert.equal(check.kind, 'delegated');
      assert.equal(check.access, 'write');
      assert.deepEqual(check.token.scopes, ['DeviceManagementApps.Read.All', 'User.Read']);
      assert.equal(check.token.tenantId, tenant);
      assert.equal(check.token.account, 'admin@contoso.example');
      assert.equal(check.token.appId, appId);
    });

    it('accepts DeviceManagementConfiguration.ReadWrite.All for a write on beta only', () => {
      const token = delegated('DeviceManagementConfiguration.ReadWrite.All');
      assert.equal(verdict(checkTokenPermission(token, 'write', 'beta')), 'granted DeviceManagementConfiguration.ReadWrite.All');
      const onV1 = checkTokenPermission(token, 'write', 'v1.0');
      assert.equal(onV1.verdict, 'missing');
      assert.deepEqual(onV1.verdict === 'missing' && onV1.accepted, ['DeviceManagementApps.ReadWrite.All']);
    });

    it('grants a read with the read or the read-write scope, and refuses one with neither', () => {
      assert.equal(verdict(checkTokenPermission(delegated('DeviceManagementApps.Read.All'), 'read', 'v1.0')), 'granted DeviceManagementApps.Read.All');
      assert.equal(
        verdict(checkTokenPermission(delegated('DeviceManagementApps.ReadWrite.All'), 'read', 'v1.0')),
        'granted DeviceManagementApps.ReadWrite.All',
      );
      const refused = checkTokenPermission(delegated('User.Read Directory.Read.All'), 'read', 'beta');
      assert.equal(refused.verdict, 'missing');
      assert.deepEqual(refused.verdict === 'missing' && refused.accepted, [
        'DeviceManagementApps.Read.All',
        'DeviceManagementApps.ReadWrite.All',
        'DeviceManagementConfiguration.ReadWrite.All',
      ]);
    });

    it('compares permission names without case, and a v2.0 token names its client in azp', () => {
      const v2 = mintToken({
        scp: 'devicemanagementapps.readwrite.all',
        appid: undefined,
        azp: appId,
        ver: '2.0',
        preferred_username: 'admin@contoso.example',
        upn: undefined,
      });
      const check = checkTokenPermission(v2, 'write', 'v1.0');
      assert.equal(verdict(check), 'granted DeviceManagementApps.ReadWrite.All');
      assert.equal(check.verdict === 'granted' && check.token.appId, appId);
      assert.equal(check.verdict === 'granted' && check.token.account, 'admin@contoso.example');
    });
  });

  describe('app-only tokens (roles)', () => {
    it('grants a write with the application permission, and a read with the read role', () => {
      const check = checkTokenPermission(appOnly(['DeviceManagementApps.ReadWrite.All']), 'write', 'v1.0');
      assert.equal(verdict(check), 'granted DeviceManagementApps.ReadWrite.All');
      assert.equal(check.verdict === 'granted' && check.kind, 'app-only');
      assert.equal(verdict(checkTokenPermission(appOnly(['DeviceManagementApps.Read.All']), 'read', 'beta')), 'granted DeviceManagementApps.Read.All');
    });

    it('refuses a write with only read roles, naming the roles and the app', () => {
      const check = checkTokenPermission(appOnly(['DeviceManagementApps.Read.All', 'Device.Read.All'], { app_displayname: 'Pipeline' }), 'write', 'beta');
      assert.equal(check.verdict, 'missing');
      if (check.verdict !== 'missing') return;
      assert.equal(check.kind, 'app-only');
      assert.deepEqual(check.token.roles, ['DeviceManagementApps.Read.All', 'Device.Read.All']);
      assert.deepEqual(check.token.scopes, []);
      assert.equal(check.token.account, undefined);
      assert.equal(check.token.appId, appId);
      assert.equal(check.token.appName, 'Pipeline');
      assert.deepEqual(check.accepted, ['DeviceManagementApps.ReadWrite.All', 'DeviceManagementConfiguration.ReadWrite.All']);
    });

    it('accepts the configuration role for a write on beta, not on v1.0', () => {
      const token = appOnly(['DeviceManagementConfiguration.ReadWrite.All']);
      assert.equal(verdict(checkTokenPermission(token, 'write', 'beta')), 'granted DeviceManagementConfiguration.ReadWrite.All');
      assert.equal(verdict(checkTokenPermission(token, 'write', 'v1.0')), 'missing');
    });

    it('tells an app-only token without idtyp by its roles, and a token with no permission claim at all is refused', () => {
      const withoutIdtyp = checkTokenPermission(appOnly(['Device.Read.All'], { idtyp: undefined }), 'write', 'beta');
      assert.equal(withoutIdtyp.verdict === 'missing' && withoutIdtyp.kind, 'app-only');
      const bare = checkTokenPermission(mintToken({ scp: undefined }), 'read', 'beta');
      assert.equal(bare.verdict, 'missing');
      assert.equal(bare.verdict === 'missing' && bare.kind, 'unknown');
    });
  });

  describe('tokens whose claims cannot be read', () => {
    it('never refuses an opaque, encrypted or undecodable token', () => {
      const notJson = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('not json').toString('base64url')}.`;
      const notAnObject = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('["DeviceManagementApps.Read.All"]').toString('base64url')}.`;
      const encrypted = 'eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn';
      const personalAccount = 'EwBwA8l6BAAUbDba3x2OMJElkF7gJ4z/VbCPEz0AAb2kCHIAbmQ0yGxmZxA=';
      for (const token of [personalAccount, 'opaque', notJson, notAnObject, encrypted, '']) {
        for (const access of ['read', 'write'] as const) {
          assert.deepEqual(checkTokenPermission(token, access, 'v1.0'), { verdict: 'unreadable' }, `${token || '(empty)'} for ${access}`);
        }
      }
    });
  });

  it('reads roles, app id, app name and idtyp into the token summary, and no claims from five segments (an encrypted token)', () => {
    const summary = summarizeToken(appOnly(['DeviceManagementApps.ReadWrite.All'], { app_displayname: 'Pipeline' }));
    assert.deepEqual(
      summary && { roles: summary.roles, appId: summary.appId, appName: summary.appName, identityType: summary.identityType, scopes: summary.scopes },
      { roles: ['DeviceManagementApps.ReadWrite.All'], appId, appName: 'Pipeline', identityType: 'app', scopes: [] },
    );
    assert.equal(readTokenClaims('a.b.c.d.e'), undefined);
    assert.equal(readTokenClaims(delegated('X'))?.['scp'], 'X');
  });
});
