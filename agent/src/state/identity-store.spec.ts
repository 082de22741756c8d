import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateDirectory } from '../system/state-directory.js';
import { type AgentIdentity, IdentityStore, mqttUrlsOf } from './identity-store.js';
import { StateError } from './state-error.js';

let root: string;
beforeEach(() => {
  root = join(mkdtempSync(join(tmpdir(), 'identity-')), 'state');
});
afterEach(() => {
  rmSync(join(root, '..'), { recursive: true, force: true });
});

const identity: AgentIdentity = {
  version: 1,
  deviceId: '01JABCDEFGHJKMNPQRSTVWXYZ0',
  secret: 's3cret-value',
  hubUrl: 'https://hub.example:8443',
  mqttUrl: 'mqtts://hub.example:8883',
  caCertPem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
  enrolledAt: '2026-01-01T00:00:00.000Z',
};

describe('IdentityStore', () => {
  it('saves 0600 in a 0700 directory and loads it back', () => {
    const store = new IdentityStore(new StateDirectory(root));
    store.save(identity);
    expect(store.load()).toEqual(identity);
    expect(statSync(root).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, 'identity.json')).mode & 0o777).toBe(0o600);
  });

  it('reads an identity saved before clusters (one mqttUrl) as a list of one hub', () => {
    const store = new IdentityStore(new StateDirectory(root));
    store.save(identity);
    const loaded = store.load();
    expect(loaded.mqttUrls).toBeUndefined();
    expect(mqttUrlsOf(loaded)).toEqual(['mqtts://hub.example:8883']);
  });

  it('keeps the list of hubs of a cluster, in order', () => {
    const store = new IdentityStore(new StateDirectory(root));
    const urls = ['mqtts://hub1.example:8883', 'mqtts://hub2.example:8883'];
    store.save({ ...identity, mqttUrl: urls[0] as string, mqttUrls: urls });
    expect(mqttUrlsOf(store.load())).toEqual(urls);
  });

  it('names a bad entry of the list of hubs', () => {
    const store = new IdentityStore(new StateDirectory(root));
    store.save(identity);
    writeFileSync(join(root, 'identity.json'), JSON.stringify({ ...identity, mqttUrls: ['mqtts://a:1', 'http://b'] }));
    expect(() => store.load()).toThrowError(/corrupt \(mqttUrls\[1\]: expected an mqtts:\/\/ URL/);
    writeFileSync(join(root, 'identity.json'), JSON.stringify({ ...identity, mqttUrls: [] }));
    expect(() => store.load()).toThrowError(/corrupt \(mqttUrls: expected a non-empty list/);
  });

  it('says to enrol when there is no identity', () => {
    const store = new IdentityStore(new StateDirectory(root));
    expect(() => store.load()).toThrowError(StateError);
    expect(() => store.load()).toThrowError(/not enrolled.*bascule-agent enroll/);
  });

  it('says the file is corrupt and to re-enrol when it is not JSON', () => {
    const store = new IdentityStore(new StateDirectory(root));
    store.save(identity);
    writeFileSync(join(root, 'identity.json'), '{"deviceId": "01J');
    expect(() => store.load()).toThrowError(/identity\.json is corrupt \(not JSON.*re-enrol/);
  });

  it('names the bad fields when the JSON is not an identity', () => {
    const store = new IdentityStore(new StateDirectory(root));
    store.save(identity);
    writeFileSync(join(root, 'identity.json'), JSON.stringify({ ...identity, secret: '', mqttUrl: 'http://x' }));
    expect(() => store.load()).toThrowError(/corrupt \(secret: .*mqttUrl: .*re-enrol/);
  });
});
