/**
 * The part of GLPI's native inventory format (what glpi-agent posts; schema:
 * https://github.com/glpi-project/inventory_format, draft-07) that Bascule fills in.
 */
export interface GlpiInventory {
  deviceid: string;
  itemtype: 'Computer';
  action: 'inventory';
  content: GlpiContent;
}

type Obj = Record<string, unknown>;

export interface GlpiContent {
  versionclient: string;
  accesslog?: { logdate: string };
  hardware?: Obj;
  bios?: Obj;
  operatingsystem?: Obj;
  cpus?: Obj[];
  memories?: Obj[];
  storages?: Obj[];
  videos?: Obj[];
  monitors?: Obj[];
  batteries?: Obj[];
  networks?: Obj[];
  softwares?: Obj[];
  local_users?: Obj[];
  users?: Obj[];
  printers?: Obj[];
  antivirus?: Obj[];
  modems?: Obj[];
  simcards?: Obj[];
}
