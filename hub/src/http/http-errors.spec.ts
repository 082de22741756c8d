import { describe, expect, it } from 'vitest';
import { loggablePath } from './http-errors.js';

describe('paths in the logs', () => {
  it('leaves out the tokens of enrolment and volunteer links', () => {
    expect(loggablePath('/install/abc123')).toBe('/install/[token]');
    expect(loggablePath('/volontaires/Zx9-secret_token')).toBe('/volontaires/[token]');
    expect(loggablePath('/api/v1/volunteer-form/Zx9-secret_token')).toBe('/api/v1/volunteer-form/[token]');
    expect(loggablePath('/api/v1/registry/volunteers/01J')).toBe('/api/v1/registry/volunteers/01J');
  });
});
