import { describe, expect, it } from 'vitest';
import { parseRunSettings } from '../daemon/run-daemon.js';
import { DEFAULT_OUTBOX_BOUNDS } from '../outbox/outbox.js';
import { StateError } from '../state/state-error.js';
import { FieldError } from '../validation/field-reader.js';
import { DEFAULT_STATE_DIR, parseAgentSettings } from './agent-settings.js';

describe('parseAgentSettings', () => {
  it('gives the defaults for absent fields', () => {
    expect(parseAgentSettings({})).toEqual({
      stateDir: DEFAULT_STATE_DIR,
      heartbeatSeconds: 60,
      fullInventoryHours: 24,
      deltaInventoryMinutes: 60,
      packageChangeDelaySeconds: 60,
      outboxMaxMessages: DEFAULT_OUTBOX_BOUNDS.maxMessages,
      outboxMaxBytes: DEFAULT_OUTBOX_BOUNDS.maxBytes,
      logLevel: 'info',
      terminalEnabled: true,
      terminalConsent: 'never',
      terminalConsentTimeoutSeconds: 30,
      terminalMaxSessions: 4,
      configApplyMinutes: 30,
      cupsServer: '',
      commandPrefix: '',
      wwanProfile: '',
    });
  });

  it('checks the remote terminal settings, naming each field', () => {
    expect(
      parseAgentSettings({ terminalEnabled: false, terminalConsent: 'always', terminalMaxSessions: 1 }),
    ).toMatchObject({ terminalEnabled: false, terminalConsent: 'always', terminalMaxSessions: 1 });
    expect(() =>
      parseAgentSettings({ terminalEnabled: 'yes', terminalConsent: 'sometimes', terminalConsentTimeoutSeconds: 5 }),
    ).toThrow(
      /terminalEnabled: expected true or false.*terminalConsent: must be one of never, when-signed-in, always.*terminalConsentTimeoutSeconds: must be at least 10/,
    );
  });

  it('reads the terminal flags of `run`', () => {
    expect(
      parseRunSettings([
        '--terminal-enabled',
        'false',
        '--terminal-consent',
        'when-signed-in',
        '--terminal-max-sessions',
        '2',
      ]),
    ).toMatchObject({ terminalEnabled: false, terminalConsent: 'when-signed-in', terminalMaxSessions: 2 });
    expect(() => parseRunSettings(['--terminal-enabled', 'maybe'])).toThrow(
      /--terminal-enabled: expected true or false/,
    );
  });

  it('accepts the limits and refuses just past them, naming each field', () => {
    const atLimits = {
      heartbeatSeconds: 86_400,
      outboxMaxMessages: 10,
      outboxMaxBytes: 64 * 1024,
      fullInventoryHours: 0.5,
      logLevel: 'debug',
    };
    expect(parseAgentSettings(atLimits)).toMatchObject(atLimits);
    expect(() =>
      parseAgentSettings({
        stateDir: '',
        heartbeatSeconds: 0,
        fullInventoryHours: 0,
        deltaInventoryMinutes: -1,
        outboxMaxMessages: 9,
        outboxMaxBytes: 64 * 1024 - 1,
        logLevel: 'verbose',
      }),
    ).toThrowError(
      new FieldError([
        { path: 'stateDir', message: 'must not be empty' },
        { path: 'heartbeatSeconds', message: 'must be at least 1, got 0' },
        { path: 'fullInventoryHours', message: 'must be greater than 0, got 0' },
        { path: 'deltaInventoryMinutes', message: 'must be greater than 0, got -1' },
        { path: 'outboxMaxMessages', message: 'must be at least 10, got 9' },
        { path: 'outboxMaxBytes', message: 'must be at least 65536, got 65535' },
        { path: 'logLevel', message: 'must be one of debug, info, warn, error, got "verbose"' },
      ]),
    );
    expect(() => parseAgentSettings({ heartbeatSeconds: 86_401 })).toThrowError(/heartbeatSeconds: must be at most/);
    expect(() => parseAgentSettings({ heartbeatSeconds: 1.5 })).toThrowError(/heartbeatSeconds: expected an integer/);
  });
});

describe('parseRunSettings (bascule-agent run flags)', () => {
  it('reads the flags', () => {
    expect(
      parseRunSettings([
        '--state',
        '/tmp/s',
        '--heartbeat-seconds',
        '5',
        '--outbox-max-messages',
        '100',
        '--log-level',
        'warn',
      ]),
    ).toMatchObject({ stateDir: '/tmp/s', heartbeatSeconds: 5, outboxMaxMessages: 100, logLevel: 'warn' });
  });

  it('names the flag, not the field, in errors', () => {
    const parse = () => parseRunSettings(['--heartbeat-seconds', 'often', '--outbox-max-bytes', '10']);
    expect(parse).toThrowError(StateError);
    expect(parse).toThrowError(
      /^--heartbeat-seconds: expected a number, got NaN; --outbox-max-bytes: must be at least 65536, got 10\nusage:/,
    );
  });
});
