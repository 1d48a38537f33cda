// casefile: the command line (see README and DESIGN.md for the contract).

import { eventsCommand } from "../server/cli/events-command";

const USAGE = `usage: casefile <command> [args]
  events FILE [FILTER]                 the events as sysdig -r FILE [FILTER] prints them
  lsof|netstat|ps FILE --at N [--filter F]   the state at event N, as sysdig's chisels print it
  gaps FILE --filter F --min D [--explain]   matching events after a gap longer than D
  packets FILE.pcap[ng][.gz] [FILTER]  one line per packet: number, time, source → destination, protocol, length, info
  spectrogram FILE [--filter F] [--bins B]   exit events by time bin and decade of latency
  chisel [NAME FILE [ARG...] [--filter F] [--pc] [-A|-x|-X|-b]]   what sysdig -r FILE -c NAME ARG... F prints
  fields                               the filter fields, like sysdig -l
  export FILE|ID -w OUT.scap [FILTER]  the capture (or the events FILTER accepts) as a .scap sysdig reads
  record -w OUT.scap [--duration D] [--packets OUT.pcap [--iface IF]] [FILTER]   a live recording of this host (root)
  collector [--server URL] [--host NAME]   the privileged collector for the workbench (root)
  profile --duration D [--pid P] [--hz 99] -o OUT   on-CPU and off-CPU stacks of this host (root)
  flame FILE [--filter F] [--from T --to T] [--containers]   folded stacks: a capture's syscall time (proc;tid;syscall NS; container first with --containers) or a profile's
  ingest FILE                          import a capture into the store (CASEFILE_DATA)
  serve [--host H] [--port P]          the workbench`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  switch (cmd) {
    case "events":
      return eventsCommand(args);
    case "lsof":
    case "netstat":
    case "ps":
      return (await import("../server/cli/state-commands")).stateCommand(cmd, args);
    case "fields":
      return (await import("../server/cli/fields-command")).fieldsCommand();
    case "chisel":
      return (await import("../server/cli/chisel-command")).chiselCommand(args);
    case "gaps":
      return (await import("../server/cli/gaps-command")).gapsCommand(args);
    case "packets":
      return (await import("../server/cli/packets-command")).packetsCommand(args);
    case "spectrogram":
      return (await import("../server/cli/spectrogram-command")).spectrogramCommand(args);
    case "collector":
      return (await import("../collector/collector-command")).collectorCommand(args);
    case "record":
      return (await import("../collector/record-command")).recordCommand(args);
    case "profile":
      return (await import("../server/cli/profile-command")).profileCommand(args);
    case "flame":
      return (await import("../server/cli/flame-command")).flameCommand(args);
    case "export":
      return (await import("../server/cli/export-command")).exportCommand(args);
    case "ingest":
      return (await import("../server/cli/ingest-command")).ingestCommand(args);
    case "serve": {
      const { serveCommand } = await import("../server/http/serve-command");
      await serveCommand(args);
      return -1; // keeps running
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e: unknown) => {
    // Unexpected failures still get one line, not a stack trace; CASEFILE_DEBUG shows it.
    process.stderr.write(`casefile: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.CASEFILE_DEBUG) console.error(e);
    process.exitCode = 2;
  },
);
