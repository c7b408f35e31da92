import assert from 'node:assert/strict';
import { clouds, GraphTargetError, isTokenDestination, resolveGraphTarget } from '../../src/core/clouds';

describe('clouds and Graph targets', () => {
  it('maps each cloud to its Graph root', () => {
    assert.deepEqual(Object.fromEntries(Object.values(clouds).map((c) => [c.name, c.graphRoot])), {
      global: 'https://graph.microsoft.com',
      usgov: 'https://graph.microsoft.us',
      usgovdod: 'https://dod-graph.microsoft.us',
      china: 'https://microsoftgraph.chinacloudapi.cn',
    });
    assert.equal(resolveGraphTarget('china').root, 'https://microsoftgraph.chinacloudapi.cn');
    assert.equal(resolveGraphTarget().isEmulator, false);
  });

  for (const url of ['http://127.0.0.1:8080', 'https://localhost:3000/', 'http://[::1]:9', 'http://127.5.6.7']) {
    it(`accepts the loopback override ${url}`, () => {
      const target = resolveGraphTarget('global', url);
      assert.equal(target.isEmulator, true);
      assert.ok(!target.root.endsWith('/'));
    });
  }

  for (const url of [
    'https://graph.microsoft.com.evil.example',
    'https://evil.example',
    'http://10.0.0.1',
    'http://localhost.evil.example',
    'file:///etc/passwd',
    'ftp://127.0.0.1',
    'http://user:pw@127.0.0.1',
    'not a url',
    'http://127.0.0.1.nip.io',
    'http://2130706433.evil.example',
  ]) {
    it(`refuses the override ${url}`, () => {
      assert.throws(() => resolveGraphTarget('global', url), GraphTargetError);
    });
  }

  it('reads numeric loopback spellings as the loopback address they are', () => {
    assert.equal(resolveGraphTarget('global', 'http://0x7f000001:81').root, 'http://127.0.0.1:81');
  });

  it('lets the token go only to the target origin', () => {
    const global = resolveGraphTarget('global');
    assert.equal(isTokenDestination(global, 'https://graph.microsoft.com/beta/x'), true);
    assert.equal(isTokenDestination(global, 'https://graph.microsoft.us/beta/x'), false);
    assert.equal(isTokenDestination(global, 'http://graph.microsoft.com/beta/x'), false);
    assert.equal(isTokenDestination(global, 'https://graph.microsoft.com:444/beta/x'), false);
    const emulator = resolveGraphTarget('global', 'http://127.0.0.1:5000');
    assert.equal(isTokenDestination(emulator, 'http://127.0.0.1:5000/beta/x'), true);
    assert.equal(isTokenDestination(emulator, 'http://127.0.0.1:5001/beta/x'), false);
  });
});
