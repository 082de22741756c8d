import type { InventorySectionData } from '@bascule/protocol';
import type { GlpiContent, GlpiInventory } from './glpi-inventory.js';

/** What the mapper needs of a device: its identity and the last good data of each section. */
export interface GlpiSource {
  device: { id: string; hostname: string; agentVersion: string | null; enrolledAt: string };
  sections: Partial<InventorySectionData>;
  /** When the hub last received an inventory section (the GLPI "last inventory" date). */
  updatedAt: string | undefined;
}

const MIB = 1024 * 1024;
/** Signatures older than this count as out of date (the alert threshold). */
const SIGNATURES_MAX_AGE_MS = 3 * 24 * 3_600_000;
const NETWORK_URI = /^(ipp|ipps|http|https|socket|lpd|smb|dnssd):/i;

/** `2026-11-25T08:01:02.000Z` → `2026-11-25 08:01:02` (GLPI's datetime); undefined when not a date. */
export function glpiDateTime(iso: string | undefined): string | undefined {
  const m = iso ? /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)/.exec(iso) : null;
  return m ? `${m[1]} ${m[2]}` : undefined;
}

/** The `YYYY-MM-DD` of a date or date-time, or of firmware dates such as `01/31/2024`. */
export function glpiDate(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const iso = /^(\d{4}-\d\d-\d\d)/.exec(text);
  if (iso) return iso[1];
  const us = /^(\d\d)\/(\d\d)\/(\d{4})$/.exec(text);
  return us ? `${us[3]}-${us[1]}-${us[2]}` : undefined;
}

/** GLPI's timezone object (`{name: "CET", offset: "+0100"}`) for an IANA zone at a given time. */
export function glpiTimezone(zone: string | undefined, at: Date): { name: string; offset: string } | undefined {
  if (!zone) return undefined;
  try {
    const part = (timeZoneName: 'short' | 'longOffset') =>
      new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName })
        .formatToParts(at)
        .find((p) => p.type === 'timeZoneName')?.value ?? '';
    const long = part('longOffset'); // "GMT+01:00", or "GMT" for UTC
    const m = /GMT([+-])(\d\d):(\d\d)/.exec(long);
    const offset = m ? `${m[1]}${m[2]}${m[3]}` : '+0000';
    return { name: part('short') || zone, offset };
  } catch {
    // An unknown zone name from an agent: GLPI then simply has no timezone.
    return undefined;
  }
}

const ARCH: Record<string, string> = { x64: 'x86_64', ia32: 'i686', arm64: 'aarch64', arm: 'armv7l' };
const NET_TYPE: Record<string, string> = {
  wired: 'ethernet',
  wireless: 'wifi',
  bridge: 'bridge',
  loopback: 'loopback',
};
const SOFTWARE_FROM = { dpkg: 'deb', snap: 'snap', flatpak: 'flatpak' } as const;

/** Drops undefined values, which JSON would drop anyway, so that the mapped objects compare cleanly. */
function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function nonEmpty<T>(items: T[] | undefined): T[] | undefined {
  return items && items.length > 0 ? items : undefined;
}

/** The user part and domain of `alice@mairie.local` / `MAIRIE\alice`. */
function splitLogin(name: string): { login: string; domain?: string } {
  const at = /^([^@]+)@(.+)$/.exec(name);
  if (at) return { login: at[1] as string, domain: at[2] };
  const back = /^([^\\]+)\\(.+)$/.exec(name);
  return back ? { login: back[2] as string, domain: back[1] } : { login: name };
}

/**
 * A device's inventory in GLPI's native JSON format, as glpi-agent would send it: hardware, BIOS,
 * OS, CPU, memory, disks, GPUs, monitors, batteries, network ports, software (deb, snap, flatpak),
 * local and logged-in users, printers, antivirus, modems and SIM cards. Sections the device never
 * sent are left out; nothing is invented.
 */
export function toGlpiInventory(source: GlpiSource, now: Date): GlpiInventory {
  const { device, sections } = source;
  const { hardware: hw, os, network: net, software: sw, users, printers, domain, antivirus, modem } = sections;
  const content: GlpiContent = { versionclient: `Bascule-Agent_v${device.agentVersion ?? 'unknown'}` };
  const logdate = glpiDateTime(source.updatedAt);
  if (logdate) content.accesslog = { logdate };

  const lastLogin = users?.lastLogins[0];
  const realm = domain?.realms[0];
  content.hardware = clean({
    name: os?.hostname ?? device.hostname,
    uuid: hw?.uuid,
    memory: hw ? Math.round(hw.memory.totalBytes / MIB) : undefined,
    defaultgateway: net?.defaultGateway,
    dns: net?.dnsServers?.length ? net.dnsServers.join('/') : undefined,
    lastloggeduser: lastLogin ? splitLogin(lastLogin.name).login : undefined,
    datelastloggeduser: glpiDateTime(lastLogin?.at),
    workgroup: realm?.domain ?? realm?.name,
  });

  if (hw) {
    content.bios = clean({
      bdate: glpiDate(hw.bios.releaseDate),
      bmanufacturer: hw.bios.vendor,
      bversion: hw.bios.version,
      smanufacturer: hw.manufacturer,
      smodel: hw.model,
      ssn: hw.serial,
      mmanufacturer: hw.baseboard?.manufacturer,
      mmodel: hw.baseboard?.model,
      msn: hw.baseboard?.serial,
    });
    content.cpus = [
      clean({
        name: hw.cpu.brand,
        manufacturer: hw.cpu.manufacturer,
        core: hw.cpu.physicalCores || undefined,
        thread: hw.cpu.cores || undefined,
        speed: hw.cpu.speedGHz ? Math.round(hw.cpu.speedGHz * 1000) : undefined,
        arch: os ? ARCH[os.arch] : undefined,
      }),
    ];
    content.memories = nonEmpty(
      hw.memory.modules.map((m, i) =>
        clean({
          capacity: Math.round(m.sizeBytes / MIB),
          type: m.type,
          speed: m.speedMHz ? String(m.speedMHz) : undefined,
          caption: m.slot,
          numslots: i + 1,
        }),
      ),
    );
    content.storages = nonEmpty(
      hw.disks.map((d) =>
        clean({
          name: d.device?.replace(/^\/dev\//, ''),
          model: d.name,
          manufacturer: d.vendor,
          serial: d.serial,
          disksize: Math.round(d.sizeBytes / MIB),
          interface: d.interface,
          type: 'disk',
          description: d.smart ? `SMART ${d.smart.passed ? 'PASSED' : 'FAILED'}` : undefined,
        }),
      ),
    );
    content.videos = nonEmpty(hw.gpus?.map((g) => clean({ name: g.model, chipset: g.vendor, pcislot: g.busId })));
    content.monitors = nonEmpty(
      hw.monitors?.map((m) =>
        clean({ name: m.model, caption: m.model, manufacturer: m.manufacturer, serial: m.serial, port: m.connector }),
      ),
    );
    content.batteries = nonEmpty(
      hw.batteries?.map((b) =>
        clean({
          name: b.model ?? b.name,
          manufacturer: b.manufacturer,
          serial: b.serial,
          chemistry: b.technology,
          // mWh, as glpi-agent reports them.
          capacity: b.designCapacityWh !== undefined ? Math.round(b.designCapacityWh * 1000) : undefined,
          real_capacity: b.fullCapacityWh !== undefined ? Math.round(b.fullCapacityWh * 1000) : undefined,
        }),
      ),
    );
  }

  if (os) {
    const name = os.edition ? `${os.distro} ${os.edition}` : os.distro;
    content.operatingsystem = clean({
      name: os.distro,
      version: os.release,
      full_name: `${name} ${os.release}`.trim(),
      kernel_name: 'linux',
      kernel_version: os.kernel,
      arch: ARCH[os.arch] ?? os.arch,
      fqdn: os.fqdn ?? os.hostname,
      dns_domain: os.fqdn?.includes('.') ? os.fqdn.slice(os.fqdn.indexOf('.') + 1) : undefined,
      boot_time: glpiDateTime(os.lastBoot),
      timezone: glpiTimezone(os.timezone, now),
    });
  }

  if (net) {
    content.networks = nonEmpty(
      net.interfaces.flatMap((i) => {
        const base = clean({
          description: i.name,
          mac: i.mac,
          status: i.up ? 'up' : 'down',
          type: i.type ? NET_TYPE[i.type] : undefined,
          virtualdev: i.virtual,
          speed: typeof i.speedMbps === 'number' ? String(i.speedMbps) : undefined,
          ipgateway: net.defaultInterface === i.name ? net.defaultGateway : undefined,
          wifi_ssid: net.wifi && net.wifi.interface === i.name ? net.wifi.ssid : undefined,
        });
        // glpi-agent sends one entry per address of the interface.
        const addresses = [
          ...i.ipv4.map((a) => ({ ipaddress: a.replace(/\/\d+$/, '') })),
          ...i.ipv6.map((a) => ({ ipaddress6: a.replace(/\/\d+$/, '') })),
        ];
        return addresses.length === 0 ? [base] : addresses.map((a) => ({ ...base, ...a }));
      }),
    );
  }

  if (sw) {
    content.softwares = nonEmpty(
      sw.packages.map((p) =>
        clean({ name: p.name, version: p.version, arch: p.arch, publisher: p.origin, from: SOFTWARE_FROM[p.source] }),
      ),
    );
  }

  if (users) {
    content.local_users = nonEmpty(
      users.accounts.map((a) =>
        clean({ id: String(a.uid), login: a.name, name: a.fullName, home: a.home, shell: a.shell }),
      ),
    );
    const seen = new Set<string>();
    content.users = nonEmpty(
      users.loggedIn
        .filter((s) => !seen.has(s.name) && seen.add(s.name))
        .map((s) => {
          const { login, domain: d } = splitLogin(s.name);
          return clean({ login, domain: d });
        }),
    );
  }

  if (printers) {
    content.printers = nonEmpty(
      printers.queues.map((q) =>
        clean({
          name: q.name,
          port: q.uri,
          network: q.uri ? NETWORK_URI.test(q.uri) : undefined,
          status: q.state,
          comment: q.isDefault ? 'default printer' : undefined,
        }),
      ),
    );
  }

  if (antivirus) {
    content.antivirus = nonEmpty(
      antivirus.products.map((a) => {
        const signed = a.signatureDate ? Date.parse(a.signatureDate) : Number.NaN;
        return clean({
          name: a.name,
          company: a.name === 'ClamAV' ? 'Cisco Talos' : undefined,
          version: a.version,
          enabled: a.daemon,
          base_version: a.signatureVersion,
          base_creation: glpiDate(a.signatureDate),
          uptodate: Number.isNaN(signed) ? undefined : now.getTime() - signed <= SIGNATURES_MAX_AGE_MS,
        });
      }),
    );
  }

  if (modem) {
    content.modems = nonEmpty(
      modem.modems.map((m) =>
        clean({
          name: m.model ?? `modem ${m.id}`,
          manufacturer: m.manufacturer,
          model: m.model,
          imei: m.imei,
          type: 'mobile',
        }),
      ),
    );
    content.simcards = nonEmpty(
      modem.modems
        .filter((m) => m.iccid || m.operator)
        .map((m) =>
          clean({ iccid: m.iccid, operator_code: m.operatorCode, operator_name: m.operator, state: m.registration }),
        ),
    );
  }

  return {
    deviceid: `${device.hostname}-${device.id}`,
    itemtype: 'Computer',
    action: 'inventory',
    content: clean(content),
  };
}
