import { HttpError } from 'react-admin';
import { describe, expect, it } from 'vitest';
import { translatableError } from './http-client.js';

describe('translatableError', () => {
  it("turns the hub's field codes and answer codes into translation keys", () => {
    const err = new HttpError('this password is too common', 400, {
      message: 'this password is too common',
      errors: { newPassword: 'this password is too common', other: 'kept as is' },
      errorCodes: { newPassword: 'PASSWORD_TOO_COMMON' },
    });
    const out = translatableError(err) as HttpError;
    expect(out.status).toBe(400);
    expect(out.body.errors).toEqual({ newPassword: 'bascule.errors.PASSWORD_TOO_COMMON', other: 'kept as is' });
    const conflict = translatableError(
      new HttpError('you cannot delete your own account', 409, { code: 'SELF_DELETE' }),
    ) as HttpError;
    expect(conflict.message).toBe('bascule.errors.SELF_DELETE');
  });

  it('leaves unknown codes and other errors alone', () => {
    const err = new HttpError('boom', 400, { code: 'SOMETHING_NEW', message: 'boom' });
    expect((translatableError(err) as HttpError).message).toBe('boom');
    const plain = new Error('network down');
    expect(translatableError(plain)).toBe(plain);
  });
});
