import type { HealthMessage, HealthSample } from '@bascule/protocol';
import { type IdGenerator, PROTOCOL_VERSION } from '@bascule/protocol/runtime';
import type { MeteredPolicy } from '../metered/metered-policy.js';
import type { HealthSampler } from './health-sampler.js';

/**
 * Samples on each tick and batches the samples into `health` messages as the link's budget says: the
 * first sample after start goes at once (the hub shows the device's state right away), then a message
 * every `samplesPerMessage` samples.
 */
export class HealthReporter {
  private pending: HealthSample[] = [];
  private sentFirst = false;

  constructor(
    private readonly sampler: HealthSampler,
    private readonly policy: MeteredPolicy,
    private readonly ids: IdGenerator,
    /** Whether the state directory is full (the outbox says so): marked on each sample while it lasts. */
    private readonly stateDiskFull: () => boolean = () => false,
  ) {}

  /** Milliseconds until the next sample, on the current link. */
  intervalMs(heartbeatSeconds: number): number {
    return heartbeatSeconds * 1000 * this.policy.budget.sampleEvery;
  }

  /** Takes one sample; returns the message to send when a batch is complete. */
  async tick(now: Date): Promise<HealthMessage | undefined> {
    const sample = await this.sampler.sample(now);
    if (this.policy.metered) sample.metered = true;
    if (this.stateDiskFull()) sample.stateDiskFull = true;
    this.pending.push(sample);
    if (this.sentFirst && this.pending.length < this.policy.budget.samplesPerMessage) return undefined;
    this.sentFirst = true;
    return this.flush(now);
  }

  /** Whatever is pending as one message (at stop, so that no sample taken is lost), or undefined. */
  flush(now: Date): HealthMessage | undefined {
    if (this.pending.length === 0) return undefined;
    const samples = this.pending;
    this.pending = [];
    return { v: PROTOCOL_VERSION, id: this.ids(), ts: now.toISOString(), samples };
  }
}
