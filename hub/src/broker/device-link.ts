/** Options of a hub publication. */
export interface PublishOptions {
  /** The broker keeps the message and gives it to whoever subscribes later (the device's `config`). */
  retain?: boolean;
}

/** What services need from the broker to reach devices. */
export interface DevicePublisher {
  /** Publishes from the hub on a device topic; resolves once handed to the device's connection. */
  publish(topic: string, payload: Buffer, qos: 0 | 1, options?: PublishOptions): Promise<void>;
  /** True while the device holds a connection to the broker. */
  isConnected(deviceId: string): boolean;
}

/**
 * The services are built before the broker starts (and outlive a broker restart in tests): this link
 * is handed to them at construction and attached to the broker once it listens.
 */
export class DeviceLink implements DevicePublisher {
  private broker: DevicePublisher | undefined;

  attach(broker: DevicePublisher): void {
    this.broker = broker;
  }

  detach(): void {
    this.broker = undefined;
  }

  publish(topic: string, payload: Buffer, qos: 0 | 1, options?: PublishOptions): Promise<void> {
    if (!this.broker) return Promise.reject(new Error('the MQTT broker is not running'));
    return this.broker.publish(topic, payload, qos, options);
  }

  /** False outside `serve` (CLI commands) and while the broker is stopped. */
  get attached(): boolean {
    return this.broker !== undefined;
  }

  isConnected(deviceId: string): boolean {
    return this.broker?.isConnected(deviceId) ?? false;
  }
}
