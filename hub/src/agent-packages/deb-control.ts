import { execFile } from 'node:child_process';

/** The fields of a .deb's control file that the hub checks before it serves the package. */
export interface DebControl {
  package: string;
  version: string;
  architecture: string;
}

/** Reads a .deb's control fields (`dpkg-deb -f`); injected so that the store's spec can give its own. */
export type DebControlReader = (file: string) => Promise<DebControl>;

/** `dpkg-deb -f FILE Package Version Architecture`: dpkg is on every Debian hub. */
export const readDebControl: DebControlReader = (file) =>
  new Promise((resolve, reject) => {
    execFile(
      'dpkg-deb',
      ['-f', file, 'Package', 'Version', 'Architecture'],
      { timeout: 30_000, maxBuffer: 64 * 1024, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } },
      (error, stdout, stderr) => {
        if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') {
          return reject(new Error('dpkg-deb is not installed on the hub (apt-get install dpkg)'));
        }
        if (error) return reject(new Error(`not a Debian package: ${(stderr || error.message).trim().slice(0, 300)}`));
        const fields = new Map<string, string>();
        for (const line of stdout.split('\n')) {
          const colon = line.indexOf(':');
          if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
        }
        resolve({
          package: fields.get('package') ?? '',
          version: fields.get('version') ?? '',
          architecture: fields.get('architecture') ?? '',
        });
      },
    );
  });
