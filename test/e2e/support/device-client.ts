import fs from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';

export interface StoredIdentity {
  deviceId: string;
  secret: string;
  mqttUrl: string;
  caCertPem: string;
}

export function readIdentity(stateDir: string): StoredIdentity {
  return JSON.parse(fs.readFileSync(path.join(stateDir, 'identity.json'), 'utf8')) as StoredIdentity;
}

/** A raw MQTT connection with a device's own credentials, to test what the broker lets it do. */
export async function connectAs(
  id: StoredIdentity,
  overrides: Partial<mqtt.IClientOptions> = {},
): Promise<mqtt.MqttClient> {
  return mqtt.connectAsync(id.mqttUrl, {
    ca: id.caCertPem,
    clientId: id.deviceId,
    username: id.deviceId,
    password: id.secret,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    ...overrides,
  });
}
