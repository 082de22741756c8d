// Preloaded with `node --import` to measure a candidate fix without touching agent code: the same
// effect as passing `writeCache: false` to mqtt.connect(). By default mqtt-packet fills a cache of
// 65,536 two-byte Buffers (one per packet id) on the first packet written: about 6 MiB of heap and
// 15 MiB of RSS in a process that publishes one message a minute.
import { createRequire } from 'node:module';

const require = createRequire(createRequire(import.meta.url).resolve('mqtt'));
require('mqtt-packet').writeToStream.cacheNumbers = false;
