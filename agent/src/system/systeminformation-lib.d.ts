// systeminformation's collectors, loaded one by one (see system-info.ts); each exports some of the
// functions typed on the package's index.
declare module 'systeminformation/lib/system.js';
declare module 'systeminformation/lib/cpu.js';
declare module 'systeminformation/lib/memory.js';
declare module 'systeminformation/lib/filesystem.js';
declare module 'systeminformation/lib/osinfo.js';
declare module 'systeminformation/lib/network.js';
