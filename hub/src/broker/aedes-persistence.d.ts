// aedes-persistence types its callback facade only; these are the two classes the hub builds on
// (hub/src/broker/indexed-memory-persistence.ts), as far as it uses them.
declare module 'aedes-persistence/asyncPersistence.js' {
  import type { Readable } from 'node:stream';
  export interface StoredPacket {
    topic: string;
    payload: Buffer | string;
  }
  export default class MemoryPersistence {
    constructor(opts?: object);
    storeRetained(packet: StoredPacket): Promise<void>;
    createRetainedStream(pattern: string): Readable;
    createRetainedStreamCombi(patterns: string[]): Readable;
  }
}

declare module 'aedes-persistence/callBackPersistence.js' {
  export class CallBackPersistence {
    constructor(asyncInstanceFactory: (opts: object) => object, opts?: object);
  }
}
