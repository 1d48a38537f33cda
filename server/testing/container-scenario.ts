// A synthetic capture whose threads are in containers, on the host, and move between the two,
// for the tests that follow container.id as sysdig 0.29.3 does (the syscall-time flame graph's
// container level). The shared captures hold containers but one exit each in them. Test code only.

import { FdType } from "../core/formats/scap/blocks";
import { ScapWriter } from "../core/formats/scap/writer";
import { SYSCALL_NAMES } from "../core/events/syscalls";
import { CLONE_THREAD_FLAGS, execveExit, forkExit, type Emit, type Scenario } from "./scap-scenario";

const WEB_ID = "1111aaaa2222bbbb".repeat(4);
const DB_ID = "3333cccc4444dddd".repeat(4);
/** The cgroups of a thread in docker container `id` (64 hex digits; sysdig names it by 12). */
const docker = (id: string) => [`cpuset=/docker/${id}`, `memory=/docker/${id}`];
const MICRO = 1000;

/** A call that takes `ns`: enter, the wait, exit. */
function call(ev: Emit, wait: (ns: number) => void, tid: number, name: string, enter: unknown[], exit: unknown[], ns: number): void {
  ev(tid, name, ">", enter as never);
  wait(ns);
  ev(tid, name, "<", exit as never);
}

export const CONTAINER_SCENARIO: Scenario = {
  name: "containers",
  writer: () => new ScapWriter().users([{ uid: 0, gid: 0, name: "root" }]).procs([
    { tid: 1, pid: 1, ptid: 0, comm: "systemd", cwd: "/" },
    { tid: 100, pid: 100, ptid: 1, comm: "dockerd", cwd: "/" },
    // In a container from the process list.
    { tid: 200, pid: 200, ptid: 100, comm: "nginx", cwd: "/", cgroups: docker(WEB_ID) },
    // On the host until it executes into a container (runc's way).
    { tid: 400, pid: 400, ptid: 100, comm: "runc", cwd: "/" },
  ]).fds(200, [
    { fd: 3, type: FdType.FILE_V2, name: "/var/log/nginx/access.log" },
    { fd: 4, type: FdType.IPV4_SOCK, sip: "172.17.0.2", sport: 80, dip: "172.17.0.1", dport: 40000 },
  ]).fds(100, [{ fd: 5, type: FdType.FILE_V2, name: "/var/lib/docker/state.json" }]),
  events: (ev, wait) => {
    const text = (s: string) => new TextEncoder().encode(s);
    // A container event names WEB; DB stays without a name.
    ev(-1, "container", ">", [JSON.stringify({ container: { id: WEB_ID.slice(0, 12), name: "web", image: "nginx:latest", imageid: "", imagerepo: "nginx", imagetag: "latest", type: 0, privileged: false, Mounts: [] } })]);
    for (let i = 0; i < 3; i++) {
      call(ev, wait, 200, "write", [3, 10], [10, text("GET / 200\n")], (i + 1) * 7 * MICRO);
      call(ev, wait, 200, "read", [4, 4096], [5, text("GET /")], 3 * MICRO);
      call(ev, wait, 100, "read", [5, 4096], [2, text("{}")], 11 * MICRO);
    }
    // dockerd clones a process whose own exit names DB (clone3 into a cgroup): sysdig keeps it
    // where the parent's exit put it, on the host.
    ev(100, "clone", ">", []);
    ev(100, "clone", "<", forkExit({ res: 300, tid: 100, pid: 100, ptid: 1, comm: "dockerd" }));
    ev(300, "clone", "<", forkExit({ res: 0, tid: 300, pid: 300, ptid: 100, comm: "dockerd", cgroups: docker(DB_ID).join("\0") }));
    // nginx starts a thread: in WEB, as its process (both exits carry WEB's cgroups).
    ev(200, "clone", ">", []);
    ev(200, "clone", "<", forkExit({ res: 201, tid: 200, pid: 200, ptid: 100, comm: "nginx", flags: CLONE_THREAD_FLAGS, cgroups: docker(WEB_ID).join("\0") }));
    ev(201, "clone", "<", forkExit({ res: 0, tid: 201, pid: 200, ptid: 100, comm: "nginx", flags: CLONE_THREAD_FLAGS, cgroups: docker(WEB_ID).join("\0") }));
    // runc on the host, then the same thread in DB after its execve.
    call(ev, wait, 400, "getuid", [], [0], 2 * MICRO);
    ev(400, "execve", ">", ["/usr/bin/postgres"]);
    wait(40 * MICRO);
    ev(400, "execve", "<", execveExit({ res: 0, tid: 400, pid: 400, ptid: 100, comm: "postgres", exe: "/usr/bin/postgres", cgroups: docker(DB_ID).join("\0") }));
    call(ev, wait, 400, "getuid", [], [0], 4 * MICRO);
    // A generic event (named after its syscall id) in each place.
    const sc = SYSCALL_NAMES.indexOf("sched_yield");
    for (const tid of [100, 201, 300, 400]) call(ev, wait, tid, "syscall", [sc, 24], [sc], 5 * MICRO);
    for (const tid of [201, 300]) call(ev, wait, tid, "getuid", [], [0], 6 * MICRO);
    call(ev, wait, 200, "write", [3, 10], [10, text("GET / 404\n")], 9 * MICRO);
  },
};
