// The hub's /metrics read by the benchmarks: the page itself, and the ingest counters by outcome.
import { get } from 'node:https';

/** GET `url` over HTTPS pinned to `ca`; resolves with the body as text. */
export function httpsText(url, ca) {
  return new Promise((resolve, reject) => {
    get(url, { ca }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => {
        text += c;
      });
      res.on('end', () => resolve(text));
    }).on('error', reject);
  });
}

/** `bascule_ingest_messages_total` by outcome (stored, duplicate, rejected), all kinds together. */
export function ingestCounts(metrics) {
  const out = {};
  for (const m of metrics.matchAll(/^bascule_ingest_messages_total\{([^}]*)\} (\d+)/gm)) {
    const outcome = /outcome="([^"]+)"/.exec(m[1])?.[1] ?? 'unknown';
    out[outcome] = (out[outcome] ?? 0) + Number(m[2]);
  }
  return out;
}

/** The hub's ingest counters since it started (`hub` from startHub). */
export async function hubIngestCounts(hub, ca) {
  return ingestCounts(await httpsText(`${hub.url}/metrics`, ca));
}
