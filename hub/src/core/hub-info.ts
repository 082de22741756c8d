/** Facts about the running hub that handlers need: its version, CA, start time and MQTT address. */
export class HubInfo {
  constructor(
    readonly version: string,
    readonly caCertPem: string,
    readonly startedAt: Date,
    private readonly publicHost: string,
    private readonly mqttPort: number,
    /** `serve --mqtt-public-urls`: the cluster's hubs, in the order desktops try them. */
    private readonly mqttPublicUrls: readonly string[] = [],
  ) {}

  /** What enrolment hands out: the configured list, else this hub under the name the desktop used. */
  mqttUrlsFor(hostname: string | undefined): string[] {
    return this.mqttPublicUrls.length > 0 ? [...this.mqttPublicUrls] : [this.mqttUrlFor(hostname)];
  }

  mqttUrlFor(hostname: string | undefined): string {
    const host = hostname || this.publicHost;
    return `mqtts://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${this.mqttPort}`;
  }
}
