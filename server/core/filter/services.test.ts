// The service table the outer layers hand to the core: parsed as glibc's files source reads
// /etc/services, and used by filters only when handed in (the core reads no file).

import { test } from "node:test";
import assert from "node:assert/strict";
import { NO_SERVICES, ServiceTable } from "./services";
import { FilterError, parseFilter } from "./parser";

const TEXT = [
  "# a comment line",
  "tcpmux\t\t1/tcp\t\t\t# TCP port service multiplexer",
  "http\t\t80/tcp\t\twww\t\t# WorldWideWeb HTTP",
  "http-alt\t80/udp",
  "not-a-port\tx/tcp",
  "lonely",
  "domain\t\t53/tcp",
  "domain\t\t53/udp",
  "wrapped\t\t65616/tcp",
].join("\n");

test("the service table: first entry in file order, aliases, comments and malformed lines", () => {
  const t = ServiceTable.parse(TEXT);
  assert.equal(t.byPort(80, "tcp"), "http");
  assert.equal(t.byPort(80, "udp"), "http-alt");
  assert.equal(t.byPort(80, undefined), "http");
  assert.equal(t.byPort(53, "udp"), "domain");
  assert.equal(t.byPort(81, "tcp"), undefined);
  assert.equal(t.byName("www"), 80);
  assert.equal(t.byName("http-alt"), 80);
  assert.equal(t.byName("not-a-port"), undefined);
  assert.equal(t.byName("lonely"), undefined);
  assert.equal(t.byName("wrapped"), 80, "ports are kept to 16 bits");
  assert.equal(NO_SERVICES.byPort(80, "tcp"), undefined);
});

test("a port written as a name needs the table handed in", () => {
  assert.throws(() => parseFilter("fd.port=www"), (e: unknown) => e instanceof FilterError && /unrecognized protocol www/.test(e.message));
  const f = parseFilter("fd.port=www", { services: ServiceTable.parse(TEXT) });
  assert.equal(f.services?.byName("www"), 80);
});
