import { describe, expect, it } from 'vitest';
import { decidePublish, maySubscribe } from './device-acl.js';

const A = '01JAAAAAAAAAAAAAAAAAAAAAAA';
const B = '01JBBBBBBBBBBBBBBBBBBBBBBB';

describe('device ACL', () => {
  it('lets a device publish its own telemetry', () => {
    expect(decidePublish(A, `bascule/v1/d/${A}/health`)).toEqual({ allow: true, kind: 'health' });
  });

  it("refuses and disconnects a publish on another device's topic or outside the tree", () => {
    for (const topic of [`bascule/v1/d/${B}/health`, 'bascule/v1/broadcast', `bascule/v1/d/${A}`, '$SYS/x']) {
      expect(decidePublish(A, topic)).toMatchObject({ allow: false, disconnect: true });
    }
  });

  it('drops, without disconnecting, an unknown topic under its own prefix', () => {
    expect(decidePublish(A, `bascule/v1/d/${A}/whatever`)).toMatchObject({ allow: false, disconnect: false });
  });

  it('lets a device subscribe only to its own config and RPC requests, never wildcards', () => {
    expect(maySubscribe(A, `bascule/v1/d/${A}/config`)).toBe(true);
    expect(maySubscribe(A, `bascule/v1/d/${A}/rpc/req`)).toBe(true);
    for (const f of [`bascule/v1/d/${B}/config`, 'bascule/v1/d/+/config', 'bascule/#', `bascule/v1/d/${A}/#`, '#']) {
      expect(maySubscribe(A, f), f).toBe(false);
    }
  });

  it('lets a device publish its terminal output and RPC answers, never terminal input', () => {
    const sid = '01JSSSSSSSSSSSSSSSSSSSSSSS';
    expect(decidePublish(A, `bascule/v1/d/${A}/term/${sid}/out`)).toEqual({ allow: true, kind: 'term/out', sid });
    expect(decidePublish(A, `bascule/v1/d/${A}/rpc/res`)).toEqual({ allow: true, kind: 'rpc/res' });
    expect(decidePublish(A, `bascule/v1/d/${A}/term/${sid}/in`)).toMatchObject({ allow: false, disconnect: false });
    expect(decidePublish(A, `bascule/v1/d/${A}/term/not-a-sid/out`)).toMatchObject({ allow: false, disconnect: false });
    expect(decidePublish(A, `bascule/v1/d/${B}/term/${sid}/out`)).toMatchObject({ allow: false, disconnect: true });
  });

  it("lets a device subscribe to its own terminal input only, not another's nor its output", () => {
    const sid = '01JSSSSSSSSSSSSSSSSSSSSSSS';
    expect(maySubscribe(A, `bascule/v1/d/${A}/term/+/in`)).toBe(true);
    expect(maySubscribe(A, `bascule/v1/d/${A}/term/${sid}/in`)).toBe(true);
    for (const f of [
      `bascule/v1/d/${B}/term/+/in`,
      `bascule/v1/d/${B}/term/${sid}/in`,
      `bascule/v1/d/${A}/term/+/out`,
      `bascule/v1/d/${A}/term/#`,
      `bascule/v1/d/${A}/term/+/+`,
    ]) {
      expect(maySubscribe(A, f), f).toBe(false);
    }
  });
});
