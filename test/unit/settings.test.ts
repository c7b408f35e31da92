import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { boundedSetting, chosenSetting, flagSetting, parseRate, settings, userOnlySettingIds, type SettingDefinition } from '../../src/core/settings';

const root = join(__dirname, '..', '..', '..');

interface ContributedSetting {
  type?: string;
  enum?: string[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  scope?: string;
}

interface Manifest {
  contributes: { configuration: { properties: Record<string, ContributedSetting> } };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const contributed = manifest.contributes.configuration.properties;
const definitions: SettingDefinition[] = Object.values(settings);

describe('one settings source (src/core/settings.ts)', () => {
  it('package.json contributes exactly the settings defined in the core, no more', () => {
    assert.deepEqual(Object.keys(contributed).sort(), definitions.map((d) => d.id).sort());
  });

  for (const definition of definitions) {
    it(`${definition.id}: package.json has the same type, default, choices, bounds and scope`, () => {
      const setting = contributed[definition.id]!;
      assert.deepEqual(setting.default, definition.default);
      assert.equal(setting.scope, definition.userOnly ? 'application' : 'window');
      switch (definition.kind) {
        case 'choice':
          assert.equal(setting.type, 'string');
          assert.deepEqual(setting.enum, [...definition.values]);
          break;
        case 'text':
          assert.equal(setting.type, 'string');
          assert.equal(setting.pattern, definition.pattern);
          break;
        case 'number':
          assert.equal(setting.type, definition.integer ? 'integer' : 'number');
          assert.equal(setting.minimum, definition.minimum);
          assert.equal(setting.maximum, definition.maximum);
          break;
        case 'rate':
          assert.equal(setting.type, 'string');
          assert.equal(setting.pattern, definition.pattern);
          assert.ok(parseRate(definition, definition.default), 'the default is within the bounds');
          break;
        case 'flag':
          assert.equal(setting.type, 'boolean');
          break;
      }
    });
  }

  it('every setting that decides where the token goes is restricted in untrusted workspaces', () => {
    const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const id of userOnlySettingIds) assert.ok(restricted.includes(id), `${id} is a restricted configuration`);
  });

  it('bounds a number and falls back to the default for anything else', () => {
    assert.equal(boundedSetting(settings.maxRetries, 99), 10);
    assert.equal(boundedSetting(settings.maxRetries, 2.6), 3);
    assert.equal(boundedSetting(settings.timeoutSeconds, 0.1), 0.5);
    assert.equal(boundedSetting(settings.timeoutSeconds, '30'), 100);
    assert.equal(chosenSetting(settings.cloud, 'usgov'), 'usgov');
    assert.equal(chosenSetting(settings.cloud, 'mars'), 'global');
    assert.equal(boundedSetting(settings.runsKept, 0), 1);
    assert.equal(flagSetting(settings.batching, true), true);
    assert.equal(flagSetting(settings.batching, 'yes'), false, 'anything but a boolean is the default');
  });

  it('reads a write limit as <count>/<seconds> within its bounds', () => {
    assert.deepEqual(parseRate(settings.writeLimit, '100/20'), { count: 100, seconds: 20 });
    assert.deepEqual(parseRate(settings.writeLimit, ' 10/0.5 '), { count: 10, seconds: 0.5 });
    for (const bad of ['0/20', '100/0', '100/0.05', '100', '1.5/2', '100/20/3', '-1/2', 7]) {
      assert.equal(parseRate(settings.writeLimit, bad), undefined, String(bad));
    }
  });
});
