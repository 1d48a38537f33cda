// The chisels casefile runs, by the name sysdig knows them by (`sysdig -c NAME`).

import type { Chisel } from "./chisel";
import { TABLE_CHISELS } from "./table-chisels";
import { spyUsers } from "./spy-users";
import { echoFds } from "./echo-fds";
import { iobytes, iobytesFile, iobytesNet } from "./iobytes";
import { errors } from "./errors";

const ALL: readonly Chisel[] = [
  ...TABLE_CHISELS,
  spyUsers, echoFds, iobytes, iobytesFile, iobytesNet, errors,
];

export const CHISELS: ReadonlyMap<string, Chisel> = new Map(
  [...ALL].sort((a, b) => (a.name < b.name ? -1 : 1)).map((c) => [c.name, c]),
);
