// Service names as sysdig 0.29.3 looks them up: getservbyport() for fd.cproto/sproto/lproto/
// rproto (its port_to_string) and getservbyname() for port values in filters (`fd.port=http`).
// Both go through glibc's "files" source, /etc/services of the machine that runs sysdig (Debian's
// netbase package): the first entry, in file order, whose port (or name or alias) and protocol
// match. The core reads no files: the layer that starts the work (command line, API) reads the
// host's table and hands it in (server/ingest/host-services.ts); without one, every port stays a
// number and a service name is refused, as with sysdig on a machine without the file.

interface Service {
  name: string;
  aliases: string[];
  port: number;
  proto: string;
}

export class ServiceTable {
  private constructor(private readonly entries: readonly Service[]) {}

  /** /etc/services text parsed as glibc's files source does: `name port/proto aliases...
   *  # comment`, malformed lines skipped. */
  static parse(text: string): ServiceTable {
    const out: Service[] = [];
    for (const raw of text.split("\n")) {
      const hash = raw.indexOf("#");
      const words = (hash < 0 ? raw : raw.slice(0, hash)).split(/[ \t]+/).filter((w) => w !== "");
      if (words.length < 2) continue;
      const m = /^([0-9]+)\/(\S+)$/.exec(words[1]);
      if (!m) continue;
      out.push({ name: words[0], aliases: words.slice(2), port: Number(m[1]) & 0xffff, proto: m[2] });
    }
    return new ServiceTable(out);
  }

  /** getservbyport(port, proto): the official name, or undefined. A missing proto matches any. */
  byPort(port: number, proto: string | undefined): string | undefined {
    return this.entries.find((s) => s.port === port && (proto === undefined || s.proto === proto))?.name;
  }

  /** getservbyname(name, NULL): the port of the first entry with that name or alias. */
  byName(name: string): number | undefined {
    return this.entries.find((s) => s.name === name || s.aliases.includes(name))?.port;
  }
}

/** A host without /etc/services. */
export const NO_SERVICES = ServiceTable.parse("");
