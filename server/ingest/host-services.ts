// The host's /etc/services, read once for the core's filters and port names (sysdig resolves
// them through glibc on the machine it runs on; the core does no I/O, so this layer reads the
// file and hands the table in). Without the file every port stays a number, as with sysdig.

import { readFileSync } from "node:fs";
import { NO_SERVICES, ServiceTable } from "../core/filter/services";

let table: ServiceTable | undefined;

export function hostServices(): ServiceTable {
  if (!table) {
    try {
      table = ServiceTable.parse(readFileSync("/etc/services", "latin1"));
    } catch {
      table = NO_SERVICES;
    }
  }
  return table;
}
