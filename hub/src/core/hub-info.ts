/** Facts about the running hub that handlers need: its version, CA, start time and MQTT address. */
export class HubInfo {
  constructor(
    readonly version: string,
    readonly caCertPem: string,
    readonly startedAt: Date,
    private readonly publicHost: string,
    private readonly mqttPort: number,
  ) {}

  mqttUrlFor(hostname: string | undefined): string {
    const host = hostname || this.publicHost;
    return `mqtts://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${this.mqttPort}`;
  }
}
