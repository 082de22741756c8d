import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETENTION,
  parseGlpiUrl,
  parseMqttPublicUrls,
  parseRedisUrl,
  parseRetentionDays,
  resolveRetention,
} from './serve-options.js';

describe('serve options', () => {
  it('reads a Redis URL and refuses anything else, naming the flag', () => {
    expect(parseRedisUrl('redis://:pw@10.0.0.5:6379/2')).toBe('redis://:pw@10.0.0.5:6379/2');
    expect(parseRedisUrl('rediss://redis.mairie.local:6380')).toBe('rediss://redis.mairie.local:6380');
    expect(() => parseRedisUrl('10.0.0.5:6379')).toThrow(/^--redis-url: .*redis:\/\//);
    expect(() => parseRedisUrl('http://10.0.0.5:6379')).toThrow(
      /^--redis-url: expected a redis:\/\/ or rediss:\/\/ URL/,
    );
  });

  it('reads the MQTT URLs desktops get, in order, and refuses one without TLS or port', () => {
    expect(parseMqttPublicUrls('mqtts://hub1:8883, mqtts://hub2:8883')).toEqual([
      'mqtts://hub1:8883',
      'mqtts://hub2:8883',
    ]);
    expect(() => parseMqttPublicUrls('mqtt://hub1:1883')).toThrow(
      /^--mqtt-public-urls: "mqtt:\/\/hub1:1883" must be mqtts/,
    );
    expect(() => parseMqttPublicUrls('mqtts://hub1')).toThrow(/must be mqtts:\/\/host:port/);
    expect(() => parseMqttPublicUrls(' , ')).toThrow(/^--mqtt-public-urls: expected/);
  });

  it('reads a retention in whole days', () => {
    expect(parseRetentionDays('--health-raw-days', '14')).toBe(14);
    expect(parseRetentionDays('--recording-retention-days', '1')).toBe(1);
  });

  it.each(['0', '-3', '1.5', 'seven', '', '36501'])('refuses %j with the flag in the message', (v) => {
    expect(() => parseRetentionDays('--health-raw-days', v)).toThrow(
      /^--health-raw-days: expected a whole number of days from 1 to 36500/,
    );
  });

  it('keeps the product defaults when no flag is given', () => {
    expect(resolveRetention({})).toEqual({ healthRawDays: 7, healthHourlyDays: 400, recordingDays: 90 });
    expect(DEFAULT_RETENTION).toEqual(resolveRetention({}));
  });

  it('takes each flag given over its default', () => {
    expect(resolveRetention({ healthRawDays: 30, recordingDays: 30 })).toEqual({
      healthRawDays: 30,
      healthHourlyDays: 400,
      recordingDays: 30,
    });
  });

  it('refuses hourly roll-ups kept for less time than raw samples', () => {
    expect(() => resolveRetention({ healthRawDays: 30, healthHourlyDays: 10 })).toThrow(
      '--health-hourly-days (10) must be at least --health-raw-days (30)',
    );
    expect(() => resolveRetention({ healthRawDays: 500 })).toThrow(/--health-hourly-days \(400\)/);
  });

  it('checks the GLPI URL', () => {
    expect(parseGlpiUrl('https://glpi.example.org/')).toBe('https://glpi.example.org/');
    expect(() => parseGlpiUrl('glpi.example.org')).toThrow(/is not a URL/);
    expect(() => parseGlpiUrl('ftp://glpi.example.org/')).toThrow(/expected an http or https URL/);
  });
});
